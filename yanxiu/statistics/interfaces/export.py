"""A chart's numbers as an .xlsx sheet: text is always written as text, never as a formula."""

import io

from yanxiu.core.spreadsheets import Workbook


def chart_workbook(chart, scope):
    buffer = io.BytesIO()
    book = Workbook(buffer)
    sheet = book.add_worksheet(chart.title[:31].replace("/", "、"))
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#EEEEEE", "text_wrap": True})
    cell = book.add_format({"border": 1})
    sheet.write_string(0, 0, f"{scope.call.year}年 {chart.title}", title)
    sheet.write_string(1, 0, _scope_text(scope))
    sheet.write_string(3, 0, "项目", head)
    for column, header in enumerate(chart.headers, start=1):
        sheet.write_string(3, column, header, head)
    for row_number, row in enumerate(chart.rows, start=4):
        sheet.write_string(row_number, 0, str(row[0]), cell)
        for column, value in enumerate(row[1:], start=1):
            sheet.write_number(row_number, column, float(value), cell)
    if chart.note:
        sheet.write_string(len(chart.rows) + 5, 0, chart.note)
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, max(1, len(chart.headers)), 14)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()


def _scope_text(scope):
    parts = [f"{scope.call.year}年"]
    if scope.tier:
        parts.append("国家级" if scope.tier == "national" else "省级")
    if scope.authority is not None:
        parts.append(scope.authority.name)
    elif not scope.user.has_perm("statistics.filter_by_authority"):  # an authority: its own
        parts.append(scope.user.authority.name)
    return "统计范围：" + "，".join(parts)
