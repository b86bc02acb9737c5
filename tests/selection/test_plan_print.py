"""The annual plan with 40 programmes, as printed (decision 0020): the annex's table lines off the
document grid (not double-spaced), 领域 and 联系人 in it, the 版记 on an even page, the page
number 7 mm under the text. Converted once for the module."""

import re
import subprocess

import pytest

from tests import factories
from tests.conftest import shared_world
from yanxiu.documents.generate import pdf
from yanxiu.documents.imports.parse_forms import compact
from yanxiu.selection.interfaces.plan import PlanRow, PlanSection, plan_docx
from yanxiu.selection.models import PlanIssue

MM = 72 / 25.4


def _build():
    call = factories.call_2026()
    issue = PlanIssue(
        call=call, document_number="闽人社文〔2026〕123号", issued_on=call.completion_date.replace(month=3, day=20)
    )
    rows = [
        PlanRow(
            number=n,
            title=f"面向新型工业化的人工智能赋能制造业数字化转型高级研修班（第{n}期）",
            host="福建省福州市某某智能制造技术研究院",
            authority="福州市人力资源和社会保障局",
            period="2026年10月20日—10月23日",
            venue="福州市会议中心",
            trainees=60,
            funding="单位自筹",
            domain="工程技术（电子信息）",
            contact=f"张老师{n} 0591-87000001",
        )
        for n in range(1, 41)
    ]
    sections = [PlanSection("一、省级高级研修普通项目", "省级高级研修普通项目", rows)]
    return pdf.convert_to_pdf(plan_docx(call, issue, sections))


@pytest.fixture(scope="module")
def printed_world(request):
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    yield from shared_world(request, _build)


@pytest.fixture
def printed(printed_world, db):
    return printed_world


def page_sizes(data):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", "-"], input=data, capture_output=True, check=True)
    return [
        (float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout.decode())
    ]


def pages_text(data):
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return [compact(page) for page in text.decode().split("\f")[:-1]]


def test_forty_programmes_take_few_landscape_pages(printed):
    landscape = [w > h for w, h in page_sizes(printed)]
    # Rows of three lines each (long titles, hosts, authorities): 7 pages; 11 for 41 shorter
    # programmes when every table line snapped to the 28.95 pt grid.
    assert 2 <= sum(landscape) <= 7
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=printed, capture_output=True, check=True).stdout
    text = compact(raw.decode())  # cell by cell
    for n in (1, 40):
        assert f"（第{n}期）" in text
        assert f"张老师{n}" in text
    assert "领域" in text
    assert "联系人" in text


def test_the_colophon_is_on_an_even_page(printed):
    pages = pages_text(printed)
    assert len(pages) % 2 == 0
    assert "印发" in pages[-1]
    assert "抄送" in pages[-1]


def test_the_page_number_is_7_mm_under_the_text(printed):
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=printed, capture_output=True, check=True
    ).stdout.decode()
    lines = [
        (float(a), float(b))
        for a, b, word in re.findall(r'yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)<', boxes)
        if word == "1"
    ]
    top, bottom = max(lines)
    # GB/T 9704: the dashes (at the middle of the number's line) 7 mm under the text area's foot.
    text_bottom = (297 - 35) * MM  # the portrait text area's foot (bottom margin 35 mm)
    assert 6 * MM <= (top + bottom) / 2 - text_bottom <= 8 * MM
