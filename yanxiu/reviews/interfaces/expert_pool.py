"""The expert pool in Excel: export (masked contacts), a template, and the all-or-nothing import.

Write through core.spreadsheets (safe cells); read uploads with openpyxl after
core.uploads.refuse_unsafe_xlsx (size, zip bomb, encryption, XML declarations). Every row is validated first, each
error reported with its row number in Chinese; only a file without any error is applied, in one
transaction: new experts (by 登录用户名) are created, existing experts updated. A phone or e-mail cell
left empty or still masked (with *) keeps the stored value, so an exported file can be edited and
imported back. Imported accounts get no usable password: the office invites the new rows by e-mail
(a link to set the password, decision 0024) when it confirms the import, or one by one from the
pool; or gives an expert a temporary one with 重置密码 on the expert's page (shown once).
"""

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from openpyxl import load_workbook

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record
from yanxiu.core.masks import mask_email, mask_phone
from yanxiu.core.refusal import Refused
from yanxiu.core.spreadsheets import xlsx_bytes
from yanxiu.core.uploads import refuse_unsafe_xlsx
from yanxiu.core.validators import normalise_code
from yanxiu.organisations.models import Authority, Institution
from yanxiu.reference.models import ProfessionalDomain

from .. import rules as perms
from ..models import ExpertProfile

