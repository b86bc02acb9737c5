"""Every .xlsx prints legibly (decision 0020): each row as tall as its wrapped text, text ≥ 9 pt.

core.spreadsheets.Workbook does it for every writer; here the rule itself, then each export the
system prints (附件3, the roster, the credit-hours record, the annual plan) read back with
openpyxl, and one 附件3 of 37 rows converted by LibreOffice and read back from the PDF.
"""

import io
import re
import subprocess
import zipfile

import pytest
from lxml import etree
from openpyxl import load_workbook

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, planned
from tests.selection.test_selection import forwarded
from yanxiu.core import spreadsheets
from yanxiu.core.spreadsheets import xlsx_bytes
from yanxiu.delivery.domain import attendance, certificates, enrolment
from yanxiu.delivery.interfaces import roster
from yanxiu.delivery.models import Certificate
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.summary import render_summary_xlsx
from yanxiu.documents.imports.parse_forms import compact
from yanxiu.documents.interfaces.summary import SummaryRow, SummarySheetData, summary_title
from yanxiu.selection.domain import decisions
from yanxiu.selection.interfaces.plan import plan_xlsx
from yanxiu.selection.models import Outcome

X = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
LONG_TITLE = "面向新型工业化的人工智能赋能传统制造业数字化转型与智能制造关键技术高级研修班"
LONG_HOST = "福建省福州市鼓楼区某某智能制造技术研究院有限公司继续教育中心"


def check_rows(data):
    """Every row holding wrapped text is at least as tall as its longest cell needs; returns how many."""
    checked = 0
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        merged = {cell for rng in sheet.merged_cells.ranges for row in rng.cells for cell in [row]}
        for row in sheet.iter_rows():
            needed = 0
            for cell in row:
                if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                    continue
                size = cell.font.sz or 11
                width = sheet.column_dimensions[cell.column_letter].width or spreadsheets.DEFAULT_WIDTH
                lines = spreadsheets.lines_needed(cell.value, width, size) if cell.alignment.wrap_text else 1
                needed = max(needed, spreadsheets.row_height(lines, size))
            if needed > spreadsheets.DEFAULT_ROW_PT:
                height = sheet.row_dimensions[row[0].row].height
                assert height is not None, (sheet.title, row[0].row)
                assert height >= needed, (sheet.title, row[0].row, height, needed)
                checked += 1
    return checked


def printed_scale(data):
    """(scale in percent, whether "fit to page" is still on) of the first sheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    setup = sheet.find("x:pageSetup", namespaces=X)
    fit = sheet.xpath("x:sheetPr/x:pageSetUpPr/@fitToPage", namespaces=X)
    return int(setup.get("scale", "100")), bool(fit)


def smallest_font(data):
    return min(
        c.font.sz or 11
        for ws in load_workbook(io.BytesIO(data)).worksheets
        for r in ws.iter_rows()
        for c in r
        if c.value
    )


def test_a_wrapped_cell_gets_the_height_of_its_lines_and_a_set_height_is_kept():
    def write(book):
        sheet = book.add_worksheet("x")
        wrapped = book.add_format({"text_wrap": True, "font_size": 12})
        sheet.set_column(0, 0, 10)
        sheet.write_string(0, 0, LONG_TITLE, wrapped)
        sheet.write_string(1, 0, "短", wrapped)
        sheet.write_string(2, 0, LONG_TITLE)  # not wrapped: one line
        sheet.write_string(3, 0, LONG_TITLE, wrapped)
        sheet.set_row(3, 40)  # the writer's own height wins

    sheet = load_workbook(io.BytesIO(xlsx_bytes(write))).active
    lines = spreadsheets.lines_needed(LONG_TITLE, 10, 12)
    assert lines >= 4
    assert sheet.row_dimensions[1].height == spreadsheets.row_height(lines, 12)
    assert sheet.row_dimensions[2].height == spreadsheets.row_height(1, 12)  # one line of 12 pt
    assert sheet.row_dimensions[3].height == spreadsheets.row_height(1, 11)  # not wrapped, no format: one 11 pt line
    assert sheet.row_dimensions[4].height == 39.75  # 40 pt as Excel stores it (whole pixels)


def test_fit_to_the_page_width_becomes_a_scale_that_keeps_9_pt():
    def write(book, widths):
        sheet = book.add_worksheet("x")
        sheet.set_paper(9)
        sheet.write_row(0, 0, ["字"] * len(widths), book.add_format({"font_size": 12}))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.fit_to_pages(1, 0)

    narrow = xlsx_bytes(lambda book: write(book, [10] * 5))  # 50 units fit A4 portrait at full size
    wide = xlsx_bytes(lambda book: write(book, [20] * 10))  # would need 32 %
    assert printed_scale(narrow) == (100, False)
    assert printed_scale(wide) == (75, False)  # 12 pt × 75 % = 9 pt


@pytest.mark.django_db
def test_every_printed_export_has_row_heights_and_9_pt_text(clock):
    sheet = SummarySheetData(
        label="附件3",
        title=summary_title(2026),
        signer="福州市人力资源和社会保障局",
        rows=[
            SummaryRow(i, f"{LONG_TITLE}{i}", LONG_HOST, "张老师", "0591-87000001", "工程技术（电子信息）")
            for i in range(1, 38)
        ],
    )
    summary = render_summary_xlsx(sheet)

    officer = factories.province_officer()
    application = forwarded("provincial", title=LONG_TITLE[:50])
    decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.publish(application.call, actor=officer, without_publicity="（测试）不经公示")
    plan = plan_xlsx(application.call)

    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 6, employer=LONG_HOST)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in trainees], host)
    issued = certificates.issue(programme, host)
    issued = list(Certificate.objects.filter(pk__in=[c.pk for c in issued]).select_related("trainee"))
    roster_data = roster.export_roster(programme, list(programme.trainees.all()), {})
    credit = roster.export_credit_hours(programme, issued, {})

    for name, data, rows in (
        ("附件3", summary, 37),
        ("roster", roster_data, 6),
        ("credit", credit, 6),
        ("plan", plan, 1),
    ):
        assert check_rows(data) >= rows, name
        scale, fit = printed_scale(data)
        assert not fit, name
        assert smallest_font(data) * scale / 100 >= 9, name


@pytest.fixture(scope="module")
def summary_pdf():
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    rows = [
        SummaryRow(i, f"{LONG_TITLE}（第{i}期）", LONG_HOST, "张老师", "0591-87000001", "工程技术（电子信息）")
        for i in range(1, 38)
    ]
    sheet = SummarySheetData(label="附件3", title=summary_title(2026), signer="福州市人力资源和社会保障局", rows=rows)
    return rows, pdf.convert_to_pdf(render_summary_xlsx(sheet), suffix=".xlsx")


def test_a_printed_summary_of_37_rows_shows_every_title_whole_at_9_pt_or_more(summary_pdf):
    rows, data = summary_pdf
    text = compact(subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode())
    for row in rows:  # a row too short would clip its wrapped title's last line
        assert compact(f"（第{row.seq}期）") in text, row.title
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    heights = [float(b) - float(a) for a, b in re.findall(r'yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">张老师<', boxes)]
    assert len(heights) == 37
    assert min(heights) >= 9 * 1.3 - 0.1  # a word box is 1.3 × the font size (pdftotext)
