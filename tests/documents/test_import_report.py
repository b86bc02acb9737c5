"""The import report: the rule checks of what was read even before the institution is registered,
never 'can be imported' for a form that was not read, each form's own labels, and the queries a
run of many forms costs."""

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.documents.imports import report
from yanxiu.documents.imports.importer import COPY, form_label, import_source, import_sources
from yanxiu.documents.imports.sources import Source
from yanxiu.organisations.models import Institution

from .helpers import application, handfill

pytestmark = pytest.mark.django_db


def run(name, data, actor, dry_run=True):
    return import_source(Source(name, data), actor=actor, dry_run=dry_run, on_duplicate=COPY)  # as test_import.run


def without_rows(data, *labels):
    """The form with the table rows whose first cell starts with one of `labels` deleted (a person's edit)."""
    import io

    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    for row in list(table.rows):
        if "".join(row.cells[0].text.split()).startswith(labels):
            row._tr.getparent().remove(row._tr)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_unregistered_institution_still_gets_every_other_finding(provincial, province):
    Application.objects.filter(pk=provincial.pk).update(planned_trainees=25)
    data = render_application_docx(application(provincial.title))
    # The host is not in the system (neither its credit code nor its name match).
    Institution.objects.filter(pk=provincial.institution_id).update(name="改名后的单位", uscc="91350100MA00000000")
    before = Application.objects.count()
    result = run("unregistered.docx", data, province, dry_run=False)
    assert (result.status, result.problems[-1].code) == ("refused", "import.unknown_institution")
    minimum = [p for p in result.problems if p.code == "trainees.minimum"]
    assert len(minimum) == 1
    assert "25人" in minimum[0].message
    assert not [p for p in result.problems if p.code.startswith(("institution.", "deadline."))]
    assert Application.objects.count() == before
    line = next(report.rows([result]))
    assert "25人" in line[6]  # the 规则检查 column
    assert "请先登记该单位" in line[5]


def test_a_registered_institution_gets_the_same_findings_from_what_was_read(provincial, province):
    Application.objects.filter(pk=provincial.pk).update(planned_trainees=25)
    data = render_application_docx(application(provincial.title))
    result = run("registered.docx", data, province, dry_run=False)
    assert result.status == "imported"
    saved = Application.objects.get(pk=result.application_id)
    assert (saved.planned_trainees, saved.sessions.count(), saved.lecturers.count()) == (
        25,
        provincial.sessions.count(),
        provincial.lecturers.count(),
    )
    assert "trainees.minimum" in [p.code for p in result.problems]
    # The report was built from what was read: it is what the saved draft gives.
    from yanxiu.applications.domain.checks import run_checks

    assert sorted(p.code for p in result.problems if not p.code.startswith("import.")) == sorted(
        c.code for c in run_checks(saved)
    )
    assert list(AuditEntry.objects.filter(object_id=saved.pk).values_list("action", "to_state")) == [
        ("import", "draft")
    ]


def test_a_form_whose_labels_were_deleted_is_never_reported_as_importable(national, province):
    data = without_rows(render_application_docx(national), "选题所属", "研修目的")
    result = run("edited.docx", data, province)
    assert result.status == "refused"
    assert result.problems[-1].code == "import.incomplete"
    reason = result.problems[-1].message
    # 附件1's own labels, not 附件2's.
    assert "未找到“选题所属行业领域”栏" in reason
    assert "未找到“研修目的和作用”栏" in reason
    assert "选题所属专业技术领域" not in reason
    assert "不能导入" in reason
    assert report.STATUS[result.status] == "未导入"


def test_a_blank_form_cannot_be_imported_and_says_why(province):
    result = run("blank.docx", handfill("att2", {}), province)
    assert result.status == "refused"
    assert result.problems[-1].code == "import.incomplete"
    assert "未读到“项目名称”" in result.problems[-1].message


def test_messages_name_each_forms_own_labels():
    assert form_label("att1", "trainee_description") == "研修对象"
    assert form_label("att2", "trainee_description") == "培训对象"
    assert form_label("att2", "host_contact") == "联系人"


def test_an_att1_with_an_unknown_domain_names_its_own_label(national, province):
    data = handfill("att1", {(0, 1): "测试研修班", (2, 1): "不存在的领域", (12, 2): national.institution.name})
    result = run("domain.docx", data, province)
    messages = [p.message for p in result.problems if p.code == "import.unknown_domain"]
    assert messages
    assert "“选题所属行业领域”" in messages[0]


def test_each_further_form_of_a_run_costs_a_fixed_handful_of_queries(demo, province, national, provincial):
    files = [render_application_docx(national), render_application_docx(provincial)]

    def queries(count):
        sources = [Source(f"{n}.docx", files[n % 2]) for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            results = list(import_sources(sources, actor=province, dry_run=False, on_duplicate=COPY))
        assert [r.status for r in results] == ["imported"] * count
        return len(captured)

    two, six = queries(2), queries(6)
    per_form = (six - two) / 4
    assert per_form == int(per_form)
    assert per_form <= 14  # was 46: the report is built from what was read, the rows bulk-created


def test_the_upload_page_shows_the_findings_of_a_form_from_an_unregistered_host(client, provincial, province):
    import io

    from django.urls import reverse

    Application.objects.filter(pk=provincial.pk).update(planned_trainees=25)
    data = render_application_docx(application(provincial.title))
    Institution.objects.filter(pk=provincial.institution_id).update(name="改名后的单位", uscc="91350100MA00000000")
    client.force_login(province)
    upload = io.BytesIO(data)
    upload.name = "未登记单位.docx"
    response = client.post(reverse("documents:upload"), {"files": [upload]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "未导入" in page
    assert "请先登记该单位" in page
    assert "本项目计划招收25人" in page
