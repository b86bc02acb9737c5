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


def text_of(data):
    return "".join(document_xml(data).xpath("//w:t/text()", namespaces=NS))


def parsed(data):
    doc = read_document(open_docx(data))
    return doc, parse_application_form(doc, recognise(doc))


def test_a_form_resaved_by_libreoffice_imports_the_same_fields(demo):
    applications = list(Application.objects.select_related("call", "institution").order_by("pk"))
    assert len(applications) >= 5
    forms = set()
    for application in applications:
        source = render_application_docx(application)
        resaved = pdf.convert(source, ".docx", "docx")
        _, original = parsed(source)
        _, again = parsed(resaved)
        # LibreOffice 7.4 really drops the tags (and, for the inline controls, the aliases): the
        # reader reads such a form by its labels, or restores fields from the aliases it kept.
        assert TAG_PREFIX in "".join(document_xml(source).xpath("//w:tag/@w:val", namespaces=NS))
        assert document_xml(resaved).xpath("//w:tag/@w:val", namespaces=NS) == []
        assert again.form == original.form
        assert again.record == original.record, application.title
        assert [p.code for p in again.problems] == [p.code for p in original.problems]
        assert again.schedule == original.schedule
        assert again.lecturer_rows == original.lecturer_rows
        # Each value printed once, as generated (LibreOffice 7.4 used to write a plain-text
        # control back as three controls holding the value four times).
        for value in (application.title, application.host_name):
            assert text_of(resaved).count(value) == text_of(source).count(value) >= 1, value
        forms.add(again.form)
    assert forms == {"att1", "att2"}


@pytest.mark.parametrize("title", ["生物育种与种业振兴关键技术高级研修班", "文物数字化保护与利用高级研修班"])
def test_a_resaved_form_with_a_long_title_imports_as_the_original(demo, title):
    """Both forms, through the whole import: a title at the maximum length, a multi-line purpose,
    the dates, the schedule and the lecturers come back once each, and the report says the same."""
    from yanxiu.accounts.models import User
    from yanxiu.applications.models import TITLE_MAX
    from yanxiu.documents.imports.importer import import_source
    from yanxiu.documents.imports.sources import Source

    application = Application.objects.get(title=title)
    long_title = ("数字经济与" * 20)[: TITLE_MAX - len("高级研修班")] + "高级研修班"
    purpose = "第一，提升创新能力。\n第二，服务产业发展。\n第三，培养高层次人才。"
    Application.objects.filter(pk=application.pk).update(title=long_title, purpose=purpose)
    application = Application.objects.select_related("call", "institution").get(pk=application.pk)
    source = render_application_docx(application)
    resaved = pdf.convert(source, ".docx", "docx")
    province = User.objects.get(username="province")
    original = import_source(Source("original.docx", source), actor=province, dry_run=True)
    again = import_source(Source("resaved.docx", resaved), actor=province, dry_run=True)
    assert (original.status, again.status) == ("checked", "checked")
    assert again.application == original.application
    assert again.application["title"] == long_title
    assert len(long_title) == TITLE_MAX
    assert again.application["purpose"] == purpose  # not repeated
    assert (again.application["start"], again.application["end"]) == (
        application.start_date.isoformat(),
        application.end_date.isoformat(),
    )
    assert again.fields == original.fields
    assert f"日程安排{application.sessions.count()}条" in again.fields
    assert f"授课专家{application.lecturers.count()}人" in again.fields
    assert [(p.code, p.message) for p in again.problems] == [(p.code, p.message) for p in original.problems]
    assert not [p for p in again.problems if p.code.startswith("import.") and p.severity == "error"]
