"""The roster in Excel: a template, the all-or-nothing import with a per-row
report, the export, and the credit-hours record for continuing-education
registration. Written through core.spreadsheets, read through core.sheets (the one reader and report)."""

from dataclasses import dataclass

from django.db import transaction

from yanxiu.applications.enums import TraineeTitleLevel
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.dates import iso_period
from yanxiu.core.sheets import SheetReport, SheetUnreadable, padded, read_sheet
from yanxiu.core.spreadsheets import xlsx_bytes

from ..domain.enrolment import validate_trainee
from ..domain.ids import mask
from ..domain.personal_data import mask_mobile
from ..domain.programmes import require_host
from ..enums import PROVINCE_NAMES, Gender, Sector
from ..models import Trainee

COLUMNS = [
    "姓名",
    "身份证号",
    "性别",
    "工作单位",
    "职务",
    "职称等级",
    "专业领域",
    "手机",
    "所在省份",
    "是否基层一线",
    "单位性质",
]
FIELDS = [
    "name",
    "id_number",
    "gender",
    "employer",
    "position",
    "title_level",
    "professional_field",
    "mobile",
    "province",
    "is_grassroots",
    "sector",
]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

GENDER_BY_LABEL = {label: value for value, label in Gender.choices}
TITLE_BY_LABEL = {label: value for value, label in TraineeTitleLevel.choices} | {"其他": TraineeTitleLevel.OTHER}
SECTOR_BY_LABEL = {label: value for value, label in Sector.choices} | {
    "公有": Sector.PUBLIC,
    "非公有": Sector.NON_PUBLIC,
}
PROVINCE_BY_NAME = {name: code for code, name in PROVINCE_NAMES.items()}
YES = {"是", "Y", "y", "1", "yes"}
NO = {"否", "N", "n", "0", "no", ""}


def _xlsx(write):
    return xlsx_bytes(write)  # text cells stay text (core.spreadsheets)


def template():
    def write(workbook):
        sheet = workbook.add_worksheet("学员名册")
        head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        text = workbook.add_format({"num_format": "@"})
        sheet.write_row(0, 0, COLUMNS, head)
        sheet.set_column(0, len(COLUMNS) - 1, 16, text)
        sheet.set_column(1, 1, 22, text)
        sheet.data_validation(1, 2, MAX_ROWS, 2, {"validate": "list", "source": list(GENDER_BY_LABEL)})
        sheet.data_validation(1, 5, MAX_ROWS, 5, {"validate": "list", "source": TraineeTitleLevel.labels})
        sheet.data_validation(1, 9, MAX_ROWS, 9, {"validate": "list", "source": ["是", "否"]})
        sheet.data_validation(1, 10, MAX_ROWS, 10, {"validate": "list", "source": Sector.labels})
        workbook.add_notes(
            [
                "1. 第一行为表头，请勿修改列名和顺序；从第二行起每行一名学员。",
                "2. 身份证号请以文本格式填写18位号码（末位X大写）。",
                "3. 职称等级填写：中级、副高级、正高级或其他（初级或无职称）。",
                "4. 所在省份填写省级行政区全称，如“福建省”；省级项目只招收福建省学员。",
                "5. 是否基层一线填写“是”或“否”；单位性质填写“公有制单位”或“非公有制单位”。",
                f"6. 每次最多导入{MAX_ROWS}行；有任何一行出错，整个文件都不会导入。",
            ],
            width=90,
        )

    return _xlsx(write)


@dataclass
class ImportReport(SheetReport):
    rows: int = 0
    imported: int = 0


def _row_data(values):
    data = dict(zip(FIELDS, values, strict=False))
    data["gender"] = GENDER_BY_LABEL.get(data["gender"], data["gender"] or None)
    data["title_level"] = TITLE_BY_LABEL.get(data["title_level"], data["title_level"] or None)
    data["province"] = PROVINCE_BY_NAME.get(data["province"], data["province"] or None)
    data["sector"] = SECTOR_BY_LABEL.get(data["sector"], data["sector"] or None)
    flag = data["is_grassroots"]
    data["is_grassroots"] = True if flag in YES else (False if flag in NO else "?")
    return data


