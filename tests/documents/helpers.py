"""Helpers for the documents tests: example forms and hand-filled documents."""

import io
import json
import zipfile
from pathlib import Path

from lxml import etree

from yanxiu.applications.models import Application

# A copy of ../shared/fixtures/forms/example-* (hand-filled forms with what an import
# must recover), kept in the project so the tests never depend on ../shared.
EXAMPLE_FORMS = Path(__file__).resolve().parent / "fixtures"
BLANKS = Path(__file__).resolve().parents[2] / "yanxiu" / "documents" / "blanks"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def application(title):
    return Application.objects.select_related("call", "institution", "domain", "competent_department").get(title=title)


def shared_example(name):
    return EXAMPLE_FORMS / name


def expectation(name):
    return json.loads(shared_example(name).read_text(encoding="utf-8"))


def document_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def replace_document(data, root):
    """The same package with another word/document.xml (a person's edit)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            archive.writestr(info.filename, content)
    return out.getvalue()


def handfill(form_key, cells, paragraphs=None):
    """A blank form filled the way people do it: plain text typed into cells.

    `cells` maps (row, cell) to text (lines split on "\n" into paragraphs) or
    to a list of paragraph specs: a string, or a list of (text, font) runs.
    """
    import docx

    document = docx.Document(str(BLANKS / f"{form_key}.docx"))
    table = document.tables[0]
    for (row, cell), value in cells.items():
        tc = table.rows[row]._tr.findall(f"{{{W}}}tc")[cell]
        target = docx.table._Cell(tc, table)
        for p in list(target.paragraphs):
            p._p.getparent().remove(p._p)
        specs = value.split("\n") if isinstance(value, str) else value
        for spec in specs:
            p = target.add_paragraph()
            runs = [(spec, None)] if isinstance(spec, str) else spec
            for text, font in runs:
                run = p.add_run(text)
                if font:
                    run.font.name = font
    for index, text in (paragraphs or {}).items():
        document.paragraphs[index].text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
