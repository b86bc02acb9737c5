"""附件3 (汇总表) as .xlsx (xlsxwriter) and as .docx (on the blank form)."""

import copy
import io

from yanxiu.core.spreadsheets import Workbook

from .. import layout
from .ooxml import (
    IdSource,
    el,
    first_rpr,
    fix_table_layout,
    package,
    paragraph,
    set_paragraph_text,
    skeleton,
    text_control,
    w,
)

# Column widths in characters: A4 portrait, the official form's orientation (about 95 fit).
XLSX_WIDTHS = (5, 28, 22, 8, 14, 16)


def render_summary_xlsx(sheet_data):
    buffer = io.BytesIO()
    book = Workbook(buffer, {"constant_memory": False})
    sheet = book.add_worksheet("汇总表")
    body = {"font_name": "仿宋_GB2312", "font_size": 12, "border": 1, "valign": "vcenter", "text_wrap": True}
    title = book.add_format({"font_name": "方正小标宋简体", "font_size": 18, "align": "center", "valign": "vcenter"})
    label = book.add_format({"font_name": "黑体", "font_size": 14})
    head = book.add_format({**body, "font_name": "黑体", "bold": False, "align": "center"})
    cell = book.add_format(body)
    centred = book.add_format({**body, "align": "center"})
    foot = book.add_format({"font_name": "仿宋_GB2312", "font_size": 12})
    last_col = len(sheet_data.header) - 1

    sheet.write(0, 0, sheet_data.label, label)
    sheet.merge_range(1, 0, 1, last_col, sheet_data.title, title)
    sheet.set_row(1, 36)
    sheet.write_row(2, 0, sheet_data.header, head)
    for col, width in enumerate(XLSX_WIDTHS):
        sheet.set_column(col, col, width)
    row = 3
    for item in sheet_data.rows:
        sheet.write_number(row, 0, item.seq, centred)
        sheet.write_string(row, 1, item.title, cell)
        sheet.write_string(row, 2, item.host, cell)
        sheet.write_string(row, 3, item.contact, centred)
        sheet.write_string(row, 4, item.phone, centred)
        sheet.write_string(row, 5, item.domain, cell)
        row += 1
    sheet.write(row + 1, 0, f"主管部门或申报单位(盖章):{sheet_data.signer}", foot)
    sheet.write(row + 1, 4, "填表日期：   年   月   日", foot)

    sheet.set_paper(9)  # A4 portrait, as the official 附件3
    sheet.set_portrait()
    sheet.repeat_rows(2)  # the header on every printed page
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    sheet.center_horizontally()
    sheet.set_footer("&C第 &P 页，共 &N 页")
    book.close()
    return buffer.getvalue()


def render_summary_docx(sheet_data):
    _, template = skeleton("att3")
    document = copy.deepcopy(template)
    body = document.find(w("body"))
    ids = IdSource()
    paragraphs = body.findall(w("p"))
    set_paragraph_text(paragraphs[0], sheet_data.label)
    set_paragraph_text(paragraphs[1], sheet_data.title)
    table = body.find(w("tbl"))
    fix_table_layout(table)
    rows = table.findall(w("tr"))
    header, blank = rows[0], rows[1]
    # The header repeats on every page.
    trpr = header.find(w("trPr"))
    if trpr is None:
        trpr = el(w("trPr"))
        header.insert(0, trpr)
    trpr.append(el(w("tblHeader")))
    for extra in rows[1:]:
        table.remove(extra)
    keys = [key for key, _ in layout.SUMMARY_COLUMNS]
    for item in sheet_data.rows:
        tr = copy.deepcopy(blank)
        for tc, key, value in zip(tr.findall(w("tc")), keys, item.values(), strict=False):
            rpr = first_rpr(tc)
            for p in tc.findall(w("p")):
                tc.remove(p)
            control = text_control(
                f"{layout.TAG_PREFIX}row.{item.seq}.{key}", layout.FIELD_LABELS.get(key, key), str(value), rpr, ids
            )
            tc.append(paragraph([control]))
        table.append(tr)
    footer = paragraphs[2]
    set_paragraph_text(footer, f"主管部门或申报单位(盖章):{sheet_data.signer}" + " " * 20 + "填表日期：   年   月   日")
    return package("att3", document)
