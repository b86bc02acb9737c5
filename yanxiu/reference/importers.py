"""Import reference dictionaries from CSV or .xlsx (read by core.sheets, the one reader), all or nothing.

The province office replaces the provisional domain catalogue with the
official one by importing a file: no code change. Rows are matched by their
natural key and updated; with `replace=True`, entries missing from the file
are deactivated (never deleted: old applications still point at them).

Each dictionary is a `Kind` in `KINDS`; another app adds the dictionaries of
the models it owns with `register()` (organisations registers the authorities).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from yanxiu.core.sheets import SheetUnreadable, read_sheet

from .models import CalendarDay, CompetentDepartment, LectureFeeStandard, ProfessionalDomain, TrainingCostStandard

DATA_DIR = Path(__file__).resolve().parent / "data"


class ImportFailed(Exception):
    def __init__(self, problems):
        super().__init__("；".join(problems[:5]))
        self.problems = problems


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    notes: list = field(default_factory=list)

    def __str__(self):
        text = f"{KINDS[self.kind].label}：新增 {self.created}，更新 {self.updated}"
        return text + (f"，停用 {self.deactivated}" if self.deactivated else "")


def read_rows(path_or_file, filename=None):
    """Rows as dicts keyed by the header row, from .csv (UTF-8 or GBK) or .xlsx."""
    name = (filename or str(path_or_file)).lower()
    if name.endswith(".xlsx"):
        data = Path(path_or_file).read_bytes() if isinstance(path_or_file, (str, Path)) else path_or_file.read()
        try:
            rows = [cells for _, cells in read_sheet(data)]
        except SheetUnreadable as problem:
            raise ImportFailed([str(problem)]) from None
    elif name.endswith(".csv"):
        raw = Path(path_or_file).read_bytes() if isinstance(path_or_file, (str, Path)) else path_or_file.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFailed(["无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"])
        rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise ImportFailed(["只支持 .csv 或 .xlsx 文件。"])
    rows = [r for r in rows if any(r)]
    if not rows:
        raise ImportFailed(["文件是空的。"])
    header, body = rows[0], rows[1:]
    return [dict(zip(header, r + [""] * (len(header) - len(r)), strict=False)) for r in body], header


def require_columns(header, columns):
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportFailed([f"缺少列：{'、'.join(missing)}（第一行应为列名）。"])


def _decimal(value, row_number, column, problems):
    if value in ("", None):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        problems.append(f"第{row_number}行“{column}”不是数字：{value}")
        return None


def _yes(value):
    return str(value).strip().lower() in ("yes", "y", "true", "1", "是")


def import_domains(rows, header, replace=False):
    require_columns(header, ["domain"])
    result, seen = ImportResult("domains"), set()
    for order, row in enumerate(rows, start=1):
        name = row["domain"]
        if not name:
            continue
        seen.add(name)
        _, created = ProfessionalDomain.objects.update_or_create(
            name=name,
            defaults={
                "provincial_department": row.get("provincial_department", ""),
                "sort_order": order,
                "is_active": True,
                "provisional": _yes(row.get("provisional", "")),
            },
        )
        result.created += created
        result.updated += not created
    if replace:
        result.deactivated = (
            ProfessionalDomain.objects.exclude(name__in=seen).filter(is_active=True).update(is_active=False)
        )
    # Provincial competent departments are those the catalogue names.
    for order, name in enumerate(sorted({r.get("provincial_department", "") for r in rows} - {""})):
        CompetentDepartment.objects.update_or_create(
            name=name, level=CompetentDepartment.Level.PROVINCIAL, defaults={"sort_order": order, "is_active": True}
        )
    return result


def import_ministries(rows, header, replace=False):
    require_columns(header, ["name"])
    result, seen = ImportResult("ministries"), set()
    for order, row in enumerate(rows, start=1):
        if not row["name"]:
            continue
        seen.add(row["name"])
        _, created = CompetentDepartment.objects.update_or_create(
            name=row["name"],
            level=CompetentDepartment.Level.NATIONAL,
            defaults={"kind": row.get("kind", ""), "sort_order": order, "is_active": True},
        )
        result.created += created
        result.updated += not created
    if replace:
        result.deactivated = (
            CompetentDepartment.objects.filter(level=CompetentDepartment.Level.NATIONAL, is_active=True)
            .exclude(name__in=seen)
            .update(is_active=False)
        )
    return result


def import_cost_standards(rows, header, replace=False):
    require_columns(header, ["standard", "class", "total_per_person_day"])
    result, problems = ImportResult("cost-standards"), []
    for number, row in enumerate(rows, start=2):
        values = {
            col: _decimal(row.get(col, ""), number, col, problems)
            for col in ("accommodation", "meals", "venue_materials_transport", "other", "total_per_person_day")
        }
        _, created = TrainingCostStandard.objects.update_or_create(
            standard=row["standard"],
            training_class=row["class"],
            defaults={**values, "verified": _yes(row.get("verified", "")), "source": row.get("source", "")},
        )
        result.created += created
        result.updated += not created
    if problems:
        raise ImportFailed(problems)
    return result


def import_lecture_fees(rows, header, replace=False):
    require_columns(header, ["standard", "title_level", "max_fee_per_class_hour"])
    result, problems = ImportResult("lecture-fees"), []
    for number, row in enumerate(rows, start=2):
        fee = _decimal(row["max_fee_per_class_hour"], number, "max_fee_per_class_hour", problems)
        if fee is None:
            problems.append(f"第{number}行缺少讲课费上限")
            continue
        _, created = LectureFeeStandard.objects.update_or_create(
            standard=row["standard"],
            title_level=row["title_level"],
            defaults={"max_fee_per_class_hour": fee, "verified": _yes(row.get("verified", ""))},
        )
        result.created += created
        result.updated += not created
    if problems:
        raise ImportFailed(problems)
    return result


@dataclass(frozen=True)
class Kind:
    label: str
    importer: object  # (rows, header, replace=False) -> ImportResult
    default_file: Path  # the project's own copy, loaded by `load_defaults`


KINDS = {}


def register(kind, label, importer, default_file):
    """Make a dictionary importable (`import_reference KIND PATH`) and part of the defaults."""
    KINDS[kind] = Kind(label, importer, DATA_DIR / default_file)


def import_calendar(rows, header, replace=False):
    """The office's days over the package's calendar: date (YYYY-MM-DD), workday (是/否), name."""
    require_columns(header, ["date", "workday"])
    result, problems, seen = ImportResult("calendar"), [], set()
    for number, row in enumerate(rows, start=2):
        if not row["date"]:
            continue
        try:
            day = date.fromisoformat(row["date"][:10])
        except ValueError:
            problems.append(f"第{number}行：日期“{row['date']}”应写作YYYY-MM-DD")
            continue
        seen.add(day)
        _, created = CalendarDay.objects.update_or_create(
            date=day, defaults={"is_workday": _yes(row["workday"]), "name": row.get("name", "")[:50]}
        )
        result.created += created
        result.updated += not created
    if problems:
        raise ImportFailed(problems)
    if replace:
        result.deactivated = CalendarDay.objects.exclude(date__in=seen).delete()[0]
    return result


register("domains", "专业技术领域", import_domains, "domains-provisional.csv")
register("ministries", "国家部委", import_ministries, "ministries.csv")
register("cost-standards", "培训费综合定额", import_cost_standards, "training-cost-standards.csv")
register("lecture-fees", "讲课费标准", import_lecture_fees, "lecture-fee-standards.csv")
register("calendar", "节假日与调休", import_calendar, "calendar.csv")


def import_file(kind, path_or_file, filename=None, replace=False):
    rows, header = read_rows(path_or_file, filename)
    with transaction.atomic():
        result = KINDS[kind].importer(rows, header, replace=replace)
        if kind == "domains" and filename is None and "provisional" in str(path_or_file):
            ProfessionalDomain.objects.filter(is_active=True).update(provisional=True)
    return result


def load_defaults():
    """The project's own copy of the reference data (it must run without ../shared)."""
    return [import_file(kind, spec.default_file) for kind, spec in KINDS.items()]
