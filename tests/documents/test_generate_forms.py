"""附件1 / 附件2 .docx: faithful to the blank forms, tagged, fonts and page."""

import io
import zipfile

import pytest
from lxml import etree

from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.documents import layout
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.reader import read_document
from yanxiu.documents.imports.safety import open_docx

from .helpers import BLANKS, NS, W, document_xml


def structure(root):
    """Rows as [(gridSpan, vMerge)] per cell, and the grid."""
    table = root.find(".//w:tbl", NS)
    grid = [c.get(f"{{{W}}}w") for c in table.findall("w:tblGrid/w:gridCol", NS)]
    rows = []
    for tr in table.findall("w:tr", NS):
        cells = []
        for tc in tr.findall("w:tc", NS):
            span = tc.find("w:tcPr/w:gridSpan", NS)
            merge = tc.find("w:tcPr/w:vMerge", NS)
            cells.append(
                (
                    span.get(f"{{{W}}}val") if span is not None else "1",
                    None if merge is None else merge.get(f"{{{W}}}val", "continue"),
                )
            )
        rows.append(cells)
    return grid, rows


def read(data):
    return read_document(open_docx(data))


@pytest.mark.parametrize(("fixture", "key"), [("national", "att1"), ("provincial", "att2")])
def test_same_rows_cells_and_merges_as_the_blank_form(request, fixture, key):
    application = request.getfixturevalue(fixture)
    generated = render_application_docx(application)
    blank = (BLANKS / f"{key}.docx").read_bytes()
    grid, rows = structure(document_xml(generated))
    blank_grid, blank_rows = structure(document_xml(blank))
    assert rows == blank_rows
    # Column widths are the blank's, or the print layout's over the same text width (附件2).
    printed = layout.PRINT_LAYOUT.get(key)
    assert grid == ([str(width) for width in printed["grid"]] if printed else blank_grid)
    assert sum(map(int, grid)) == sum(map(int, blank_grid))


@pytest.mark.parametrize(("fixture", "key"), [("national", "att1"), ("provincial", "att2")])
def test_labels_and_order_are_the_blank_forms(request, fixture, key):
    from yanxiu.documents import layout

    application = request.getfixturevalue(fixture)
    generated, blank = read(render_application_docx(application)), read((BLANKS / f"{key}.docx").read_bytes())
    value_cells = {(s.row, s.cell) for s in layout.TEXT_SLOTS[key].values()}
    value_cells |= {
        (s.row, s.cell)
        for d in (layout.FUNDING_SLOT, layout.SCOPE_SLOT, layout.BASE_SLOT, layout.OPINION_SLOT)
        for k, s in d.items()
        if k == key
    }
    for r, (row_generated, row_blank) in enumerate(zip(generated.tables[0], blank.tables[0], strict=False)):
        for c, (a, b) in enumerate(zip(row_generated, row_blank, strict=False)):
            if (r, c) not in value_cells:
                assert a.text == b.text, (r, c)
    assert generated.paragraphs[0] == blank.paragraphs[0] == ("附件1" if key == "att1" else "附件2")
    assert generated.paragraphs[1:3] == blank.paragraphs[1:3]


def test_every_field_tagged_with_the_preview_text(national):
    form = official_form(national)
    doc = read(render_application_docx(national))
    assert doc.tags["yx:title"] == form.title == "生物育种与种业振兴关键技术高级研修班"
    assert doc.tags["yx:period"] == form.period == "2026年8月3日—8月8日"
    assert doc.tags["yx:venue"] == form.venue == "福州市 福州市会议中心"
    assert doc.tags["yx:domain"] == "农业技术"
    assert doc.tags["yx:department"] == "农业农村部"
    assert doc.tags["yx:content"] == form.content
    assert doc.tags["yx:lecturers"] == form.lecturers
    assert doc.tags["yx:trainees"] == form.trainees
    assert doc.tags["yx:host.name"] == "福建现代种业研究院"
    assert doc.tags["yx:host.office_phone"] == "0591-87000001"
    assert (doc.tags["yx:funding.fiscal"], doc.tags["yx:funding.self_funded"]) == ("☑", "□")
    assert [doc.tags[f"yx:scope.{c}"] for c in ("strategy", "industry", "digital")] == ["☑", "☑", "□"]
    assert [doc.tags[f"yx:base.{c}"] for c in ("national", "provincial", "none")] == ["☑", "□", "□"]
    assert doc.tags["yx:base.batch"] == "10"
    assert doc.checked["yx:scope.strategy"] is True
    assert doc.checked["yx:scope.digital"] is False
    assert set(doc.tags) == {
        "yx:title",
        "yx:period",
        "yx:venue",
        "yx:domain",
        "yx:department",
        "yx:purpose",
        "yx:content",
        "yx:lecturers",
        "yx:trainees",
        "yx:host.name",
        "yx:host.contact",
        "yx:host.office_phone",
        "yx:host.mobile",
        "yx:host.fax",
        "yx:host.address",
        "yx:funding.fiscal",
        "yx:funding.self_funded",
        "yx:funding.source",
        "yx:scope.strategy",
        "yx:scope.strategy.text",
        "yx:scope.industry",
        "yx:scope.industry.text",
        "yx:scope.digital",
        "yx:scope.digital.text",
        "yx:base.national",
        "yx:base.batch",
        "yx:base.provincial",
        "yx:base.none",
    }


