"""附件3 (汇总表) as .xlsx (xlsxwriter) and as .docx (on the blank form)."""

import copy
import io
import re

from yanxiu.core.spreadsheets import Workbook

from .. import layout
from .ooxml import (
    IdSource,
    el,
    first_rpr,
    fix_table_layout,
    package,
    page_number_footer,
    paragraph,
    set_grid,
    set_paragraph_text,
    skeleton,
    text_control,
    text_runs,
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


# The blank 附件3: A4 portrait, text area 11906 - 1587 - 1474 twips; the table in 小四 (12 pt).
TEXT_WIDTH = 11906 - 1587 - 1474
CHAR = 240  # one 小四 character, in twips
CELL_MARGINS = 2 * 57
BLANK_ROWS = 5  # the official form's rows to fill by hand
FIT = {"seq": "single", "contact": "single", "phone": "single"}  # on one line; the others wrap


def text_width(text):
    """Width in Chinese characters as printed (the CJK faces' digits and Latin letters about half, plus slack)."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in str(text))


def column_widths(sheet_data):
    """Column widths (twips) by content: 序号, 联系人 and 联系电话 as wide as their longest value
    (so "0591-87000001" never breaks), the rest of the page shared by 研修选题, 承办单位 and
    the domain in proportion to their usual length, each at least its header's width."""
    keys = [key for key, _ in layout.SUMMARY_COLUMNS]
    header_lines = {"domain": ["所属专业", "技术领域"]}
    needs = {}
    for key, label in layout.SUMMARY_COLUMNS:
        values = [str(v) for v in (getattr(row, key) for row in sheet_data.rows) if v not in (None, "")]
        head = max(text_width(line) for line in header_lines.get(key, [label]))
        longest = max([text_width(v) for v in values] or [0])
        typical = sorted(text_width(v) for v in values)[len(values) * 9 // 10] if values else head
        needs[key] = (head, longest, typical)
    widths = {}
    for key in keys:
        if key in FIT:
            head, longest, _ = needs[key]
            widths[key] = int(max(head, min(longest, 14)) * CHAR) + CELL_MARGINS + 40
    rest = TEXT_WIDTH - sum(widths.values())
    flexible = [k for k in keys if k not in FIT]
    minimum = {k: int(needs[k][0] * CHAR) + CELL_MARGINS for k in flexible}
    weights = {k: max(needs[k][2], needs[k][0], 4) for k in flexible}
    total = sum(weights.values())
    for key in flexible:
        widths[key] = max(minimum[key], int(rest * weights[key] / total))
    widths[flexible[0]] += TEXT_WIDTH - sum(widths.values())  # 研修选题 takes the rounding
    return [widths[k] for k in keys]


def _footer_paragraph(footer, signer):
    """主管部门或申报单位(盖章):… and 填表日期 on one line: a right tab stop, in a size that fits."""
    rpr = first_rpr(footer)
    left = f"主管部门或申报单位(盖章):{signer}"
    right = "填表日期：    年    月    日"
    need = (text_width(left) + text_width(right) + 2) * CHAR
    size = 24 if need <= TEXT_WIDTH else max(18, int(24 * TEXT_WIDTH / need))
    for name in ("sz", "szCs"):
        node = rpr.find(w(name))
        if node is None:
            node = el(w(name))
            rpr.append(node)
        node.set(w("val"), str(size))
    for child in list(footer):
        footer.remove(child)
    ppr = el(w("pPr"), children=[el(w("tabs"), children=[el(w("tab"), {w("val"): "right", w("pos"): TEXT_WIDTH})])])
    ppr.append(el(w("spacing"), {w("before"): 240, w("after"): 0}))
    footer.append(ppr)
    for run in text_runs(f"{left}\t{right}", rpr):
        footer.append(run)


def render_summary_docx(sheet_data):
    _, template = skeleton("att3")
    document = copy.deepcopy(template)
    body = document.find(w("body"))
    ids = IdSource()
    paragraphs = body.findall(w("p"))
    set_paragraph_text(paragraphs[0], sheet_data.label)
    _title_paragraph(paragraphs[1], sheet_data.title)
    table = body.find(w("tbl"))
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
    # Rows to fill by hand, as the blank has: the table never has fewer than the form's five.
    for _ in range(max(0, BLANK_ROWS - len(sheet_data.rows))):
        table.append(copy.deepcopy(blank))
    for tr in table.findall(w("tr"))[1:]:
        trpr = tr.find(w("trPr"))
        if trpr is None:
            trpr = el(w("trPr"))
            tr.insert(0, trpr)
        trpr.append(el(w("cantSplit")))  # a row never splits across pages
        trpr.append(el(w("trHeight"), {w("val"): 454, w("hRule"): "atLeast"}))  # 8 mm to write in
    set_grid(table, column_widths(sheet_data))
    fix_table_layout(table)
    tbl_pr = table.find(w("tblPr"))
    if tbl_pr.find(w("tblCellMar")) is None:  # narrow cell margins, as column_widths counts them
        tbl_pr.find(w("tblLayout")).addnext(
            el(w("tblCellMar"), children=[el(w(side), {w("w"): 57, w("type"): "dxa"}) for side in ("left", "right")])
        )
    _footer_paragraph(paragraphs[2], sheet_data.signer)
    return package("att3", document, page_number_footer("att3", document))


def _title_paragraph(p, title):
    """The title on one line if it fits, else broken before its year ("…工程" / "2026年…汇总表"),
    never inside a word."""
    set_paragraph_text(p, title)
    size = p.find(f".//{w('sz')}")
    half_points = int(size.get(w("val"))) if size is not None else 36
    at = re.search(r"\d{4}年", title)
    if at is None or text_width(title) * half_points * 10 <= TEXT_WIDTH:
        return
    set_paragraph_text(p, f"{title[: at.start()]}\n{title[at.start() :]}")
