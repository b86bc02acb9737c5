"""One door, readable errors, bad input: every case here went through (or answered
500) before issue 9. Each refused request sends a payload that would succeed if
the check were missing, and the whole database is compared before and after."""

import io
import zipfile
from datetime import timedelta

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import dbstate, factories
from tests.delivery.helpers import add_trainees, host_of, planned
from tests.selection.test_selection import forwarded
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application, Attachment
from yanxiu.batches.models import Batch, BatchState
from yanxiu.core import jobs
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import enrolment
from yanxiu.delivery.interfaces import roster
from yanxiu.delivery.models import CertificateJob, Trainee
from yanxiu.selection.models import Decision

pytestmark = pytest.mark.django_db


class Unchanged(dbstate.Unchanged):
    """with Unchanged(): ... asserts the whole database and the media files are the same after."""

    def __exit__(self, *exc):
        super().__exit__(*exc)
        if exc[0] is None:
            assert self.changes == []


def text(response):
    return response.content.decode()


# --- one door ------------------------------------------------------------------------------


def test_a_decision_cannot_be_posted_as_an_action(client):
    application = forwarded()
    officer = factories.province_officer()
    client.force_login(officer)
    with Unchanged():
        response = client.post(f"/applications/{application.pk}/decide_demonstration/", {"reason": "入选"})
    assert response.status_code == 403
    assert "只能通过相关业务办理" in text(response)
    assert Application.objects.get(pk=application.pk).state == S.FORWARDED
    assert not Decision.objects.exists()


def test_recall_is_only_done_by_returning_the_batch(client):
    application = forwarded()
    officer = factories.province_officer()
    client.force_login(officer)
    with Unchanged():
        response = client.post(f"/applications/{application.pk}/recall/", {"reason": "退回"})
    assert response.status_code == 403
    assert Batch.objects.get(pk=application.batch_id).state == BatchState.SUBMITTED


def test_an_authority_cannot_forward_on_its_own(client):
    application = forwarded()
    officer = factories.province_officer()
    # the state the recall side door used to leave: approved again while the batch is still submitted
    workflow.perform_within("batch", application, "recall", officer, reason="测试")
    reviewer = factories.reviewer(application.institution.authority)
    client.force_login(reviewer)
    with Unchanged():
        response = client.post(f"/applications/{application.pk}/forward/", {"reason": ""})
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).state == S.AUTHORITY_APPROVED


def test_the_engine_refuses_non_manual_transitions_outside_their_operation():
    application = forwarded()
    officer = factories.province_officer()
    with pytest.raises(Refused, match="只能由省人社厅发布遴选结果办理"):
        workflow.perform(application, "decide_demonstration", officer)
    with pytest.raises(Refused, match="不能在此办理"):
        workflow.perform_within("batch", application, "decide_demonstration", officer)
    with pytest.raises(Refused, match="不能在此办理"):
        workflow.perform_within("publication", application, "submit", officer)
    assert Application.objects.get(pk=application.pk).state == S.FORWARDED


def test_a_refused_action_says_why_and_goes_back(client):
    host = factories.staff()
    application = factories.draft(actor=host)  # an empty draft: the rules refuse its submission
    client.force_login(host)
    with Unchanged():
        response = client.post(
            f"/applications/{application.pk}/submit/", {"reason": ""}, HTTP_REFERER="http://testserver/elsewhere/"
        )
    assert response.status_code == 302
    assert response.url == f"/applications/{application.pk}/edit/#checks"
    page = client.get(response.url)
    assert "还有未通过的规则检查" in text(page)


