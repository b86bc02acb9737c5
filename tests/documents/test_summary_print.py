"""附件3 (.docx) as a stamped list of many rows prints (decision 0020): rows never split across
pages, the title breaks before its year and never inside a word, every page is numbered.
The 37-row list is converted once for the module."""

import io
import subprocess
import zipfile

import pytest
from lxml import etree

from tests import factories
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.summary import render_summary_docx
from yanxiu.documents.imports.importer import import_source
from yanxiu.documents.imports.parse_forms import compact
from yanxiu.documents.imports.sources import Source
from yanxiu.documents.interfaces.summary import SummaryRow, SummarySheetData, summary_title

from .helpers import NS, document_xml

HOST = "福建省福州市鼓楼区某某智能制造技术研究院有限公司继续教育中心"


def sheet_of(n):
    rows = [
        SummaryRow(
            i,
            f"面向新型工业化的人工智能赋能制造业数字化转型高级研修班（第{i}期）",
            HOST,
            "张老师",
            "0591-87000001",
            "工程技术（电子信息）",
        )
        for i in range(1, n + 1)
    ]
    return SummarySheetData(label="附件3", title=summary_title(2026), signer="福州市人力资源和社会保障局", rows=rows)


@pytest.fixture(scope="module")
def printed():
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    docx = render_summary_docx(sheet_of(37))
    return docx, pdf.convert_to_pdf(docx)


def test_every_row_is_kept_whole_and_the_header_repeats(printed):
    rows = document_xml(printed[0]).findall(".//w:tbl/w:tr", NS)
    assert len(rows) == 38
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows[1:])


def test_the_title_breaks_before_its_year(printed):
    docx, data = printed
    title = document_xml(docx).findall(".//w:body/w:p", NS)[1]
    assert "".join(title.itertext()) == summary_title(2026)
    assert len(title.findall(".//w:br", NS)) == 1
    lines = [
        compact(line)
        for line in subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
        .stdout.decode()
        .splitlines()
    ]
    assert "福建省专业技术人才知识更新工程" in lines
    assert "2026年高级研修项目汇总表" in lines


def test_every_page_of_a_long_list_is_numbered(printed):
    docx, data = printed
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        footer = etree.fromstring(archive.read("word/footerYx.xml"))
    assert [f.get(f"{{{NS['w']}}}instr") for f in footer.iter(f"{{{NS['w']}}}fldSimple")] == [" PAGE ", " NUMPAGES "]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    pages = [compact(page) for page in text.split("\f")[:-1]]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in page


@pytest.mark.django_db
def test_the_long_list_still_imports_row_by_row(printed):
    province = factories.province_officer()
    result = import_source(Source("sum.docx", printed[0]), actor=province, dry_run=True)
    assert result.form == "att3"
    assert [row["title"] for row in result.application["rows"]] == [row.title for row in sheet_of(37).rows]
