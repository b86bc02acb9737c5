"""No cell of any .xlsx the system writes is a formula made from user data.

Every writer goes through core.spreadsheets.Workbook; each export is written here
with text starting with = + - @ tab and CR, read back with openpyxl (a string
cell, quote-prefixed) and in its XML (no <f> element, no hyperlink)."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, planned
from tests.reviews import factories as rf
from tests.selection.test_selection import forwarded
from yanxiu.core.spreadsheets import Workbook, xlsx_bytes
from yanxiu.delivery.domain import attendance, certificates, enrolment
from yanxiu.delivery.interfaces import roster
from yanxiu.delivery.models import Certificate
from yanxiu.documents.generate.summary import render_summary_xlsx
from yanxiu.documents.imports.importer import FileResult
from yanxiu.documents.imports.report import xlsx as import_report_xlsx
from yanxiu.documents.interfaces.summary import SummaryRow, SummarySheetData, summary_title
from yanxiu.reviews.domain.results import round_results
from yanxiu.reviews.interfaces.export import build_workbook
from yanxiu.selection.domain import decisions
from yanxiu.selection.interfaces.plan import plan_xlsx
from yanxiu.selection.models import Outcome
from yanxiu.statistics.domain.figures import Chart, Scope
from yanxiu.statistics.interfaces.export import chart_workbook

HYPERLINK = '=HYPERLINK("http://evil.example/x","点击")'
DANGEROUS = [HYPERLINK, "+1+1", "-1+1", "@SUM(1,2)", "\t=1+1", "\r=1+1"]


def assert_no_formula(data, *texts):
    """No formula or hyperlink in any sheet; every cell holding one of `texts` is a quote-prefixed string."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml, name
                assert "<f " not in xml, name
                assert "<hyperlink" not in xml, name
    book = load_workbook(io.BytesIO(data))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value.replace("_x000D_", "\r") if isinstance(cell.value, str) else cell.value
                if value in texts:
                    assert cell.data_type == "s", (cell.coordinate, cell.value)
                    assert cell.quotePrefix, (cell.coordinate, cell.value)
                    found[value] = cell.coordinate
    assert set(found) == set(texts), f"not found: {set(texts) - set(found)}"


def test_the_workbook_writes_every_kind_of_text_as_text():
    def write(book):
        sheet = book.add_worksheet("x")
        bordered = book.add_format({"border": 1, "bold": True})
        sheet.write_row(0, 0, DANGEROUS)
        sheet.write(1, 0, "http://evil.example/", bordered)
        sheet.write_string(1, 1, "=1+1", bordered)
        sheet.merge_range(2, 0, 2, 3, "=2+2", bordered)
        sheet.write(3, 0, "0123")

    data = xlsx_bytes(write)
    assert_no_formula(data, *DANGEROUS, "=1+1", "=2+2")
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet["A2"].value, sheet["A2"].hyperlink) == ("http://evil.example/", None)
    assert (sheet["B2"].font.b, sheet["B2"].border.left.style) == (True, "thin")  # the caller's format is kept
    assert sheet["A4"].value == "0123"  # text stays text, not a number


def test_formulas_are_refused_and_caller_options_cannot_turn_them_back_on():
    book = Workbook(io.BytesIO(), {"strings_to_formulas": True, "strings_to_urls": True})
    sheet = book.add_worksheet()
    with pytest.raises(TypeError, match="no formulas"):
        sheet.write_formula(0, 0, "=1+1")
    sheet.write(0, 1, "=1+1")
    book.close()
    assert_no_formula(book.filename.getvalue(), "=1+1")


@pytest.mark.django_db
def test_the_roster_and_the_credit_hours_record(clock):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, len(DANGEROUS))
    for trainee, text in zip(trainees, DANGEROUS, strict=True):
        trainee.employer = text
        trainee.position = text
        trainee.save()
    rows = list(programme.trainees.all())
    assert_no_formula(roster.export_roster(programme, rows, {}), *DANGEROUS)
    assert_no_formula(roster.export_roster(programme, rows, {t.pk: t.id_number for t in rows}), *DANGEROUS)
    enrolment.review(programme, rows, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in rows], host)
    issued = certificates.issue(programme, host)
    issued = list(Certificate.objects.filter(pk__in=[c.pk for c in issued]).select_related("trainee"))
    assert len(issued) == len(DANGEROUS)
    assert_no_formula(roster.export_credit_hours(programme, issued, {}), *DANGEROUS)


def test_the_summary_sheet():
    rows = [SummaryRow(i, text, text, text, text, text) for i, text in enumerate(DANGEROUS, start=1)]
    sheet = SummarySheetData(label="附件3", title=summary_title(2026), signer="=签章", rows=rows)
    assert_no_formula(render_summary_xlsx(sheet), *DANGEROUS)


@pytest.mark.django_db
def test_the_annual_plan():
    officer = factories.province_officer()
    application = forwarded("provincial", title='=HYPERLINK("http://evil.example/x","点击")')
    decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.publish(application.call, actor=officer, without_publicity="（测试）不经公示")
    assert_no_formula(plan_xlsx(application.call), HYPERLINK)


@pytest.mark.django_db
def test_the_review_export():
    review_round = rf.review_round(reviews_per_application=2)
    application = rf.forwarded("provincial")
    for expert, comment in zip([rf.expert(affiliation=text) for text in DANGEROUS[:2]], DANGEROUS[2:4], strict=True):
        rf.submit(rf.assign(review_round, application, expert), comment=comment)
    assert_no_formula(build_workbook(round_results(review_round)), *DANGEROUS[:4])


@pytest.mark.django_db
def test_the_statistics_sheet():
    chart = Chart(
        key="x", title="按主管部门", kind="bar", categories=DANGEROUS, series=[("项目数", [1] * len(DANGEROUS))]
    )
    scope = Scope(user=factories.province_officer(), call=factories.call_2026())
    assert_no_formula(chart_workbook(chart, scope), *DANGEROUS)


def test_the_import_report():
    results = [FileResult(file=text, status="refused") for text in DANGEROUS]
    assert_no_formula(import_report_xlsx(results), *DANGEROUS)
