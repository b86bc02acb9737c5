"""A generated form saved again in LibreOffice (as a clerk might, or WPS) imports as the original."""

import pytest

from yanxiu.applications.models import Application
from yanxiu.documents.generate import pdf
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.parse_forms import parse_application_form, recognise
from yanxiu.documents.imports.reader import read_document
from yanxiu.documents.imports.safety import open_docx
from yanxiu.documents.layout import TAG_PREFIX

from .helpers import NS, document_xml


@pytest.fixture(autouse=True)
def _libreoffice_installed():
    assert pdf.is_available(), "LibreOffice not installed: make system-deps"


def parsed(data):
    doc = read_document(open_docx(data))
    return doc, parse_application_form(doc, recognise(doc))


def test_a_form_resaved_by_libreoffice_imports_the_same_fields(demo):
    applications = list(Application.objects.select_related("call", "institution").order_by("pk"))
    assert len(applications) >= 5
    for application in applications:
        source = render_application_docx(application)
        resaved = pdf.convert(source, ".docx", "docx")
        _, original = parsed(source)
        _, again = parsed(resaved)
        # LibreOffice 7.4 really drops the tags: the reader restores the text fields from the aliases.
        assert TAG_PREFIX in "".join(document_xml(source).xpath("//w:tag/@w:val", namespaces=NS))
        assert document_xml(resaved).xpath("//w:tag/@w:val", namespaces=NS) == []
        assert again.form == original.form
        assert again.record == original.record, application.title
        assert [p.code for p in again.problems] == [p.code for p in original.problems]
        assert again.schedule == original.schedule
        assert again.lecturer_rows == original.lecturer_rows
