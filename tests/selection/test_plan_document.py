"""The annual plan as an official document (GB/T 9704-2012), read from its .docx XML and its PDF;
the plan's .xlsx; the 文号 the office enters (issue 11)."""

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from tests import factories
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core import spreadsheets
from yanxiu.core.refusal import Refused
from yanxiu.documents.generate import pdf
from yanxiu.documents.models import PdfRendition
from yanxiu.documents.renditions import source_key
from yanxiu.selection.domain import decisions, plan_issue
from yanxiu.selection.interfaces import plan
from yanxiu.selection.interfaces.plan import DOCX_WIDTHS, LANDSCAPE_TEXT_W, plan_docx, plan_xlsx
from yanxiu.selection.models import Outcome, PlanIssue

from .test_selection import forwarded

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PLAN_TITLE = "福建省专业技术人才知识更新工程2026年高级研修项目计划"


def q(name):
    return f"{{{W}}}{name}"


@pytest.fixture
def officer():
    return factories.province_officer()


@pytest.fixture
def published(officer, clock):
    """A national candidate and an ordinary programme, published on 20 March 2026; no demonstration one."""
    national = forwarded("national", title="量子信息高级研修班")
    ordinary = forwarded("provincial", "350200-RS", title="海洋装备智能化高级研修班")
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.stage(ordinary, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    clock("2026-03-20T10:00:00+08:00")
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    plan_issue.update(
        national.call,
        document_number="闽人社文〔2026〕123号",
        copy_to="人力资源社会保障部专业技术人员管理司",
        actor=officer,
    )
    return national.call


def parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def text_of(node):
    marks = {q("tab"): "\t", q("br"): "\n"}
    runs = (c for c in node.iter(q("t"), q("tab"), q("br")) if c.getparent().tag == q("r"))  # not tab stops
    return "".join(child.text or "" if child.tag == q("t") else marks[child.tag] for child in runs)


def body_paragraphs(document):
    return [p for p in document.find(q("body")) if p.tag == q("p")]


def paragraph_with(document, text):
    return next(p for p in document.iter(q("p")) if text_of(p) == text)


def test_the_plan_is_a_complete_official_document(published):
    files = parts(plan_docx(published))
    document = etree.fromstring(files["word/document.xml"])
    paragraphs = body_paragraphs(document)

    # 版头: the issuing office's mark in red 小标宋, the number centred under it, the red rule.
    mark = paragraphs[0]
    assert text_of(mark) == "福建省人力资源和社会保障厅文件"
    assert mark.find("w:r/w:rPr/w:color", NS).get(q("val")) == "FF0000"
    fonts = mark.find("w:r/w:rPr/w:rFonts", NS)
    assert [fonts.get(q(k)) for k in ("ascii", "hAnsi", "eastAsia")] == ["方正小标宋简体"] * 3
    number = paragraphs[1]
    assert text_of(number) == "闽人社文〔2026〕123号"
    assert number.find("w:pPr/w:jc", NS).get(q("val")) == "center"
    rule = number.find("w:pPr/w:pBdr/w:bottom", NS)
    assert (rule.get(q("val")), rule.get(q("color"))) == ("single", "FF0000")

    # The title in three lines set at word boundaries, then 主送机关 and the body.
    title = paragraphs[2]
    assert text_of(title).split("\n") == [
        "福建省人力资源和社会保障厅关于印发",
        "福建省专业技术人才知识更新工程2026年",
        "高级研修项目计划的通知",
    ]
    texts = [text_of(p) for p in paragraphs]
    assert texts[4].startswith("各设区市人力资源和社会保障局")
    assert texts[4].endswith("继续教育基地：")
    body = texts[5]
    assert "推荐申报国家级高级研修项目1项、省级高级研修普通项目1项" in body
    assert "示范项目" not in body  # no class with 0 programmes is named

    # 附件说明, 署名 over 成文日期 (right by four characters), room above them for the seal.
    attachment = paragraph_with(document, f"附件：{PLAN_TITLE}")
    assert attachment.find("w:pPr/w:ind", NS).get(q("hanging")) == "960"
    at = texts.index("福建省人力资源和社会保障厅")
    assert texts[at + 1] == "2026年3月20日"
    assert texts[at - 2 : at] == ["", ""]  # two lines for the seal, not three
    assert texts[at - 3] != ""
    date_paragraph = paragraphs[at + 1]
    assert date_paragraph.find("w:pPr/w:jc", NS).get(q("val")) == "right"
    assert date_paragraph.find("w:pPr/w:ind", NS).get(q("right")) == "1280"

    # 版记 at the end: 抄送, then 印发机关 and 印发日期 between the rules.
    copy_to = paragraph_with(document, "\u3000抄送：人力资源社会保障部专业技术人员管理司。")
    assert copy_to.find("w:pPr/w:pBdr/w:top", NS) is not None
    assert copy_to.find("w:pPr/w:pBdr/w:bottom", NS) is not None
    indent = copy_to.find("w:pPr/w:ind", NS)  # a second line aligned after "抄送："
    assert (indent.get(q("left")), indent.get(q("hanging"))) == ("1120", "1120")
    printed = paragraphs[-1]
    assert text_of(printed) == "\u3000福建省人力资源和社会保障厅办公室\t2026年3月20日印发"
    assert printed.find("w:pPr/w:tabs/w:tab", NS).get(q("val")) == "right"
    assert printed.find("w:pPr/w:pBdr/w:bottom", NS).get(q("sz")) == "8"
    assert paragraphs.index(copy_to) == len(paragraphs) - 2


def test_page_numbers_right_on_odd_pages_left_on_even_pages(published):
    files = parts(plan_docx(published))
    settings = etree.fromstring(files["word/settings.xml"])
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    rels = etree.fromstring(files["word/_rels/document.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    document = etree.fromstring(files["word/document.xml"])
    sections = list(document.iter(q("sectPr")))
    for section in sections:  # odd (default) and even footers on every section
        assert {ref.get(q("type")) for ref in section.findall("w:footerReference", NS)} == {"default", "even"}
    for kind, align, indent in (("default", "right", "right"), ("even", "left", "left")):
        ref = sections[0].find(f"w:footerReference[@w:type='{kind}']", NS)
        target = targets[ref.get(R_ID)]
        footer = etree.fromstring(files[f"word/{target}"])
        paragraph = footer.find("w:p", NS)
        assert paragraph.find("w:pPr/w:jc", NS).get(q("val")) == align
        assert paragraph.find("w:pPr/w:ind", NS).get(q(indent)) == "280"  # one character in
        assert "".join(t.strip() for t in footer.xpath("//w:instrText/text()", namespaces=NS)) == "PAGE"
        assert text_of(paragraph) == "— 1 —"
        size = paragraph.find("w:r/w:rPr/w:sz", NS).get(q("val"))
        font = paragraph.find("w:r/w:rPr/w:rFonts", NS).get(q("eastAsia"))
        assert (size, font) == ("28", "宋体")  # 4号宋体


def test_the_annex_is_a_landscape_section_whose_tables_fit_its_text_area(published):
    document = etree.fromstring(parts(plan_docx(published))["word/document.xml"])
    sections = list(document.iter(q("sectPr")))
    assert len(sections) == 3  # the letter, the annex, the 版记
    assert [s.find("w:type", NS).get(q("val")) for s in sections] == ["nextPage", "nextPage", "evenPage"]
    # The page number 7 mm under the text: the footer 35 - 7 - 3.4 mm above the edge (26 mm landscape).
    assert [s.find("w:pgMar", NS).get(q("footer")) for s in sections] == ["1395", "885", "1395"]
    portrait, annex, last = (s.find("w:pgSz", NS) for s in sections)
    assert annex.get(q("orient")) == "landscape"
    assert int(annex.get(q("w"))) > int(annex.get(q("h")))
    assert portrait.get(q("orient")) is None
    assert last.get(q("orient")) is None
    margins = sections[1].find("w:pgMar", NS)
    text_width = int(annex.get(q("w"))) - int(margins.get(q("left"))) - int(margins.get(q("right")))
    assert text_width == LANDSCAPE_TEXT_W == sum(DOCX_WIDTHS)
    tables = list(document.iter(q("tbl")))
    assert len(tables) == 2  # one per class that holds programmes
    for table in tables:
        header = [text_of(tc) for tc in table.find("w:tr", NS).findall("w:tc", NS)]
        assert header[-2:] == ["领域", "联系人"]
        # Off the 28.95 pt grid: table lines at their own pitch, not double-spaced.
        assert all(p.find("w:pPr/w:snapToGrid", NS).get(q("val")) == "0" for p in table.iter(q("p")))
        grid = [int(c.get(q("w"))) for c in table.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(grid) <= text_width
        assert int(table.find("w:tblPr/w:tblW", NS).get(q("w"))) <= text_width
        # every table is inside the annex section: after the first section break, before the second
    body = list(document.find(q("body")))
    breaks = [i for i, node in enumerate(body) if node.find("w:pPr/w:sectPr", NS) is not None]
    assert all(breaks[0] < body.index(t) < breaks[1] for t in tables)
    headings = [text_of(p) for p in body if p.tag == q("p") and re.match(r"^[一二三]、", text_of(p))]
    assert headings == ["一、推荐申报国家级高级研修项目（1项）", "二、省级高级研修普通项目（1项）"]
    assert "（0项）" not in text_of(document)


def test_every_font_is_declared_for_latin_and_east_asian_text_with_fallbacks(published):
    files = parts(plan_docx(published))
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        for fonts in etree.fromstring(files[name]).iter(q("rFonts")):
            assert fonts.get(q("ascii")) == fonts.get(q("hAnsi")) == fonts.get(q("eastAsia")) is not None
    declared = {
        f.get(q("name")): f.find("w:altName", NS).get(q("val"))
        for f in etree.fromstring(files["word/fontTable.xml"]).findall("w:font", NS)
    }
    assert declared["方正小标宋简体"] == "宋体"
    assert declared["仿宋_GB2312"] == "仿宋"
    assert declared["黑体"] == "SimHei"


def test_the_issuing_office_and_the_printing_office_come_from_the_call(published):
    published.issuing_authority = "福建省人力资源和社会保障厅（测试）"
    published.printing_office = "福建省人力资源和社会保障厅综合处"
    published.save()
    document = etree.fromstring(parts(plan_docx(published))["word/document.xml"])
    texts = [text_of(p) for p in body_paragraphs(document)]
    assert texts[0] == "福建省人力资源和社会保障厅（测试）文件"
    assert "福建省人力资源和社会保障厅（测试）" in texts
    assert texts[-1].startswith("\u3000福建省人力资源和社会保障厅综合处\t")


def test_the_docx_is_the_same_bytes_for_the_same_plan(published):
    assert plan_docx(published) == plan_docx(published)  # the PDF cache's key


# --- the document number ------------------------------------------------------------------


def test_publication_dates_the_plan_and_a_later_publication_keeps_the_date(officer, clock):
    first = forwarded("provincial", title="第一批")
    later = forwarded("provincial", "350200-RS", title="第二批")
    decisions.stage(first, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    clock("2026-03-20T10:00:00+08:00")
    decisions.publish(first.call, actor=officer, without_publicity="（测试）不经公示")
    decisions.stage(later, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    clock("2026-05-06T10:00:00+08:00")
    decisions.publish(later.call, actor=officer, without_publicity="（测试）不经公示")
    issue = PlanIssue.objects.get(call=first.call)
    assert (str(issue.issued_on), issue.document_number) == ("2026-03-20", "")
    texts = [text_of(p) for p in body_paragraphs(etree.fromstring(parts(plan_docx(first.call))["word/document.xml"]))]
    assert texts[1] == "〔2026〕　　号"  # room to write the number when none was entered
    assert "2026年3月20日" in texts


def test_the_document_number_is_written_as_the_standard_writes_it_and_audited(officer, published):
    issue = plan_issue.update(
        published, document_number=" 闽人社文[2026]0045号 ", copy_to="人社部专技司", actor=officer
    )
    assert (issue.document_number, issue.copy_to, issue.updated_by) == ("闽人社文〔2026〕45号", "人社部专技司", officer)
    entry = AuditEntry.objects.filter(action="plan_issue").latest("pk")
    assert entry.data["after"] == {"document_number": "闽人社文〔2026〕45号", "copy_to": "人社部专技司"}
    assert entry.data["before"]["document_number"] == "闽人社文〔2026〕123号"
    with pytest.raises(Refused, match="机关代字〔年份〕序号号"):
        plan_issue.update(published, document_number="第45号", copy_to="", actor=officer)
    with pytest.raises(Refused, match="只有省人社厅经办人"):
        plan_issue.update(published, document_number="闽人社文〔2026〕9号", copy_to="", actor=factories.staff())
    assert PlanIssue.objects.get(call=published).document_number == "闽人社文〔2026〕45号"


def test_no_number_before_the_plan_is_published(officer):
    call = factories.call_2026()
    with pytest.raises(Refused, match="遴选结果尚未发布"):
        plan_issue.update(call, document_number="闽人社文〔2026〕9号", copy_to="", actor=officer)
    assert not PlanIssue.objects.exists()


def test_the_office_enters_the_number_on_the_plan_page(client, officer, published):
    client.force_login(officer)
    url = reverse("selection:plan_issue", args=[published.pk])
    refused = client.post(url, {"document_number": "45号", "copy_to": "人社部专技司"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "发文字号应写作“机关代字〔年份〕序号号”" in page
    assert 'value="45号"' in page  # the form comes back filled
    assert PlanIssue.objects.get(call=published).document_number == "闽人社文〔2026〕123号"
    done = client.post(url, {"document_number": "闽人社文〔2026〕46号", "copy_to": "人社部专技司"})
    assert done.status_code == 302
    assert PlanIssue.objects.get(call=published).document_number == "闽人社文〔2026〕46号"
    page = client.get(reverse("selection:plan", args=[published.pk])).content.decode()
    assert "成文日期：2026年3月20日" in page
    assert "三、" not in page
    assert "省级高级研修示范项目" not in page


# --- the PDF ------------------------------------------------------------------------------------


def test_the_plan_pdf_is_made_by_the_worker_from_the_docx(client, officer, published):
    client.force_login(officer)
    response = client.get(reverse("selection:plan_download", args=[published.pk, "pdf"]))
    assert response.status_code == 202  # a progress page: nothing converted in the request
    rendition = PdfRendition.objects.get(key=source_key(plan_docx(published), ".docx"))
    assert rendition.state == PdfRendition.State.QUEUED


def test_the_plan_pdf_as_printed(published):
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"
    assert shutil.which("pdftotext"), "poppler-utils not installed: make system-deps"
    data = pdf.convert_to_pdf(plan_docx(published))
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages > 1
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    lines = ["".join(line.split()) for line in text.stdout.decode().splitlines()]
    assert "—1—" in lines[: lines.index("—1—") + 1]
    assert "—2—" in lines
    # The title's lines as set: none breaks inside a word.
    for line in (
        "福建省人力资源和社会保障厅关于印发",
        "福建省专业技术人才知识更新工程2026年",
        "高级研修项目计划的通知",
    ):
        assert line in lines, line
    assert "福建省人力资源和社会保障厅文件" in lines
    assert "闽人社文〔2026〕123号" in lines
    assert PLAN_TITLE in lines  # the annex's title on one landscape line
    assert any(line.startswith("抄送：") for line in lines)
    assert any(line.endswith("2026年3月20日印发") for line in lines)


# --- the .xlsx ----------------------------------------------------------------------------------


def test_the_plan_xlsx_stores_numbers_and_has_the_domain_and_contact(published):
    sheet = load_workbook(io.BytesIO(plan_xlsx(published))).active
    assert [c.value for c in sheet[2]] == [
        "序号", "项目名称", "承办单位", "主管部门", "办班时间", "办班地点", "学员人数", "经费", "领域", "联系人",
    ]  # fmt: skip
    sections = [row[0].value for row in sheet.iter_rows(min_row=3) if isinstance(row[0].value, str)]
    assert sections == ["一、推荐申报国家级高级研修项目（1项）", "二、省级高级研修普通项目（1项）"]
    first = [c.value for c in sheet[4]]
    assert (first[0], first[6]) == (1, 60)  # numbers, not text
    assert sheet.cell(4, 1).data_type == sheet.cell(4, 7).data_type == "n"
    assert first[8] == "工程技术（电子信息）"
    source = Application.objects.get(title="量子信息高级研修班")
    assert source.host_contact
    assert source.host_office_phone
    assert first[9] == f"{source.host_contact} {source.host_office_phone}"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.print_title_rows == "$2:$2"


def test_plan_xlsx_rows_are_tall_enough_for_their_wrapped_text(officer):
    long_title = "面向新型工业化的人工智能赋能传统制造业数字化转型与智能制造关键技术高级研修班"
    short = forwarded("provincial", title="短标题研修班")
    long = forwarded("provincial", "350200-RS", title=long_title[:50])
    for application in (short, long):
        decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.publish(short.call, actor=officer, without_publicity="（测试）不经公示")
    sheet = load_workbook(io.BytesIO(plan_xlsx(short.call))).active
    heights = {sheet.cell(r, 2).value: sheet.row_dimensions[r].height for r in range(4, 6)}
    width = sheet.column_dimensions["B"].width
    lines = spreadsheets.lines_needed(long_title[:50], width, plan.XLSX_FONT_PT)
    assert lines >= 3
    assert heights[long_title[:50]] >= spreadsheets.row_height(lines, plan.XLSX_FONT_PT) > heights["短标题研修班"]