def test_national_form_leaves_the_applicant_rows_empty(national):
    doc = read(render_application_docx(national))
    rows = doc.tables[0]
    assert [[c.text for c in rows[r]] for r in (9, 10, 11)] == [
        ["申报单位\n信息", "单位名称", "", "联系人", ""],
        ["申报单位\n信息", "办公电话", "", "手机", ""],
        ["申报单位\n信息", "传真", "", "地址", ""],
    ]
    assert doc.paragraphs[3] == "申报单位：（盖章）"


def test_provincial_form_names_the_institution_as_applicant(provincial):
    doc = read(render_application_docx(provincial))
    assert doc.paragraphs[3] == "申报单位：泉州文博数字研究中心（盖章）"
    opinion = layout.OPINION_SLOT["att2"]  # row 12 of the blank
    assert doc.tables[0][opinion.row][opinion.cell].text == "（盖章）        \n      年     月       日        "
    assert "yx:funding.fiscal" not in doc.tags


def test_fonts_page_and_layout(national):
    data = render_application_docx(national)
    root = document_xml(data)
    fonts = [f.get(f"{{{W}}}eastAsia") for f in root.iter(f"{{{W}}}rFonts")]
    assert fonts[0] == "黑体"
    assert fonts[1:3] == ["方正小标宋简体", "方正小标宋简体"]
    assert set(fonts[3:]) == {"仿宋_GB2312"}
    size = root.find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h"), size.get(f"{{{W}}}orient")) == ("11906", "16838", None)
    table = root.find(".//w:tbl/w:tblPr", NS)
    assert table.find("w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"
    assert table.find("w:tblW", NS).get(f"{{{W}}}w") == "8845"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        font_table = etree.fromstring(archive.read("word/fontTable.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
    alternatives = {
        f.get(f"{{{W}}}name"): f.find("w:altName", NS).get(f"{{{W}}}val")
        for f in font_table.findall("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert alternatives["仿宋_GB2312"] == "仿宋"
    assert alternatives["方正小标宋简体"] == "宋体"
    normal = styles.find("w:style[@w:styleId='Normal']/w:rPr/w:rFonts", NS)
    assert normal.get(f"{{{W}}}eastAsia") == "仿宋_GB2312"


def test_long_text_is_kept_whole_and_rows_may_break_across_pages(national):
    from yanxiu.applications.models import Application

    Application.objects.filter(pk=national.pk).update(purpose="很长的研修目的。" * 375)
    national.refresh_from_db()
    data = render_application_docx(national)
    assert read(data).tags["yx:purpose"] == "很长的研修目的。" * 375
    assert document_xml(data).find(".//w:cantSplit", NS) is None


def test_empty_field_keeps_the_printed_hint(national):
    from yanxiu.applications.models import Application

    Application.objects.filter(pk=national.pk).update(content_summary="")
    national.sessions.all().delete()
    doc = read(render_application_docx(Application.objects.get(pk=national.pk)))
    assert doc.tags["yx:content"] == ""
    assert doc.tables[0][6][1].text == "（包括但不限于主题报告、专题研讨、学术交流、现场教学）\n"


# The time of one form is measured in bench/documents.py, not asserted here
# (wall-clock assertions fail on a loaded machine).


def test_rows_are_embedded_as_a_custom_xml_part(national):
    from yanxiu.documents import embedded

    archive = zipfile.ZipFile(io.BytesIO(render_application_docx(national)))
    names = archive.namelist()
    # The blank's own item1 (its bibliography store) stays; the rows are item2.
    assert [n for n in names if n.startswith("customXml/")] == [
        "customXml/item1.xml",
        "customXml/_rels/item1.xml.rels",
        "customXml/itemProps1.xml",
        "customXml/itemProps2.xml",
        "customXml/_rels/item2.xml.rels",
        "customXml/item2.xml",
    ]
    rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
    targets = [r.get("Target") for r in rels if r.get("Type").endswith("/customXml")]
    assert targets == ["../customXml/item1.xml", "../customXml/item2.xml"]
    types = etree.fromstring(archive.read("[Content_Types].xml"))
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    assert (
        overrides["/customXml/itemProps2.xml"]
        == "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
    )
    props = etree.fromstring(archive.read("customXml/itemProps2.xml"))
    assert props.get("{http://schemas.openxmlformats.org/officeDocument/2006/customXml}itemID") == embedded.ITEM_ID
    part = etree.fromstring(archive.read("customXml/item2.xml"))
    rows = embedded.from_xml(part)
    assert rows == embedded.rows_of(national)
    assert (len(rows.sessions), len(rows.lecturers)) == (8, 2)
    assert rows.sessions[0] == {
        "date": "2026-08-04",
        "half_day": "am",
        "topic": "专题1：生物育种与种业振前沿与实践",
        "speaker": "张教授",
        "format": "keynote",
        "mode": "offline",
        "class_hours": "3.0",
    }
    assert rows.lecturers[1] == {
        "name": "李院士",
        "title": "academician",
        "position": "中国工程院院士",
        "affiliation": "中国农业大学",
        "topic": "战略报告",
    }
    # What the rows print is what the form prints.
    form = official_form(national)
    sessions = embedded.clean_sessions(rows.sessions)
    lecturers = embedded.clean_lecturers(rows.lecturers)
    assert embedded.printed_schedule(rows.content_summary, sessions) == form.content
    assert embedded.printed_lecturers(rows.lecturer_summary, lecturers) == form.lecturers
    # python-docx (as Word would) opens the package.
    import docx

    assert docx.Document(io.BytesIO(render_application_docx(national))).tables
