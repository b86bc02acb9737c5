"""附件3 (.xlsx, .docx), and conversions with LibreOffice: they open, the text matches."""

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from lxml import etree

from yanxiu.applications.models import Application
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.generate.ooxml import BLANKS_DIR
from yanxiu.documents.generate.summary import TEXT_WIDTH, render_summary_docx, render_summary_xlsx
from yanxiu.documents.imports.importer import import_source
from yanxiu.documents.imports.sources import Source
from yanxiu.documents.interfaces.summary import SummaryRow, SummarySheetData, summary_sheet, summary_title


@pytest.fixture(autouse=True)
def _libreoffice_installed():
    # `make test` installs them (make system-deps); a missing converter is a failure, not a skip.
    assert pdf.is_available(), "LibreOffice not installed: run make system-deps"
    assert shutil.which("pdftotext"), "pdftotext not installed: run make system-deps"


def needs_libreoffice(test):
    return test


def sheet_of(n):
    rows = [SummaryRow(i, f"研修班{i}", f"单位{i}", "联系人", "0591-87612629", "农业技术") for i in range(1, n + 1)]
    return SummarySheetData(label="附件3", title=summary_title(2026), signer="泉州市人力资源和社会保障局", rows=rows)


def test_summary_xlsx_layout():
    book = openpyxl.load_workbook(io.BytesIO(render_summary_xlsx(sheet_of(3))))
    sheet = book["汇总表"]
    assert sheet["A1"].value == "附件3"
    assert sheet["A2"].value == "福建省专业技术人才知识更新工程2026年高级研修项目汇总表"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A2:F2"]
    assert [c.value for c in sheet[3]] == ["序号", "研修选题", "承办单位", "联系人", "联系电话", "所属专业技术领域"]
    assert [c.value for c in sheet[4]] == [1, "研修班1", "单位1", "联系人", "0591-87612629", "农业技术"]
    assert sheet["A6"].value == 3
    assert sheet["A8"].value == "主管部门或申报单位(盖章):泉州市人力资源和社会保障局"
    assert sheet["B4"].border.left.style == "thin"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("portrait", 9)  # as the official form
    assert sheet.print_title_rows == "$3:$3"
    assert round(sheet.column_dimensions["B"].width) == 29


def test_summary_of_an_authority_round_trips_through_import(demo, province):
    applications = (
        Application.objects.filter(state__in=["submitted", "authority_approved"])
        .select_related("domain")
        .order_by("pk")
    )
    sheet = summary_sheet(list(applications), year=2026, signer="福建省人力资源和社会保障厅")
    result = import_source(Source("sum.docx", render_summary_docx(sheet)), actor=province, dry_run=True)
    assert result.form == "att3"
    assert result.application["rows"] == [
        {"title": r.title, "host": r.host, "contact": r.contact, "phone": r.phone, "domain": r.domain}
        for r in sheet.rows
    ]
    assert result.application["authority"] == "福建省人力资源和社会保障厅"
    assert result.application["applications"] == [a.pk for a in applications]


def _pdftotext(data):
    completed = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return completed.stdout.decode("utf-8")


@needs_libreoffice
def test_form_pdf_text_matches_the_application(national):
    data = pdf.convert_to_pdf(render_application_docx(national))
    assert data.startswith(b"%PDF-")
    text = "".join(_pdftotext(data).split())
    for expected in (
        "附件1",
        "2026年高级研修项目申报表",
        "生物育种与种业振兴关键技术高级研修班",
        "2026年8月3日—8月8日",
        "农业农村部",
        "☑财政资助项目",
        "□自筹经费项目",
        "☑是第10",
        "福建现代种业",
        "13900000001",
    ):
        assert expected in text, expected


