"""The certificate register as .xlsx (core.spreadsheets: text stays text, rows as tall as their text)."""

from yanxiu.core.dates import chinese_date, iso_period
from yanxiu.core.spreadsheets import xlsx_bytes

from .roster import BODY_PT, list_formats, print_setup

COLUMNS = ["序号", "证书编号", "持证人", "身份证号", "研修项目", "承办单位", "研修起止日期", "学时", "颁发日期"]
WIDTHS = [5, 18, 8, 20, 28, 22, 21, 6, 14]


def export_register(call, rows):
    def write(workbook):
        sheet = workbook.add_worksheet("结业证书登记簿")
        title, head, cell = list_formats(workbook)
        number = workbook.add_format({"border": 1, "num_format": "0.0", "valign": "vcenter", "font_size": BODY_PT})
        sheet.write_string(0, 0, f"{call.year}年度专业技术人才知识更新工程高级研修项目结业证书登记簿", title)
        sheet.write_row(1, 0, COLUMNS, head)
        for r, row in enumerate(rows, start=2):
            sheet.write_row(
                r,
                0,
                [
                    str(r - 1),
                    row.serial,
                    row.holder,
                    row.id_masked,
                    row.programme,
                    row.institution,
                    iso_period(row.start_date, row.end_date),
                ],
                cell,
            )
            sheet.write_number(r, 7, float(row.credit_hours), number)
            sheet.write_string(r, 8, chinese_date(row.issued_at.date()), cell)
        for column, width in enumerate(WIDTHS):
            sheet.set_column(column, column, width)
        print_setup(sheet, header_row=1)

    return xlsx_bytes(write)