def import_roster(programme, data, actor):
    """Validate every row; import all of them or none. Imported trainees are
    enrolled as pending, for the host to approve like any other enrolment."""
    require_host(actor, programme)
    report = ImportReport()
    if programme.state != "preparing":
        report.file_errors.append("项目已进入结业阶段，不能再导入学员。")
        return report
    if len(data) > MAX_BYTES:
        report.file_errors.append(f"文件过大：名册文件不能超过{MAX_BYTES // (1024 * 1024)} MB。")
        return report
    try:
        rows = iter(read_sheet(data, what="名册文件"))
    except SheetUnreadable as problem:
        return report.refuse_file(str(problem))
    _, header = next(rows, (1, []))
    if not report.header_matches(header, COLUMNS, "请下载模板，按模板的列填写。"):
        return report
    existing = {t.id_number for t in programme.trainees.only("id_number")}
    seen = {}
    values_list = []
    for number, cells in rows:
        if not any(cells):
            continue
        report.rows += 1
        cells = padded(cells, len(COLUMNS))
        data_row = _row_data(cells)
        messages = []
        if data_row["is_grassroots"] == "?":
            messages.append("是否基层一线：请填写“是”或“否”。")
            data_row["is_grassroots"] = False
        values, errors = validate_trainee(programme, data_row)
        messages += [f"{COLUMNS[FIELDS.index(f)]}：{m}" for f, m in errors.items()]
        number_id = values.get("id_number")
        if number_id:
            if number_id in seen:
                messages.append(f"身份证号与第{seen[number_id]}行重复。")
            elif number_id in existing:
                messages.append("该身份证号已在本项目名单中。")
            seen.setdefault(number_id, number)
        report.row_problems(number, messages)
        values_list.append(values)
    if report.rows == 0:
        report.file_errors.append("文件中没有学员数据。")
    if report.rows > MAX_ROWS:
        report.file_errors.append(f"共{report.rows}行，超过每次最多导入{MAX_ROWS}行的限制。请分批导入。")
    if report.rows + len(existing) > programme.capacity * 3:
        report.file_errors.append(
            f"导入后名单将有{report.rows + len(existing)}人，远超招收名额{programme.capacity}人，请核对文件。"
        )
    if not report.ok:
        return report
    now = clock.now()
    with transaction.atomic():
        created = Trainee.objects.bulk_create(
            Trainee(programme=programme, id_masked=mask(v["id_number"]), enrolled_at=now, source="import", **v)
            for v in values_list
        )
        record(
            programme,
            action="import_roster",
            label="导入学员名册",
            actor=actor,
            data={"rows": report.rows, "imported": len(created)},
        )
    report.imported = len(values_list)
    return report


EXPORT_COLUMNS = [*COLUMNS, "状态"]
# Widths (Excel character units) by content: an ID number is 18 digits, a name 2–4 characters,
# 工作单位 and 专业领域 wrap. Their sum fits landscape A4 at full size.
EXPORT_WIDTHS = [8, 20, 5, 24, 10, 9, 12, 13, 8, 7, 11, 8]

# Printing: landscape A4 with 10 mm side margins, 12 pt text. The workbook (core.spreadsheets)
# sizes every row from its wrapped text and prints at the scale that fits the page's width, but
# never under 9 pt: these widths fit landscape A4 at 9.6 pt.
BODY_PT = 12


def print_setup(sheet, header_row):
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)  # core.spreadsheets turns it into a legible print scale


def export_roster(programme, trainees, id_numbers):
    """The roster; `id_numbers` maps trainee pk -> whole number (already logged) or is empty (masked
    ID numbers and mobiles)."""

    def write(workbook):
        sheet = workbook.add_worksheet("学员名册")
        title, head, cell = list_formats(workbook)
        sheet.merge_range(0, 0, 0, len(EXPORT_COLUMNS) - 1, f"{programme} 学员名册", title)
        sheet.write_row(1, 0, EXPORT_COLUMNS, head)
        for r, t in enumerate(trainees, start=2):
            sheet.write_row(
                r,
                0,
                [
                    t.name,
                    id_numbers.get(t.pk, t.id_masked),
                    t.get_gender_display(),
                    t.employer,
                    t.position,
                    t.get_title_level_display(),
                    t.professional_field,
                    t.mobile if t.pk in id_numbers else mask_mobile(t.mobile),
                    t.get_province_display(),
                    "是" if t.is_grassroots else "否",
                    t.get_sector_display(),
                    t.get_state_display(),
                ],
                cell,
            )
        for column, width in enumerate(EXPORT_WIDTHS):
            sheet.set_column(column, column, width)
        print_setup(sheet, header_row=1)

    return _xlsx(write)


CREDIT_COLUMNS = ["序号", "姓名", "身份证号", "工作单位", "项目名称", "承办单位", "研修起止日期", "学时", "证书编号"]
CREDIT_WIDTHS = [5, 8, 20, 22, 24, 20, 21, 6, 18]  # fit landscape A4 at 9 pt


def export_credit_hours(programme, certificates, id_numbers):
    def write(workbook):
        sheet = workbook.add_worksheet("学时登记")
        head = workbook.add_format(
            {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter", "font_size": BODY_PT}
        )
        cell = workbook.add_format(
            {"border": 1, "num_format": "@", "text_wrap": True, "valign": "vcenter", "font_size": BODY_PT}
        )
        number = workbook.add_format({"border": 1, "num_format": "0.0", "valign": "vcenter", "font_size": BODY_PT})
        sheet.write_row(0, 0, CREDIT_COLUMNS, head)
        period = iso_period(programme.start_date, programme.end_date)
        for r, c in enumerate(certificates, start=1):
            t = c.trainee
            sheet.write_row(
                r,
                0,
                [
                    str(r),
                    t.name,
                    id_numbers.get(t.pk, t.id_masked),
                    t.employer,
                    str(programme),
                    programme.institution.name,
                    period,
                ],
                cell,
            )
            sheet.write_number(r, 7, float(c.credit_hours), number)
            sheet.write_string(r, 8, c.serial, cell)
        for column, width in enumerate(CREDIT_WIDTHS):
            sheet.set_column(column, column, width)
        print_setup(sheet, header_row=0)

    return _xlsx(write)


def list_formats(workbook):
    """(title, head, cell) of a printed list: the roster's and the certificate register's."""
    title = workbook.add_format({"bold": True, "font_size": 14})
    head = workbook.add_format(
        {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "vcenter", "font_size": BODY_PT}
    )
    cell = workbook.add_format(
        {"border": 1, "num_format": "@", "text_wrap": True, "valign": "vcenter", "font_size": BODY_PT}
    )
    return title, head, cell
