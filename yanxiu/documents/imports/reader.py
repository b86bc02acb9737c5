"""The text of a .docx as the importer needs it, read with lxml.

python-docx drops text inside content controls and repeats merged cells; this
reader keeps both right: body paragraphs, tables as rows of logical cells
(a vertically merged cell carries the text of its first cell), and the text
of every `yx:` content control by tag.
"""

from dataclasses import dataclass, field

from ..generate.ooxml import W14, W, w, w14
from ..layout import CONTINUED_NOTE, FIELD_LABELS, HINTS, TAG_PREFIX, TEXT_SLOTS
from .ticks import is_symbol_font, symbol_char

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
T, BR, CR, TAB, SYM, P, R = (w(n) for n in ("t", "br", "cr", "tab", "sym", "p", "r"))
NO_BREAK_HYPHEN = w("noBreakHyphen")
TEXT_NODES = (T, BR, CR, TAB, SYM, NO_BREAK_HYPHEN)
FONT_ATTRS = (w("ascii"), w("hAnsi"), w("eastAsia"), w("cs"))


@dataclass
class Cell:
    text: str
    column: int
    span: int = 1
    continued: bool = False  # a vertically merged cell below its first one


@dataclass
class DocxText:
    paragraphs: list = field(default_factory=list)  # body paragraphs outside tables
    tables: list = field(default_factory=list)  # [[Cell]]
    tags: dict = field(default_factory=dict)  # "yx:title" -> text
    checked: dict = field(default_factory=dict)  # "yx:scope.digital" -> bool (w14:checked)
    identifier: str = ""  # docProps dc:identifier
    embedded: object = None  # the parsed rows part of a generated form (embedded.py), or None
    embedded_refused: object = None  # a Refused: the rows part was there but could not be read

    @property
    def tagged(self):
        return bool(self.tags)


def _run_font(node):
    run = node.getparent()
    if run is None or run.tag != R:
        return ""
    rpr = run.find(w("rPr"))
    fonts = rpr.find(w("rFonts")) if rpr is not None else None
    if fonts is None:
        return ""
    for attr in FONT_ATTRS:
        value = fonts.get(attr)
        if value and is_symbol_font(value):
            return value
    return ""


def _inside_fallback(node, stop):
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def run_text(node):
    """The text of the runs under `node`, without paragraph breaks."""
    parts = []
    for item in node.iter(TEXT_NODES):
        tag = item.tag
        if tag == T:
            # A non-breaking hyphen: LibreOffice saves the generated w:noBreakHyphen as U+2011.
            text = (item.text or "").replace("\u2011", "-")
            font = _run_font(item) if text else ""
            if font:
                text = "".join(symbol_char(font, ord(ch)) or ch for ch in text)
            parts.append(text)
        elif tag == TAB:
            if item.getparent().tag == R:
                parts.append("\t")
        elif tag == SYM:
            try:
                code = int(item.get(w("char"), "0"), 16)
            except ValueError:
                code = 0
            parts.append(symbol_char(item.get(w("font")), code) or "")
        elif tag == NO_BREAK_HYPHEN:
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def block_text(node):
    """Paragraphs under `node` joined by newlines (runs if there are none)."""
    paragraphs = [p for p in node.iter(P) if not _inside_fallback(p, node)]
    if not paragraphs:
        return run_text(node)
    return "\n".join(run_text(p) for p in paragraphs)


