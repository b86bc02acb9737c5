"""附件2 with realistic content, as printed: one page to stamp, the stamp row whole on it
(decision 0020): 8 sessions and 4 lecturers of about 55 characters, 12 sessions and 6
lecturers, and past what fits, 24 sessions whose last lines continue on a marked page.

Each form is converted once for the module (LibreOffice is slow on a shared machine) and the
PDF is read back with pdfinfo / pdftotext for every assertion.
"""

import re
import subprocess
from datetime import date, timedelta

import pytest

from tests import factories
from tests.conftest import shared_world
from yanxiu.applications.enums import DeliveryMode, HalfDay, LecturerTitle, SessionFormat
from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.documents import layout
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.importer import COPY, import_source
from yanxiu.documents.imports.parse_forms import compact
from yanxiu.documents.imports.sources import Source

from .helpers import NS, W, document_xml

START = date(2026, 9, 7)
TOPICS = [
    "生物育种关键技术与种业振兴战略",
    "基因编辑技术在作物改良中的应用",
    "分子设计育种与智能育种平台建设",
    "种质资源保护利用与鉴定评价",
    "现代种业企业创新能力提升路径",
    "福建特色作物品种选育实践案例",
    "种业知识产权保护与品种权管理",
    "育繁推一体化与种子质量监管",
    "数字农业与育种大数据分析方法",
    "海峡两岸种业交流合作现状与前景",
    "南繁基地建设与加代育种技术",
    "种业振兴行动方案解读与研讨",
]
# About 55 characters each once printed ("★陈晓明，福建农林大学…教授…，授课内容：…").
LECTURERS = [
    ("陈晓明", "福建农林大学作物科学学院", "教授、博士生导师、国家重点实验室副主任", "种业振兴与生物育种产业化路径"),
    ("林海峰", "中国农业科学院作物科学研究所", "研究员、作物基因资源与育种团队首席", "基因编辑技术在作物改良中应用"),
    ("黄丽君", "福建省农业科学院水稻研究所", "研究员、省级重点实验室主任、学科带头人", "杂交水稻分子设计育种新进展"),
    ("郑文斌", "厦门大学生命科学学院", "教授、博士生导师、教育部长江学者特聘教授", "种质资源鉴定评价与创新利用"),
    ("吴建国", "福建省种子总站", "推广研究员、种子质量检验中心主任、站长", "种子质量监管与品种权保护实务"),
    ("王志强", "隆平高科种业科学研究院", "高级农艺师、育种研发中心总经理、首席专家", "现代种业企业创新能力提升路径"),
]


def realistic(sessions, lecturers):
    """A provincial application with `sessions` half-days (speaker named) and `lecturers` long lines."""
    rows = [
        {
            "date": START + timedelta(days=1 + number // 2),
            "half_day": (HalfDay.MORNING, HalfDay.AFTERNOON)[number % 2],
            "topic": TOPICS[number % len(TOPICS)] + ("（二）" if number >= len(TOPICS) else ""),
            "speaker": LECTURERS[number % lecturers][0],
            "format": (SessionFormat.KEYNOTE, SessionFormat.SEMINAR)[number % 2],
            "mode": DeliveryMode.OFFLINE,
            "class_hours": 3,
        }
        for number in range(sessions)
    ]
    application = factories.complete(
        start=START,
        days=sessions // 2 + 2,
        sessions=rows,
        title="生物育种与种业振兴关键技术高级研修班",
        host_name="福建农林大学继续教育学院",
        host_contact="张老师",
        host_office_phone="0591-83789123",
        host_mobile="13905001234",
        host_fax="0591-83789124",
        host_address="福建省福州市仓山区上下店路15号",
        content_summary="采取主题报告、专题研讨、现场教学、案例分析相结合的方式。",
    )
    application.lecturers.all().delete()
    for name, affiliation, position, topic in LECTURERS[:lecturers]:
        application.lecturers.create(
            name=name, title=LecturerTitle.FULL_SENIOR, position=position, affiliation=affiliation, topic=topic
        )
    return application


def pages_text(data):
    """The text of each page (pdftotext, layout kept, spaces removed)."""
    completed = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return [compact(page) for page in completed.stdout.decode("utf-8").split("\f")[:-1]]


def page_count(data):
    completed = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", completed.stdout.decode(), re.MULTILINE).group(1))


def word_boxes(data, page=1):
    """[(word, yMin, yMax)] in points from the top of `page` (pdftotext -bbox)."""
    completed = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    )
    found = re.findall(
        r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)</word>', completed.stdout.decode()
    )
    return [(word, float(y0), float(y1)) for y0, y1, word in found]


