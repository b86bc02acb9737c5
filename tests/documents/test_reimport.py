"""Re-importing a form the system already holds is recognised (issue 20, decision 0016): the office or
authority chooses to update the draft or to make a copy on purpose, never a silent duplicate; the import
page is linked from the inbox of those who may use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yanxiu.accounts.models import User
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports.importer import ASK, COPY, UPDATE, import_source
from yanxiu.documents.imports.sources import Source

from .helpers import application
from .test_import import _edit_tagged

pytestmark = pytest.mark.django_db


def run(data, actor, on_duplicate=ASK, dry_run=False):
    return import_source(Source("again.docx", data), actor=actor, dry_run=dry_run, on_duplicate=on_duplicate)


@pytest.fixture
def draft(demo):
    """zzzz's provincial draft of the 2027 call (28 trainees)."""
    found = Application.objects.filter(state=ApplicationState.DRAFT).exclude(title="").select_related("institution")
    return application(found.first().title)


def _count(app):
    return Application.objects.filter(call=app.call, institution=app.institution, title=app.title).count()


def test_a_reimport_is_refused_until_the_clerk_chooses(draft, province):
    before = _count(draft)
    result = run(render_application_docx(draft), province)
    assert (result.status, result.duplicate_of, result.application_id) == ("refused", draft.pk, None)
    (problem,) = [p for p in result.problems if p.code == "import.duplicate"]
    assert problem.message == (
        f"系统中已有“{draft.institution.name}”同一年度、同一级别、同名的申报（编号{draft.pk}，草稿），为免重复未导入。"
        "如要用这份文件更新原草稿，请选择“更新原草稿”后重新导入；如确要另建一份，请选择“另存为副本”。"
    )
    assert _count(draft) == before


def test_a_trial_run_says_it_is_already_there(draft, province):
    result = run(render_application_docx(draft), province, dry_run=True)
    assert result.status == "checked"
    assert [p.severity for p in result.problems if p.code == "import.duplicate"] == ["warning"]


def test_updating_the_draft_replaces_its_content_and_is_audited(draft, province):
    before = _count(draft)
    edited = _edit_tagged(
        render_application_docx(draft), "yx:purpose", draft.purpose[:6], "（修订）" + draft.purpose[:6]
    )
    result = run(edited, province, UPDATE)
    assert (result.status, result.application_id) == ("updated", draft.pk)
    assert _count(draft) == before
    updated = Application.objects.get(pk=draft.pk)
    assert updated.purpose.startswith("（修订）")
    assert updated.version == draft.version + 1
    entry = AuditEntry.objects.for_object(draft).get(action="import_update")
    assert (entry.actor, entry.reason) == (province, "again.docx")
    assert entry.data["changes"]["purpose"] == [draft.purpose, updated.purpose]


def test_a_copy_is_made_only_on_purpose(draft, province):
    before = _count(draft)
    result = run(render_application_docx(draft), province, COPY)
    assert result.status == "imported"
    assert result.application_id != draft.pk
    assert _count(draft) == before + 1
    entry = AuditEntry.objects.for_object(Application.objects.get(pk=result.application_id)).get(action="import")
    assert entry.reason == f"again.docx（另存为副本，原申报编号{draft.pk}）"


def test_a_submitted_application_is_never_updated_by_an_import(demo, province):
    submitted = application("深远海海洋装备智能化高级研修班")
    assert submitted.state == ApplicationState.SUBMITTED
    version = submitted.version
    result = run(render_application_docx(submitted), province, UPDATE)
    assert result.status == "refused"
    assert [p.message for p in result.problems if p.code == "import.duplicate"] == [
        (
            f"系统中已有“{submitted.institution.name}”同一年度、同一级别、同名的申报（编号{submitted.pk}，已提交主管部门），"
            "为免重复未导入。原申报已不是草稿，不能更新；如确要另建一份草稿，请选择“另存为副本”后重新导入。"
        )
    ]
    assert Application.objects.get(pk=submitted.pk).version == version


def test_the_upload_page_offers_the_choice_and_links_the_existing_application(client, draft, province):
    client.force_login(province)
    page = client.get(reverse("documents:upload")).content.decode()
    assert 'data-testid="on-duplicate-update"' in page
    upload = SimpleUploadedFile("again.docx", render_application_docx(draft))
    answer = client.post(reverse("documents:upload"), {"files": [upload]}).content.decode()
    assert f'href="{reverse("applications:detail", args=[draft.pk])}"' in answer
    assert "为免重复未导入" in answer
    upload = SimpleUploadedFile("again.docx", render_application_docx(draft))
    answer = client.post(reverse("documents:upload"), {"files": [upload], "on_duplicate": "update"}).content.decode()
    assert "已更新原草稿" in answer


@pytest.mark.parametrize(("username", "linked"), [("province", True), ("zz_rsj", True), ("zzzz", False)])
def test_the_import_is_linked_from_the_inbox(client, demo, username, linked):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("applications:inbox"), follow=True)  # an institution goes to its dashboard
    assert response.status_code == 200
    assert (f'href="{reverse("documents:upload")}"' in response.content.decode()) is linked
