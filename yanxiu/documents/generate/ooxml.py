"""Small WordprocessingML helpers: runs, content controls, the package skeleton.

Documents are built with lxml on the blank official forms (see layout.py)
rather than through python-docx: it is several times faster and gives full
control over content controls (w:sdt) and font declarations.
"""

import copy
import io
import re
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

BLANKS_DIR = Path(__file__).resolve().parent.parent / "blanks"

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
LABEL_FONT = "黑体"

# Declared in word/fontTable.xml so Word/WPS substitute a close face when the
# official one is missing (altName, GB2312 charset, family and panose); on
# Linux, LibreOffice uses fontconfig aliases (see docs/documents.md).
FONT_DECLARATIONS = [
    # name, altName, panose, family, pitch
    (BODY_FONT, "仿宋", "02010609030101010101", "modern", "fixed"),
    (TITLE_FONT, "宋体", "02000000000000000000", "auto", "variable"),
    (LABEL_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    ("仿宋", "FangSong", "02010609060101010101", "modern", "fixed"),
    ("宋体", "SimSun", "02010600030101010101", "auto", "variable"),
]


def w(tag):
    return f"{{{W}}}{tag}"


def w14(tag):
    return f"{{{W14}}}{tag}"


def el(tag, attrib=None, children=()):
    node = etree.Element(tag)
    for key, value in (attrib or {}).items():
        node.set(key, str(value))
    for child in children:
        node.append(child)
    return node


def body_rpr(font=BODY_FONT, size=24):
    """Run properties with the East Asian font set, so Word and WPS use it."""
    return el(
        w("rPr"),
        children=[
            el(w("rFonts"), {w("ascii"): font, w("hAnsi"): font, w("eastAsia"): font, w("hint"): "eastAsia"}),
            el(w("b"), {w("val"): "0"}),
            el(w("sz"), {w("val"): size}),
            el(w("szCs"), {w("val"): size}),
        ],
    )


# Characters XML 1.0 cannot hold (control characters other than tab and newline).
INVALID_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_xml_text(text):
    return INVALID_XML_RE.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def text_runs(text, rpr):
    """Runs for `text`; a newline becomes w:br and a tab w:tab (one paragraph)."""
    text = clean_xml_text(text)
    runs = []
    for number, line in enumerate(text.split("\n")):
        run = el(w("r"), children=[copy.deepcopy(rpr)])
        if number:
            run.append(el(w("br")))
        parts = line.split("\t")
        for index, part in enumerate(parts):
            if index:
                run.append(el(w("tab")))
            if part:
                t = el(w("t"))
                t.text = part
                t.set(XML_SPACE, "preserve")
                run.append(t)
        runs.append(run)
    return runs


def no_break_hyphens(node):
    """Every "-" in the text under `node` as w:noBreakHyphen, so a line never breaks inside
    "0591-87000001" (the importer reads it back as "-")."""
    for t in list(node.iter(w("t"))):
        if "-" not in (t.text or ""):
            continue
        parts = t.text.split("-")
        t.text = parts[0]
        anchor = t
        for part in parts[1:]:
            hyphen = el(w("noBreakHyphen"))
            anchor.addnext(hyphen)
            anchor = hyphen
            if part:
                rest = el(w("t"))
                rest.text = part
                rest.set(XML_SPACE, "preserve")
                anchor.addnext(rest)
                anchor = rest


class IdSource:
    """Content-control ids, unique within one document."""

    def __init__(self):
        self.value = 1000

    def next(self):
        self.value += 1
        return self.value


def text_control(tag, alias, text, rpr, ids):
    """An inline (rich-text) content control tagged `tag`, holding `text`."""
    properties = el(
        w("sdtPr"),
        children=[
            copy.deepcopy(rpr),
            el(w("alias"), {w("val"): alias}),
            el(w("tag"), {w("val"): tag}),
            el(w("id"), {w("val"): ids.next()}),
            # No w:text (a plain-text control): LibreOffice 7.4 saves a plain-text control back
            # as three controls holding its value four times, so a re-saved form printed it four
            # times; a rich-text control comes back once (decision 0020).
        ],
    )
    runs = text_runs(text, rpr) if text else [el(w("r"), children=[copy.deepcopy(rpr)])]
    return el(w("sdt"), children=[properties, el(w("sdtContent"), children=runs)])


def block_control(tag, alias, text, rpr, ppr, ids):
    """A block-level (rich text) content control tagged `tag`: one paragraph per line.

    LibreOffice (7.4) moves the line breaks of runs inside an inline control to
    the top of the cell when it prints; paragraphs inside a block-level control
    print line by line, and the tag still wraps the whole value for import.
    """
    properties = el(
        w("sdtPr"),
        children=[
            copy.deepcopy(rpr),
            el(w("alias"), {w("val"): alias}),
            el(w("tag"), {w("val"): tag}),
            el(w("id"), {w("val"): ids.next()}),
        ],
    )
    lines = clean_xml_text(text).split("\n") if text else [""]
    paragraphs = [paragraph(text_runs(line, rpr) if line else [], ppr) for line in lines]
    return el(w("sdt"), children=[properties, el(w("sdtContent"), children=paragraphs)])


CHECKED = "☑"
UNCHECKED = "□"


def checkbox_control(tag, alias, checked, rpr, ids):
    """A Word 2010 check-box content control showing ☑ or □."""
    properties = el(
        w("sdtPr"),
        children=[
            copy.deepcopy(rpr),
            el(w("alias"), {w("val"): alias}),
            el(w("tag"), {w("val"): tag}),
            el(w("id"), {w("val"): ids.next()}),
            el(
                w14("checkbox"),
                children=[
                    el(w14("checked"), {w14("val"): "1" if checked else "0"}),
                    el(w14("checkedState"), {w14("val"): "2611", w14("font"): BODY_FONT}),
                    el(w14("uncheckedState"), {w14("val"): "25A1", w14("font"): BODY_FONT}),
                ],
            ),
        ],
    )
    runs = text_runs(CHECKED if checked else UNCHECKED, rpr)
    return el(w("sdt"), children=[properties, el(w("sdtContent"), children=runs)])


def paragraph(children=(), ppr=None):
    node = el(w("p"))
    if ppr is not None:
        node.append(copy.deepcopy(ppr))
    for child in children:
        node.append(child)
    return node


def first_rpr(node):
    found = node.find(f".//{w('rPr')}")
    return copy.deepcopy(found) if found is not None else body_rpr()


def set_paragraph_text(p, text):
    """Replace the text of a template paragraph, keeping its formatting."""
    rpr = first_rpr(p)
    for run in p.findall(w("r")):
        p.remove(run)
    for run in text_runs(text, rpr):
        p.append(run)


# --- the package -----------------------------------------------------------------


def _patch_font_table(xml):
    root = etree.fromstring(xml)
    existing = {f.get(w("name")) for f in root.findall(w("font"))}
    for name, alt, panose, family, pitch in FONT_DECLARATIONS:
        if name in existing:
            continue
        root.append(
            el(
                w("font"),
                {w("name"): name},
                [
                    el(w("altName"), {w("val"): alt}),
                    el(w("panose1"), {w("val"): panose}),
                    el(w("charset"), {w("val"): "86"}),
                    el(w("family"), {w("val"): family}),
                    el(w("pitch"), {w("val"): pitch}),
                ],
            )
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# The Normal style's size per form (half-points): 附件2 prints in 五号 to fit one page
# (LibreOffice sizes the first paragraph of a block-level control by the style).
NORMAL_SIZE = {"att2": 21}


def _patch_styles(xml, size=24):
    """Normal style in 仿宋_GB2312 小四, Chinese language for line breaking."""
    root = etree.fromstring(xml)
    for lang in root.iter(w("lang")):
        lang.set(w("eastAsia"), "zh-CN")
    for style in root.findall(w("style")):
        if style.get(w("styleId")) == "Normal":
            old = style.find(w("rPr"))
            if old is not None:
                style.remove(old)
            style.append(body_rpr(size=size))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def size_styles(document):
    """Give every paragraph that holds a content control's text a paragraph style of its runs' size.

    LibreOffice (7.4) prints the first paragraph of a block-level control, and an inline
    control's text, in the paragraph style's size whatever the runs say; a style per size used
    (`YxSize<half-points>`, see `styles_with_sizes`) makes them print at the runs' size.
    Returns the sizes used.
    """
    sizes = set()
    for p in document.iter(w("p")):
        inside = any(a.tag == w("sdtContent") for a in p.iterancestors())
        if not inside and p.find(f".//{w('sdt')}") is None:
            continue
        sz = p.find(f".//{w('r')}/{w('rPr')}/{w('sz')}")
        if sz is None:
            sz = p.find(f"{w('pPr')}/{w('rPr')}/{w('sz')}")
        if sz is None:
            continue
        size = sz.get(w("val"))
        sizes.add(size)
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = el(w("pPr"))
            p.insert(0, ppr)
        style = ppr.find(w("pStyle"))
        if style is None:
            style = el(w("pStyle"))
            ppr.insert(0, style)
        style.set(w("val"), f"YxSize{size}")
    return sizes


def styles_with_sizes(xml, sizes):
    """styles.xml with a paragraph style `YxSize<n>` (Normal in n half-points) for each size."""
    root = etree.fromstring(xml)
    for size in sorted(sizes, key=int):
        root.append(
            el(
                w("style"),
                {w("type"): "paragraph", w("customStyle"): "1", w("styleId"): f"YxSize{size}"},
                [
                    el(w("name"), {w("val"): f"yx size {size}"}),
                    el(w("basedOn"), {w("val"): "Normal"}),
                    el(w("rPr"), children=[el(w("sz"), {w("val"): size}), el(w("szCs"), {w("val"): size})]),
                ],
            )
        )
    return _xml_bytes(root)


@cache
def skeleton(form_key):
    """(other parts of the blank package, parsed document.xml) for a form."""
    parts = {}
    with zipfile.ZipFile(BLANKS_DIR / f"{form_key}.docx") as archive:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = _patch_font_table(data)
            elif info.filename == "word/styles.xml":
                data = _patch_styles(data, NORMAL_SIZE.get(form_key, 24))
            elif info.filename == "docProps/thumbnail.jpeg":
                continue  # a thumbnail of the blank would misrepresent a filled form
            parts[info.filename] = data
    document = etree.fromstring(parts.pop("word/document.xml"))
    # Drop the thumbnail's relationship and content type with it.
    rels = parts.get("_rels/.rels")
    if rels is not None:
        root = etree.fromstring(rels)
        for rel in list(root):
            if rel.get("Target", "").endswith("thumbnail.jpeg"):
                root.remove(rel)
        parts["_rels/.rels"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return parts, document


def set_grid(tbl, widths):
    """New column widths: the grid, and every cell's width from the columns it spans."""
    grid = tbl.find(w("tblGrid"))
    for column, width in zip(grid.findall(w("gridCol")), widths, strict=True):
        column.set(w("w"), str(width))
    for tr in tbl.findall(w("tr")):
        column = 0
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            span = tcpr.find(w("gridSpan")) if tcpr is not None else None
            span = int(span.get(w("val"), "1")) if span is not None else 1
            tcw = tcpr.find(w("tcW")) if tcpr is not None else None
            if tcw is not None:
                tcw.set(w("w"), str(sum(widths[column : column + span])))
                tcw.set(w("type"), "dxa")
            column += span


def keep_rows_whole(tbl, min_heights=None):
    """No row splits across pages (cantSplit); `min_heights`: {row index: twips, at least}."""
    for index, tr in enumerate(tbl.findall(w("tr"))):
        trpr = tr.find(w("trPr"))
        if trpr is None:
            trpr = el(w("trPr"))
            position = 1 if tr.find(w("tblPrEx")) is not None else 0
            tr.insert(position, trpr)
        for name in ("cantSplit", "trHeight"):
            old = trpr.find(w(name))
            if old is not None:
                trpr.remove(old)
        trpr.append(el(w("cantSplit")))
        height = (min_heights or {}).get(index)
        if height:
            trpr.append(el(w("trHeight"), {w("val"): height, w("hRule"): "atLeast"}))


def resize_runs(node, size):
    """Every run under `node` (and its content controls' run properties) in `size` half-points."""
    for rpr in node.iter(w("rPr")):
        if rpr.getparent().tag == w("pPr"):
            continue  # paragraph marks keep theirs (they only set the empty line's height)
        sz = rpr.find(w("sz"))
        if sz is None:
            sz = el(w("sz"))
            rpr.append(sz)
        sz.set(w("val"), str(size))
        szcs = rpr.find(w("szCs"))
        if szcs is None:
            szcs = el(w("szCs"))
            sz.addnext(szcs)
        szcs.set(w("val"), str(size))


def tight_paragraphs(node, after=0, line=240, rule="auto"):
    """No space after and the given line spacing under `node` (the blank's default is 1.15 and 10 pt after).

    `rule="exact"` with `line` in twips: the CJK fallback faces (Noto) have a
    tall natural line, so an exact pitch is what fits the form on its page.
    """
    for p in node.iter(w("p")):
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = el(w("pPr"))
            p.insert(0, ppr)
        old = ppr.find(w("spacing"))
        if old is not None:
            ppr.remove(old)
        spacing = el(w("spacing"), {w("before"): 0, w("after"): after, w("line"): line, w("lineRule"): rule})
        style = ppr.find(w("pStyle"))
        keep = [ppr.find(w(n)) for n in ("keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPbdr")]
        anchor = next((k for k in reversed(keep) if k is not None), style)
        if anchor is not None:
            anchor.addnext(spacing)
        else:
            ppr.insert(0, spacing)
        # The paragraph mark in the runs' size: LibreOffice sizes the first
        # paragraph of a block-level content control by its mark.
        run_rpr = p.find(f"{w('r')}/{w('rPr')}")
        if run_rpr is not None:
            old_mark = ppr.find(w("rPr"))
            if old_mark is not None:
                ppr.remove(old_mark)
            ppr.append(copy.deepcopy(run_rpr))


def fix_table_layout(tbl):
    """Fixed layout, explicit width and borders: LibreOffice keeps the widths."""
    tbl_pr = tbl.find(w("tblPr"))
    widths = [int(c.get(w("w"))) for c in tbl.find(w("tblGrid")).findall(w("gridCol"))]
    for name in ("tblW", "tblBorders", "tblLayout"):
        old = tbl_pr.find(w(name))
        if old is not None:
            tbl_pr.remove(old)
    borders = el(
        w("tblBorders"),
        children=[
            el(w(side), {w("val"): "single", w("sz"): 4, w("space"): 0, w("color"): "000000"})
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        ],
    )
    style = tbl_pr.find(w("tblStyle"))
    position = list(tbl_pr).index(style) + 1 if style is not None else 0
    tbl_pr.insert(position, el(w("tblW"), {w("w"): sum(widths), w("type"): "dxa"}))
    tbl_pr.insert(position + 1, borders)
    tbl_pr.insert(position + 2, el(w("tblLayout"), {w("type"): "fixed"}))


CORE_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>研修申报系统</dc:creator><dc:identifier>{identifier}</dc:identifier>"
    "</cp:coreProperties>"
)


def core_properties(title, identifier):
    """docProps/core.xml; the identifier carries the institution's USCC."""
    return CORE_TEMPLATE.format(title=escape(clean_xml_text(title)), identifier=escape(identifier)).encode("utf-8")


PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
REL_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DATASTORE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def _xml_bytes(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@cache
def custom_xml_slot(form_key, item_id, schema_uri):
    """(name of a new custom XML item, the other parts it needs) for a form.

    The other parts are the item properties, the item's relationship to them,
    and the blank's document relationships and content types with the new
    item added; pass them with the item's bytes to `package()`.
    """
    parts, _ = skeleton(form_key)
    number = 1
    while f"customXml/item{number}.xml" in parts:
        number += 1
    item = f"customXml/item{number}.xml"
    props = f"customXml/itemProps{number}.xml"

    store = etree.Element(f"{{{DATASTORE}}}datastoreItem", nsmap={"ds": DATASTORE})
    store.set(f"{{{DATASTORE}}}itemID", item_id)
    refs = etree.SubElement(store, f"{{{DATASTORE}}}schemaRefs")
    etree.SubElement(refs, f"{{{DATASTORE}}}schemaRef").set(f"{{{DATASTORE}}}uri", schema_uri)

    item_rels = etree.Element(f"{{{PACKAGE_RELS}}}Relationships", nsmap={None: PACKAGE_RELS})
    etree.SubElement(
        item_rels,
        f"{{{PACKAGE_RELS}}}Relationship",
        Id="rId1",
        Type=REL_CUSTOM_XML_PROPS,
        Target=f"itemProps{number}.xml",
    )

    document_rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    taken = {rel.get("Id") for rel in document_rels}
    rel_id = next(f"rIdYx{n}" for n in range(1, 1000) if f"rIdYx{n}" not in taken)
    etree.SubElement(
        document_rels, f"{{{PACKAGE_RELS}}}Relationship", Id=rel_id, Type=REL_CUSTOM_XML, Target=f"../{item}"
    )

    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{props}", ContentType=CUSTOM_XML_PROPS_TYPE)

    return item, {
        props: _xml_bytes(store),
        f"customXml/_rels/item{number}.xml.rels": _xml_bytes(item_rels),
        "word/_rels/document.xml.rels": _xml_bytes(document_rels),
        "[Content_Types].xml": _xml_bytes(types),
    }


REL_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _field(instruction, rpr):
    return el(w("fldSimple"), {w("instr"): f" {instruction} "}, [el(w("r"), children=[copy.deepcopy(rpr), _t("1")])])


def _t(text):
    node = el(w("t"))
    node.text = text
    node.set(XML_SPACE, "preserve")
    return node


def page_number_footer(form_key, document, size=21):
    """A centred footer "第 N 页 共 M 页" on every page of `document` (its last section):
    the parts to pass to `package()`, and the section's footer reference added."""
    parts, _ = skeleton(form_key)
    rpr = body_rpr(size=size)
    footer = el(
        w("ftr"),
        children=[
            el(
                w("p"),
                children=[
                    el(w("pPr"), children=[el(w("jc"), {w("val"): "center"})]),
                    el(w("r"), children=[copy.deepcopy(rpr), _t("第 ")]),
                    _field("PAGE", rpr),
                    el(w("r"), children=[copy.deepcopy(rpr), _t(" 页  共 ")]),
                    _field("NUMPAGES", rpr),
                    el(w("r"), children=[copy.deepcopy(rpr), _t(" 页")]),
                ],
            )
        ],
    )
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    taken = {rel.get("Id") for rel in rels}
    rel_id = next(f"rIdYxFooter{n}" for n in range(1, 1000) if f"rIdYxFooter{n}" not in taken)
    etree.SubElement(rels, f"{{{PACKAGE_RELS}}}Relationship", Id=rel_id, Type=REL_FOOTER, Target="footerYx.xml")
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override", PartName="/word/footerYx.xml", ContentType=FOOTER_TYPE)
    sect = document.find(w("body")).find(w("sectPr"))
    sect.insert(0, el(w("footerReference"), {w("type"): "default", f"{{{R_NS}}}id": rel_id}))
    return {
        "word/footerYx.xml": _xml_bytes(footer),
        "word/_rels/document.xml.rels": _xml_bytes(rels),
        "[Content_Types].xml": _xml_bytes(types),
    }


def package(form_key, document, overrides=None):
    """The .docx bytes: the blank's parts with a new document.xml."""
    parts, _ = skeleton(form_key)
    parts = {**parts, **(overrides or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(_entry("[Content_Types].xml"), parts["[Content_Types].xml"], compresslevel=6)
        archive.writestr(
            _entry("word/document.xml"),
            etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True),
            compresslevel=6,
        )
        for name, data in parts.items():
            if name != "[Content_Types].xml":
                archive.writestr(_entry(name), data, compresslevel=6)
    return buffer.getvalue()


def _entry(name):
    """A zip entry with a fixed date: the same document gives the same bytes (the PDF cache's key)."""
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry
