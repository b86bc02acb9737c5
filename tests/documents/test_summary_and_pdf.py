"""附件3 (.xlsx, .docx), and conversions with LibreOffice: they open, the text matches."""

import io
import shutil
import subprocess

import openpyxl
import pytest

from yanxiu.applications.models import Application
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.generate.summary import render_summary_docx, render_summary_xlsx
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
def test_provincial_form_and_summary_open_in_libreoffice(provincial):
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