COLUMNS = [
    "登录用户名",
    "姓名",
    "职称/职务",
    "工作单位",
    "所在承办单位",
    "所属主管部门",
    "主要专业技术领域",
    "其他熟悉领域",
    "研究方向关键词",
    "电话",
    "电子邮箱",
    "入库年度",
    "有效期至",
    "本年度可参加评审",
]
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
SPLIT = re.compile(r"[、,，;；]+")
YES, NO = {"是", "Y", "y", "1", ""}, {"否", "N", "n", "0"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- export -----------------------------------------------------------------------------------------


def _row(profile, year_in_pool):
    user = profile.user
    others = [d.name for d in profile.domains.all() if d.pk != profile.primary_domain_id]
    return [
        user.username,
        user.display_name,
        profile.title,
        profile.affiliation,
        profile.institution.name if profile.institution_id else "",
        profile.authority.name if profile.authority_id else "",
        profile.primary_domain.name if profile.primary_domain_id else "",
        "、".join(others),
        profile.keywords,
        mask_phone(user.phone),
        mask_email(user.email),
        profile.active_from or "",
        profile.active_until or "",
        "是" if year_in_pool(profile) else "否",
    ]


def export_pool(profiles, year_in_pool):
    """The pool as .xlsx, contacts masked; the same columns the import reads."""

    def write(workbook):
        sheet = workbook.add_worksheet("专家库")
        head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text = workbook.add_format({"num_format": "@"})
        sheet.write_row(0, 0, COLUMNS, head)
        sheet.set_column(0, len(COLUMNS) - 1, 16, text)
        for number, profile in enumerate(profiles, start=1):
            for col, value in enumerate(_row(profile, year_in_pool)):
                if isinstance(value, int):
                    sheet.write_number(number, col, value)
                else:
                    sheet.write_string(number, col, str(value), text)
        sheet.freeze_panes(1, 0)
        workbook.add_notes(
            [
                "1. 第一行为表头，请勿修改列名和顺序；从第二行起每行一位专家。",
                "2. 登录用户名已存在的专家将被更新，不存在的将新建（新建的专家须由省人社厅在专家页面重置密码后告知本人）。",
                "3. 所在承办单位填写已注册单位的名称或统一社会信用代码；所属主管部门填写名称或代码；均可留空。",
                "4. 专业技术领域按省专业技术领域目录的名称填写；其他熟悉领域以顿号分隔。",
                "5. 电话、电子邮箱导出时已脱敏；留空或保留脱敏内容表示不修改。",
                "6. 本年度可参加评审填写“是”或“否”（留空为“是”）。",
                f"7. 每次最多导入{MAX_ROWS}行；有任何一行出错，整个文件都不会导入。",
            ],
            width=100,
        )

    return xlsx_bytes(write)


# --- import -------------------------------------------------------------------------------------------


@dataclass
class PoolImport:
    file_errors: list = field(default_factory=list)
    row_errors: list = field(default_factory=list)  # (row number, [messages])
    rows: list = field(default_factory=list)  # validated rows (dicts)
    created: int = 0
    updated: int = 0
    created_accounts: list = field(default_factory=list)  # the new experts' users (to invite)

    @property
    def ok(self):
        return not self.file_errors and not self.row_errors

    @property
    def to_create(self):
        return sum(1 for r in self.rows if r["profile"] is None)

    @property
    def to_update(self):
        return sum(1 for r in self.rows if r["profile"] is not None)

    def as_dict(self):
        """For the session and the report page (plain values)."""
        return {
            "file_errors": self.file_errors,
            "row_errors": self.row_errors[:500],
            "more": max(len(self.row_errors) - 500, 0),
            "to_create": self.to_create,
            "to_update": self.to_update,
            "preview": [
                [r["number"], r["username"], r["display_name"], r["affiliation"], "更新" if r["profile"] else "新增"]
                for r in self.rows[:200]
            ],
        }


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(data):
    """(row number, [cell texts]) of the first sheet; ValueError (Chinese) for a file that is not a sound .xlsx."""
    refuse_unsafe_xlsx(data, what="Excel 文件")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValueError("文件不是有效的 Excel（.xlsx）文件。") from exc
    try:
        sheet = workbook.worksheets[0]
        found = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + 1 and any(v is not None for v in row):
                raise ValueError(f"超过每次最多导入{MAX_ROWS}行的限制，请分批导入。")
            found.append((number, [_cell(v) for v in row]))
        return found
    except ValueError:
        raise
    except Exception as exc:  # a malformed sheet part, read lazily
        raise ValueError("Excel 文件的内容已损坏，无法读取。") from exc
    finally:
        workbook.close()


class _Lookups:
    """Everything rows refer to, loaded once."""

    def __init__(self):
        self.domains = {d.name: d for d in ProfessionalDomain.objects.filter(is_active=True)}
        self.institutions = {}
        for inst in Institution.objects.only("pk", "name", "uscc", "authority_id"):
            self.institutions[inst.name] = self.institutions[inst.uscc] = inst
        self.authorities = {}
        for authority in Authority.objects.filter(is_active=True):
            self.authorities[authority.name] = self.authorities[authority.code] = authority
        self.users = {u.username: u for u in User.objects.filter(role=Role.EXPERT).select_related("expert_profile")}
        self.taken = set(User.objects.exclude(role=Role.EXPERT).values_list("username", flat=True))


def _year(text, label, errors):
    if not text:
        return None
    try:
        year = int(normalise_code(text))
    except ValueError:
        errors.append(f"{label}：请填写四位年份，如 2026。")
        return None
    if not 2000 <= year <= 2100:
        errors.append(f"{label}：年份应在2000至2100之间。")
        return None
    return year


def _validate(cells, lookups, seen, number):
    values = dict(zip(COLUMNS, cells, strict=True))
    errors = []
    username = values["登录用户名"]
    user = lookups.users.get(username)
    if not username:
        errors.append("登录用户名：必填。")
    elif not USERNAME.match(username):
        errors.append("登录用户名：只能包含字母、数字和 @ . + - _，不超过150个字符。")
    elif username in lookups.taken:
        errors.append(f"登录用户名：“{username}”已被非专家账号使用。")
    elif username in seen:
        errors.append(f"登录用户名：与第{seen[username]}行重复。")
    seen.setdefault(username, number)
    profile = getattr(user, "expert_profile", None) if user else None
    for column, limit, required in (("姓名", 50, True), ("职称/职务", 50, False), ("工作单位", 100, True)):
        if required and not values[column]:
            errors.append(f"{column}：必填。")
        elif len(values[column]) > limit:
            errors.append(f"{column}：不能超过{limit}字。")
    if len(values["研究方向关键词"]) > 200:
        errors.append("研究方向关键词：不能超过200字。")
    institution = authority = primary = None
    if values["所在承办单位"]:
        institution = lookups.institutions.get(values["所在承办单位"])
        if institution is None:
            errors.append(
                f"所在承办单位：“{values['所在承办单位']}”不是已注册的承办单位（请填写名称或统一社会信用代码，或留空）。"
            )
    if values["所属主管部门"]:
        authority = lookups.authorities.get(values["所属主管部门"])
        if authority is None:
            errors.append(f"所属主管部门：“{values['所属主管部门']}”不是启用的主管部门（请填写名称或代码，或留空）。")
    if values["主要专业技术领域"]:
        primary = lookups.domains.get(values["主要专业技术领域"])
        if primary is None:
            errors.append(f"主要专业技术领域：“{values['主要专业技术领域']}”不在专业技术领域目录中。")
    others = []
    for name in (n.strip() for n in SPLIT.split(values["其他熟悉领域"]) if n.strip()):
        if name not in lookups.domains:
            errors.append(f"其他熟悉领域：“{name}”不在专业技术领域目录中。")
        else:
            others.append(lookups.domains[name])
    phone, email = normalise_code(values["电话"]), values["电子邮箱"]
    keep_phone = not phone or "*" in phone
    keep_email = not email or "*" in email
    if "*" in phone and profile is None:
        errors.append("电话：是脱敏内容，新专家请填写完整号码或留空。")
    elif not keep_phone and not PHONE.match(phone):
        errors.append("电话：格式不正确（5至30位数字，可含 + - 括号和空格）。")
    if "*" in email and profile is None:
        errors.append("电子邮箱：是脱敏内容，新专家请填写完整地址或留空。")
    elif not keep_email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.append("电子邮箱：格式不正确。")
    active_from = _year(values["入库年度"], "入库年度", errors)
    active_until = _year(values["有效期至"], "有效期至", errors)
    if active_from and active_until and active_until < active_from:
        errors.append("有效期至：不能早于入库年度。")
    available = values["本年度可参加评审"]
    if available not in YES | NO:
        errors.append("本年度可参加评审：请填写“是”或“否”。")
    row = {
        "number": number,
        "username": username,
        "user": user,
        "profile": profile,
        "display_name": values["姓名"],
        "title": values["职称/职务"],
        "affiliation": values["工作单位"],
        "institution": institution,
        "authority": authority,
        "primary_domain": primary,
        "domains": others,
        "keywords": values["研究方向关键词"],
        "phone": None if keep_phone else phone,
        "email": None if keep_email else email,
        "active_from": active_from,
        "active_until": active_until,
        "available": available not in NO,
    }
    return row, errors


def validate_pool_file(data):
    """Every row checked against the catalogue, the registered organisations and the accounts; nothing saved."""
    report = PoolImport()
    if len(data) > MAX_BYTES:
        report.file_errors.append(f"文件过大：专家库文件不能超过{MAX_BYTES // (1024 * 1024)} MB。")
        return report
    if not data:
        report.file_errors.append("文件是空的，请重新选择。")
        return report
    try:
        rows = read_rows(data)
    except ValueError as problem:
        report.file_errors.append(str(problem))
        return report
    header = (rows[0][1] if rows else [])[: len(COLUMNS)]
    header += [""] * (len(COLUMNS) - len(header))
    if header != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        detail = f"缺少列：{'、'.join(missing)}" if missing else "列的顺序不对"
        report.file_errors.append(f"表头与模板不一致（{detail}）。请先导出专家库或下载模板，按其列填写。")
        return report
    lookups, seen = _Lookups(), {}
    for number, cells in rows[1:]:
        if not any(cells):
            continue
        cells = (cells + [""] * len(COLUMNS))[: len(COLUMNS)]
        row, errors = _validate(cells, lookups, seen, number)
        if errors:
            report.row_errors.append((number, errors))
        report.rows.append(row)
    if not report.rows:
        report.file_errors.append("文件中没有专家数据。")
    return report


def import_pool(data, *, actor):
    """Validate, then apply every row or none (one transaction). Returns the PoolImport report."""
    if not perms.is_province_officer(actor):
        raise Refused("只有省人社厅经办人可以导入专家库。")
    report = validate_pool_file(data)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in report.rows:
            user = _apply(row, actor)
            if row["profile"] is None:
                report.created += 1
                report.created_accounts.append(user)
            else:
                report.updated += 1
        record(
            actor,
            action="import_expert_pool",
            label="导入专家库",
            actor=actor,
            data={"created": report.created, "updated": report.updated},
        )
    return report


PROFILE_KEYS = ("title", "affiliation", "institution", "authority", "primary_domain", "keywords", "available")


def _apply(row, actor):
    user = row["user"]
    if user is None:
        user = User(username=row["username"], role=Role.EXPERT, must_change_password=True)
        user.set_unusable_password()
    user.display_name = row["display_name"]
    if row["phone"] is not None:
        user.phone = row["phone"]
    if row["email"] is not None:
        user.email = row["email"]
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as invalid:
        raise Refused(f"第{row['number']}行：" + "；".join(invalid.messages)) from None
    user.save()
    profile = row["profile"] or ExpertProfile(user=user)
    for key in PROFILE_KEYS:
        setattr(profile, key, row[key])
    profile.active_from, profile.active_until = row["active_from"], row["active_until"]
    try:
        profile.full_clean()
    except ValidationError as invalid:
        raise Refused(f"第{row['number']}行：" + "；".join(invalid.messages)) from None
    profile.save()
    domains = list(row["domains"])
    if row["primary_domain"] is not None and row["primary_domain"] not in domains:
        domains.append(row["primary_domain"])
    profile.domains.set(domains)
    record(
        profile,
        action="import_expert" if row["profile"] is None else "update_expert",
        label="导入评审专家" if row["profile"] is None else "导入更新评审专家信息",
        actor=actor,
        data={"username": user.username, "row": row["number"]},
    )
    return user