@needs_libreoffice
def test_provincial_form_and_summary_open_in_libreoffice(provincial, settings):
    # Through a fresh soffice, as before the tests had a warm converter: the warm converter
    # (unoserver) refuses this .xlsx ("Could not load document … using the default filter"),
    # found 2026-12-07 and reported, not fixed here (decision 0029, "Reaching 15 minutes").
    settings.DOCUMENTS_UNOSERVER = ""
    text = "".join(_pdftotext(pdf.convert_to_pdf(render_application_docx(provincial))).split())
    assert "申报单位：泉州文博数字研究中心（盖章）" in text
    assert "■" not in text
    summary = sheet_of(2)
    text = "".join(_pdftotext(pdf.convert_to_pdf(render_summary_docx(summary))).split())
    assert "序号研修选题承办单位联系人联系电话" in text
    assert "研修班2单位2" in text
    if (
        shutil.which("soffice")
        and subprocess.run(
            ["sh", "-c", "ls /usr/lib/libreoffice/program/libsclo.so"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        text = "".join(_pdftotext(pdf.convert_to_pdf(render_summary_xlsx(summary), suffix=".xlsx")).split())
        assert "福建省专业技术人才知识更新工程2026年高级研修项目汇总表" in text
        assert "研修班1单位1" in text


def test_missing_libreoffice_gives_a_clear_message(settings):
    settings.DOCUMENTS_SOFFICE = "/nonexistent/soffice"
    with pytest.raises(pdf.ConverterMissing, match="LibreOffice"):
        pdf.convert_to_pdf(b"PK")


# --- 附件3 as printed (issue 11) ---------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag):
    return f"{{{W_NS}}}{tag}"


def _document(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _run_text(node):
    marks = {_w("tab"): "\t", _w("br"): "\n"}
    found = (c for c in node.iter(_w("t"), _w("tab"), _w("br")) if c.getparent().tag == _w("r"))
    return "".join(c.text or "" if c.tag == _w("t") else marks[c.tag] for c in found)


def test_summary_docx_footer_is_one_line_with_a_right_tab_stop():
    document = _document(render_summary_docx(sheet_of(2)))
    footers = [p for p in document.find(_w("body")) if p.tag == _w("p") and "填表日期" in _run_text(p)]
    assert len(footers) == 1
    footer = footers[0]
    assert _run_text(footer) == "主管部门或申报单位(盖章):泉州市人力资源和社会保障局\t填表日期：    年    月    日"
    stop = footer.find(f"{_w('pPr')}/{_w('tabs')}/{_w('tab')}")
    assert (stop.get(_w("val")), stop.get(_w("pos"))) == ("right", str(TEXT_WIDTH))
    assert "主管部门或申报单位" not in "".join(_run_text(p) for p in document.iter(_w("tbl")))


def test_summary_docx_widths_by_content_and_blank_rows_to_fill_by_hand():
    sheet = sheet_of(2)
    sheet.rows[0].title = "人工智能赋能传统制造业数字化转型高级研修班"  # 21 characters
    table = next(_document(render_summary_docx(sheet)).iter(_w("tbl")))
    grid = [int(c.get(_w("w"))) for c in table.find(_w("tblGrid"))]
    assert sum(grid) == TEXT_WIDTH  # the blank's text area, A4 portrait
    assert grid[1] == max(grid)  # 研修选题 the widest
    # in 小四 (240 twips a character, 114 of cell margins) the title takes at most two lines
    assert -(-21 * 240 // (grid[1] - 114)) <= 2
    assert grid[4] >= int(len("0591-87612629") * 0.55 * 240) + 114  # a phone number is never broken
    rows = table.findall(_w("tr"))
    assert len(rows) == 1 + 5  # two filled, three blank: the official form's five rows
    assert [_run_text(r).strip() for r in rows[3:]] == ["", "", ""]
    longer = next(_document(render_summary_docx(sheet_of(7))).iter(_w("tbl")))
    assert len(longer.findall(_w("tr"))) == 1 + 7


def test_summary_with_blank_rows_still_imports_only_its_programmes(demo, province):
    applications = list(Application.objects.filter(state="submitted").select_related("domain").order_by("pk")[:2])
    sheet = summary_sheet(applications, year=2026, signer="福州市人力资源和社会保障局")
    result = import_source(Source("sum.docx", render_summary_docx(sheet)), actor=province, dry_run=True)
    assert [row["title"] for row in result.application["rows"]] == [a.title for a in applications]
    assert result.application["authority"] == "福州市人力资源和社会保障局"


def test_summary_xlsx_prints_in_the_blank_forms_orientation():
    blank = next(_document((BLANKS_DIR / "att3.docx").read_bytes()).iter(_w("pgSz")))
    orientation = "landscape" if int(blank.get(_w("w"))) > int(blank.get(_w("h"))) else "portrait"
    sheet = openpyxl.load_workbook(io.BytesIO(render_summary_xlsx(sheet_of(2))))["汇总表"]
    assert (sheet.page_setup.orientation, orientation) == ("portrait", "portrait")
    footer_rows = [row for row in sheet.iter_rows() if any("填表日期" in str(c.value or "") for c in row)]
    assert len(footer_rows) == 1
    assert "主管部门或申报单位(盖章)" in str(footer_rows[0][0].value)