MM = 72 / 25.4  # points per millimetre


def _build():
    forms = {}
    for key, (sessions, lecturers) in {"typical": (8, 4), "heavy": (12, 6), "extreme": (24, 6)}.items():
        application = realistic(sessions, lecturers)
        application.refresh_from_db()
        docx = render_application_docx(application)
        forms[key] = (application, pdf.convert_to_pdf(docx), docx)
    national = factories.complete(
        "national",
        host_name="福建农林大学继续教育学院",
        host_contact="张老师",
        host_office_phone="0591-87000001",
        host_mobile="13905001234",
        host_fax="0591-87000002",
        host_address="福建省福州市仓山区上下店路15号",
    )
    docx = render_application_docx(national)
    forms["national"] = (national, pdf.convert_to_pdf(docx), docx)
    return forms


@pytest.fixture(scope="module")
def printed_world(request):
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    yield from shared_world(request, _build)


@pytest.fixture
def printed(printed_world, db):
    return printed_world


ALL = ["typical", "heavy", "extreme"]


@pytest.mark.parametrize("key", ALL)
def test_a_realistic_provincial_form_keeps_the_stamp_row_whole_on_page_one(printed, key):
    _, data, _ = printed[key]
    pages = pages_text(data)
    first = pages[0]
    assert "省直主管" in first  # the label 省直主管单位或设区市人社部门审核意见, in its column
    assert "（盖章）" in first.split("省直主管", 1)[1]
    assert "年月日" in first.split("省直主管", 1)[1]
    if len(pages) > 1:  # a continuation, clearly marked, of the schedule only
        assert all("省直主管" not in page and "盖章" not in page for page in pages[1:])
        assert pages[1].startswith(compact("附：研修内容和方式（续）"))


@pytest.mark.parametrize("key", ["typical", "heavy"])
def test_typical_and_heavy_forms_fit_one_page(printed, key):
    assert page_count(printed[key][1]) == 1


def test_past_the_smallest_sizes_the_schedule_continues_on_a_marked_page(printed):
    application, data, _ = printed["extreme"]
    pages = pages_text(data)
    assert len(pages) == 2
    assert compact(layout.CONTINUED_NOTE) in pages[0]
    lines = official_form(application).content.split("\n")
    assert compact(lines[1]) in pages[0]  # the first sessions stay in their cell
    assert compact(lines[-1]) in pages[1]  # the last ones continue
    assert compact(lines[-1]) not in pages[0]


def test_a_continued_schedule_imports_back_into_the_same_rows(printed):
    application, _, docx = printed["extreme"]
    # The form is its own application's: a copy on purpose, so only the reading is judged (decision 0016).
    result = import_source(Source("extreme.docx", docx), actor=application.created_by, dry_run=True, on_duplicate=COPY)
    assert result.application["content"] == official_form(application).content
    assert [p.code for p in result.problems if p.code.startswith("import.")] == []
    assert "日程安排24条" in result.fields


@pytest.mark.parametrize("key", ALL)
def test_every_session_and_lecturer_is_printed(printed, key):
    application, data, _ = printed[key]
    completed = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True)
    text = compact(completed.stdout.decode())  # in the order the cells hold it
    form = official_form(application)
    for line in [*form.content.split("\n"), *form.lecturers.split("\n")]:
        assert compact(line) in text, line


@pytest.mark.parametrize("key", ALL)
def test_the_stamp_row_has_room_for_a_42_mm_seal(printed, key):
    _, data, docx = printed[key]
    rows = document_xml(docx).findall(".//w:tbl/w:tr", NS)
    stamp = rows[layout.OPINION_SLOT["att2"].row]
    assert int(stamp.find("w:trPr/w:trHeight", NS).get(f"{{{W}}}val")) >= 42.3 * 1440 / 25.4
    # On page 1 the row starts where a 42.3 mm row still ends above the bottom margin (20 mm).
    top = next(y0 for word, y0, _ in word_boxes(data) if word == "省直主管")
    assert top - 2 + 42.3 * MM <= (297 - 20) * MM


@pytest.mark.parametrize("key", ["national", "typical"])
def test_no_phone_number_breaks_across_lines(printed, key):
    application, data, docx = printed[key]
    completed = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    lines = [compact(line).replace("\u2011", "-") for line in completed.stdout.decode().splitlines()]
    for number in (application.host_office_phone, application.host_mobile, application.host_fax):
        assert any(number in line for line in lines), number
    result = import_source(Source("form.docx", docx), actor=application.created_by, dry_run=True)
    assert (result.application["office_phone"], result.application["fax"]) == (
        application.host_office_phone,
        application.host_fax,
    )