def _table_rows(tbl):
    rows = []
    above = {}  # grid column -> Cell that starts a vertical merge
    for tr in tbl.iterchildren(w("tr")):
        column = 0
        trpr = tr.find(w("trPr"))
        if trpr is not None and trpr.find(w("gridBefore")) is not None:
            column += int(trpr.find(w("gridBefore")).get(w("val"), "0"))
        cells = []
        for tc in tr.iterchildren(w("tc")):
            tcpr = tc.find(w("tcPr"))
            span, vmerge = 1, None
            if tcpr is not None:
                grid_span = tcpr.find(w("gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(w("val"), "1"))
                merge = tcpr.find(w("vMerge"))
                if merge is not None:
                    vmerge = merge.get(w("val"), "continue")
            if vmerge == "continue" and column in above:
                first = above[column]
                cells.append(Cell(first.text, column, span, continued=True))
            else:
                cell = Cell(block_text(tc), column, span)
                cells.append(cell)
                if vmerge == "restart":
                    above[column] = cell
                else:
                    above.pop(column, None)
            column += span
        rows.append(cells)
    return rows


RESTORED = "{urn:yanxiu:reader}restored"

# Text fields by the alias (title) of their content control: LibreOffice (7.4)
# drops the tags of a generated form it saves but keeps the aliases.
TEXT_FIELDS = {field for slots in TEXT_SLOTS.values() for field in slots} | {
    "applicant",
    "submitted",
    "opinion",
    "content.continued",
}
TEXT_SLOT_FIELDS = {field for slots in TEXT_SLOTS.values() for field in slots}
ALIAS_TAGS = {FIELD_LABELS[field]: TAG_PREFIX + field for field in TEXT_FIELDS if field in FIELD_LABELS}


def _alias(sdt):
    properties = sdt.find(w("sdtPr"))
    alias = properties.find(w("alias")) if properties is not None else None
    tag = properties.find(w("tag")) if properties is not None else None
    return (alias.get(w("val"), "") if alias is not None else ""), tag is not None


def undo_libreoffice_repeats(body):
    """Repair what LibreOffice 7.4 writes for the inline controls of a generated form.

    It splits the control into a run of sibling controls with the same alias
    and no tag, the first holding the value and the others the value again
    with fragments of it (“X”, “年X”, “9X” …). Keep the first of each run.
    """
    for sdt in list(body.iter(w("sdt"))):
        alias, tagged = _alias(sdt)
        if not alias or tagged or sdt.getparent() is None:
            continue
        previous = sdt.getprevious()  # earlier repeats are already gone: this is the run's first
        if previous is not None and previous.tag == w("sdt") and _alias(previous) == (alias, False):
            sdt.getparent().remove(sdt)


def restore_tags(body):
    """A text field's control without a tag but with its alias gets its tag back (LibreOffice's save)."""
    for sdt in body.iter(w("sdt")):
        alias, tagged = _alias(sdt)
        if tagged or alias not in ALIAS_TAGS:
            continue
        content = sdt.find(w("sdtContent"))
        if content is None or content.find(f".//{w('sdt')}") is not None:
            continue  # a control around other controls is not one field's value
        properties = sdt.find(w("sdtPr"))
        tag = properties.makeelement(w("tag"), {w("val"): ALIAS_TAGS[alias], RESTORED: "1"})
        properties.append(tag)


def _restored_value(sdt):
    """A restored field's value: its whole cell (LibreOffice leaves lines after the first outside the control)."""
    cell = next((a for a in sdt.iterancestors(w("tc"))), None)
    if cell is None:
        content = sdt.find(w("sdtContent"))
        return block_text(content) if content is not None else ""
    text = block_text(cell)
    lines = text.split("\n")
    if lines and lines[0].strip() in HINTS:  # the printed hint of an empty field
        lines = lines[1:]
    return "\n".join(lines)


def read_document(opened):
    root = opened.document
    body = root.find(w("body"))
    if body is not None:
        undo_libreoffice_repeats(body)
        restore_tags(body)
    result = DocxText(
        identifier=opened.identifier,
        embedded=getattr(opened, "embedded", None),
        embedded_refused=getattr(opened, "embedded_refused", None),
    )
    if body is None:
        return result
    for child in body.iterchildren():
        if child.tag == P:
            result.paragraphs.append(run_text(child))
        elif child.tag == w("tbl"):
            result.tables.append(_table_rows(child))
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                for inner in content.iterchildren():
                    if inner.tag == P:
                        result.paragraphs.append(run_text(inner))
                    elif inner.tag == w("tbl"):
                        result.tables.append(_table_rows(inner))
    for sdt in body.iter(w("sdt")):
        properties = sdt.find(w("sdtPr"))
        tag = properties.find(w("tag")) if properties is not None else None
        value = tag.get(w("val"), "") if tag is not None else ""
        if not value.startswith(TAG_PREFIX) or value in result.tags:
            continue
        content = sdt.find(w("sdtContent"))
        inline_in_cell = sdt.getparent() is not None and sdt.getparent().tag == P
        if value.removeprefix(TAG_PREFIX) in TEXT_SLOT_FIELDS and (tag.get(RESTORED) or inline_in_cell):
            # A field written one inline control per line (or restored by LibreOffice's aliases): its cell.
            result.tags[value] = _restored_value(sdt)
        else:
            result.tags[value] = block_text(content) if content is not None else ""
        checkbox = properties.find(w14("checkbox"))
        if checkbox is not None:
            state = checkbox.find(w14("checked"))
            result.checked[value] = state is not None and state.get(w14("val"), "0") in ("1", "true")
    _join_continuation(result.tags)
    return result


def _join_continuation(tags):
    """附件2's schedule continued after the table (forms_docx): its cell's lines, less the note, then the rest."""
    more = tags.pop(TAG_PREFIX + "content.continued", None)
    if more is None:
        return
    lines = tags.get(TAG_PREFIX + "content", "").split("\n")
    if lines and lines[-1].strip() == CONTINUED_NOTE:
        lines = lines[:-1]
    tags[TAG_PREFIX + "content"] = "\n".join([*lines, *more.split("\n")])


__all__ = ["W14", "Cell", "DocxText", "W", "read_document"]