def test_a_refusal_for_a_script_is_a_409_with_the_reason(client):
    host = factories.staff()
    application = factories.draft(actor=host)
    client.force_login(host)
    response = client.post(f"/applications/{application.pk}/submit/", {"reason": ""}, HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/plain")
    assert text(response).startswith("还有未通过的规则检查")


# --- errors a user can read ----------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
def test_error_pages_are_chinese_in_development_and_production(client, settings, debug):
    settings.DEBUG = debug
    host = factories.staff()
    client.force_login(host)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "页面不存在" in text(missing)
    other = factories.draft()  # another institution's application
    hidden = client.get(f"/applications/{other.pk}/")
    assert hidden.status_code == 404
    assert "页面不存在" in text(hidden)
    forbidden = client.get("/selection/")
    assert forbidden.status_code == 403
    assert "只有省人社厅经办人可以进行遴选。" in text(forbidden)


@pytest.mark.parametrize("debug", [True, False])
def test_opening_an_actions_address_gets_a_chinese_405_with_a_way_back(client, settings, debug):
    """Django's require_POST answers a GET with an empty 405; Chromium then shows its own English page."""
    settings.DEBUG = debug
    host = factories.staff()
    application = factories.draft(actor=host)
    client.force_login(host)
    with Unchanged():
        response = client.get(
            f"/applications/{application.pk}/submit/",
            HTTP_ACCEPT="text/html",
            HTTP_REFERER=f"http://testserver/applications/{application.pk}/",
        )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")
    page = text(response)
    assert "<h1>不能直接打开此地址</h1>" in page
    assert "请回到原页面，点击相应按钮办理。" in page
    assert f'<a href="http://testserver/applications/{application.pk}/" data-testid="error-back">返回上一页</a>' in page
    typed = text(client.get(f"/applications/{application.pk}/submit/", HTTP_ACCEPT="text/html"))  # no Referer
    assert f'<a href="/applications/{application.pk}/" data-testid="error-back">返回上一页</a>' in typed
    script = client.get(f"/applications/{application.pk}/submit/", HTTP_ACCEPT="application/json")
    assert (script.status_code, script["Content-Type"]) == (405, "text/plain; charset=utf-8")
    assert text(script).startswith("此地址用于提交办理事项")


def test_an_expired_form_gets_a_chinese_403():
    client = Client(enforce_csrf_checks=True)
    host = factories.staff()
    client.force_login(host)
    with Unchanged():
        response = client.post("/applications/new/", {"call": "1", "tier": "provincial"})
    assert response.status_code == 403
    assert "页面已过期" in text(response)


def test_the_public_link_of_a_programme_not_open_says_so(client, settings):
    settings.DEBUG = True
    programme = planned()  # arrangements not confirmed, enrolment not open
    response = client.get(f"/p/programmes/{programme.pk}/")
    assert response.status_code == 200
    assert "本项目目前不接受报名。" in text(response)
    with Unchanged():
        posted = client.post(f"/p/programmes/{programme.pk}/", {"name": "张三"})
    assert posted.status_code == 409


# --- malformed input: a Chinese 400, nothing changed -------------------------------------------


def test_a_malformed_call_creates_nothing(client):
    host = factories.staff()
    factories.call_2026()
    client.force_login(host)
    with Unchanged():
        response = client.post("/applications/new/", {"call": "abc", "tier": "provincial"})
    assert response.status_code == 400
    assert "年度通知不正确" in text(response)
    reviewer = factories.reviewer(factories.authority())
    client.force_login(reviewer)
    with Unchanged():
        response = client.post("/batches/new/", {"call": "abc", "tier": "provincial"})
    assert response.status_code == 400


def test_malformed_batch_members_and_scans(client):
    host = factories.staff()
    application = factories.complete(actor=host)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    from yanxiu.batches.domain import operations

    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    client.force_login(reviewer)
    with Unchanged():
        response = client.post(f"/batches/{batch.pk}/members/", {"application": [str(application.pk), "²"]})
    assert response.status_code == 400
    operations.set_members(batch, [application], actor=reviewer)
    with Unchanged():
        response = client.post(
            f"/batches/{batch.pk}/scans/",
            {"application": "abc", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.4\n")},
        )
    assert response.status_code == 400


def test_malformed_trainee_and_attendance_ids(client, clock):
    programme = planned()
    trainees = add_trainees(programme, 2)
    host = host_of(programme)
    client.force_login(host)
    with Unchanged():
        response = client.post(
            f"/delivery/{programme.pk}/trainees/", {"trainee": [str(trainees[0].pk), "abc"], "decision": "approve"}
        )
    assert response.status_code == 400
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-01T18:00:00+08:00")
    with Unchanged():
        response = client.post(
            f"/delivery/{programme.pk}/attendance/",
            {"date": "2026-09-01", "half_day": "am", "present": [str(trainees[0].pk), "abc"]},
        )
    assert response.status_code == 400


def _xlsx_with(doctype):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("学员名册")
    sheet.write_row(0, 0, roster.COLUMNS)
    sheet.write_row(1, 0, ["&xxe;"])
    workbook.close()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"?>", b"?>" + doctype, 1)
            target.writestr(info, data)
    return out.getvalue()


def test_a_roster_with_a_doctype_entity_is_refused(client):
    programme = planned()
    client.force_login(host_of(programme))
    data = _xlsx_with(b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    with Unchanged():
        response = client.post(
            f"/delivery/{programme.pk}/roster/import/", {"file": SimpleUploadedFile("r.xlsx", data)}, follow=True
        )
    assert response.status_code == 200
    assert "DOCTYPE/ENTITY" in text(response)
    assert not Trainee.objects.exists()


def test_an_imported_roster_is_audited():
    from yanxiu.audit.models import AuditEntry

    programme = planned()
    host = host_of(programme)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, roster.COLUMNS)
    from tests.delivery.helpers import id_number

    sheet.write_row(
        1,
        0,
        ["张三", id_number(7), "男", "某单位", "工程师", "中级", "电子", "13900000007", "福建省", "是", "公有制单位"],
    )
    workbook.close()
    report = roster.import_roster(programme, buffer.getvalue(), host)
    assert (report.ok, report.imported) == (True, 1)
    entry = AuditEntry.objects.for_object(programme).get(action="import_roster")
    assert (entry.actor_id, entry.data) == (host.pk, {"rows": 1, "imported": 1})


def test_a_missing_media_file_is_a_chinese_404(client):
    host = factories.staff()
    application = factories.draft(actor=host)
    attachment = Attachment(
        application=application, original_name="证明.pdf", extension=".pdf", stored_token="t", size=8, uploaded_by=host
    )
    attachment.file.save("x.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4"), save=True)
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(host)
    response = client.get(f"/applications/{application.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 404
    assert "已不在服务器上" in text(response)


# --- typed input is never lost ------------------------------------------------------------------


def test_refused_arrangements_come_back_filled(client):
    programme = planned()
    client.force_login(host_of(programme))
    payload = {
        "start_date": programme.start_date.isoformat(),
        "end_date": (programme.start_date + timedelta(days=1)).isoformat(),  # a change of dates needs a reason
        "venue": programme.venue,
        "capacity": "45",
        "schedule": "第一天：报到；第二天：现场教学（我刚打的字）",
        "experts": "李教授",
        "reason": "",
    }
    with Unchanged():
        response = client.post(f"/delivery/{programme.pk}/arrangements/", payload)
    assert response.status_code == 400
    page = text(response)
    assert "须填写变更理由" in page
    assert "第一天：报到；第二天：现场教学（我刚打的字）" in page
    assert 'value="45"' in page


def test_a_refused_enrolment_notice_comes_back_filled(client):
    programme = planned()  # arrangements not confirmed yet: publishing is refused
    client.force_login(host_of(programme))
    payload = {"notice": "欢迎报名参加本研修班（我刚打的字）", "deadline": "2026-08-20", "open": "on"}
    with Unchanged():
        response = client.post(f"/delivery/{programme.pk}/enrolment/", payload)
    assert response.status_code == 400
    page = text(response)
    assert "请先确认开班安排" in page
    assert "欢迎报名参加本研修班（我刚打的字）" in page


# --- background jobs whose worker died ------------------------------------------------------------


def test_a_job_whose_worker_died_fails_with_a_reason(client, clock):
    from datetime import datetime

    programme = planned()
    host = host_of(programme)
    started = datetime.fromisoformat("2026-01-10T10:00:00+08:00")
    job = CertificateJob.objects.create(programme=programme, requested_by=host, created_at=started, state="running")
    client.force_login(host)
    clock("2026-01-10T10:20:00+08:00")
    fresh = client.get(f"/delivery/{programme.pk}/certificates/jobs/{job.pk}/")
    assert fresh.status_code == 200
    assert CertificateJob.objects.get(pk=job.pk).state == "running"
    clock("2026-01-10T10:31:00+08:00")
    stale = client.get(f"/delivery/{programme.pk}/certificates/jobs/{job.pk}/")
    assert CertificateJob.objects.get(pk=job.pk).state == "failed"
    assert "处理进程可能已中断" in text(stale)
    assert jobs.expire_stale(CertificateJob) == 0
