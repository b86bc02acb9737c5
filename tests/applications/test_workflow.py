"""State changes: who may act, when, and what each leaves behind."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests import factories
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.domain.checks import CheckReport
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    host = factories.staff()
    reviewer = factories.reviewer(host.institution.authority)
    application = factories.complete("provincial", actor=host)
    return host, reviewer, application


def last_entry(application):
    return AuditEntry.objects.for_object(application).last()


def test_submit_locks_logs_and_notifies_the_authority(setup, django_capture_on_commit_callbacks):
    host, reviewer, application = setup
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(application, "submit", host)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert not application.is_editable
    assert application.submitted_at is not None
    entry = last_entry(application)
    assert (entry.action, entry.actor, entry.from_state, entry.to_state) == ("submit", host, S.DRAFT, S.SUBMITTED)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "提交主管部门" in mail.outbox[0].subject
    assert Message.objects.filter(recipient=reviewer, subject=mail.outbox[0].subject).count() == 1


def test_a_rolled_back_change_sends_no_mail(setup, django_capture_on_commit_callbacks):
    from django.db import transaction

    host, _, application = setup
    mail.outbox.clear()

    def submit_then_fail():
        with transaction.atomic():
            workflow.perform(application, "submit", host)
            raise RuntimeError("later step failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        submit_then_fail()
    assert mail.outbox == []
    assert Application.objects.get(pk=application.pk).state == S.DRAFT


def test_submit_is_refused_while_a_check_fails(setup):
    host, _, application = setup
    application.planned_trainees = 29
    application.save()
    with pytest.raises(Refused, match="不少于30人"):
        workflow.perform(application, "submit", host)
    assert Application.objects.get(pk=application.pk).state == S.DRAFT
    assert last_entry(application).action == "create"


def test_submit_after_the_deadline_is_refused_unless_extended(setup, clock):
    host, _, application = setup
    clock("2026-02-21T08:00:00+08:00")
    with pytest.raises(Refused, match="已于2026年2月20日截止"):
        workflow.perform(application, "submit", host)
    from datetime import datetime

    from django.utils import timezone

    from yanxiu.organisations.models import DeadlineExtension

    DeadlineExtension.objects.create(
        call=application.call,
        tier="provincial",
        institution=host.institution,
        until=timezone.make_aware(datetime(2026, 2, 22, 18)),
        reason="材料补正",
    )
    workflow.perform(application, "submit", host)
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_withdraw_until_the_authority_acts(setup):
    host, reviewer, application = setup
    workflow.perform(application, "submit", host)
    workflow.perform(application, "withdraw", host)
    assert Application.objects.get(pk=application.pk).state == S.DRAFT
    workflow.perform(application, "submit", host)
    workflow.perform(application, "approve", reviewer, reason="同意推荐")
    with pytest.raises(Refused, match="不能撤回"):
        workflow.perform(application, "withdraw", host)


def test_return_needs_a_comment_and_the_institution_can_fix_and_resubmit(setup, django_capture_on_commit_callbacks):
    host, reviewer, application = setup
    workflow.perform(application, "submit", host)
    with pytest.raises(Refused, match="退回意见"):
        workflow.perform(application, "return", reviewer, reason="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(application, "return", reviewer, reason="请补充专家信息")
    application.refresh_from_db()
    assert application.state == S.RETURNED
    assert application.is_editable
    assert last_entry(application).reason == "请补充专家信息"
    assert mail.outbox[0].to == [host.email]
    assert "请补充专家信息" in mail.outbox[0].body
    editing.save_draft(
        application,
        fields={"title": "修改后的项目名称"},
        sessions=list(
            application.sessions.values("date", "half_day", "topic", "speaker", "format", "mode", "class_hours")
        ),
        lecturers=list(application.lecturers.values("name", "title", "position", "affiliation", "topic")),
        claims={c.area: c.explanation for c in application.topic_claims.all()},
        actor=host,
        expected_version=application.version,
    )
    workflow.perform(application, "submit", host)
    application.refresh_from_db()
    assert (application.state, application.title) == (S.SUBMITTED, "修改后的项目名称")
    actions = list(AuditEntry.objects.for_object(application).values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "submit"]


def test_only_the_host_may_submit_and_only_its_authority_may_review(setup):
    host, reviewer, application = setup
    stranger = factories.staff()
    other_city = factories.reviewer(factories.authority("350200-RS"))
    with pytest.raises(Refused, match="只有承办单位经办人"):
        workflow.perform(application, "submit", stranger)
    with pytest.raises(Refused, match="只有承办单位经办人"):
        workflow.perform(application, "submit", reviewer)
    workflow.perform(application, "submit", host)
    with pytest.raises(Refused, match="只有该单位的主管部门"):
        workflow.perform(application, "return", other_city, reason="越权")
    with pytest.raises(Refused, match="只有该单位的主管部门"):
        workflow.perform(application, "approve", host, reason="自己批准")
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_an_action_on_a_stale_copy_is_refused(setup):
    host, reviewer, application = setup
    workflow.perform(application, "submit", host)
    stale = Application.objects.get(pk=application.pk)
    workflow.perform(application, "approve", reviewer, reason="同意")
    with pytest.raises(Refused, match="不能退回"):
        workflow.perform(stale, "return", reviewer, reason="晚了一步")
    assert Application.objects.get(pk=application.pk).state == S.AUTHORITY_APPROVED


def test_a_save_from_an_older_version_is_refused_and_changes_nothing(setup):
    host, _, application = setup
    first_window = Application.objects.get(pk=application.pk)
    second_window = Application.objects.get(pk=application.pk)
    keep = {"sessions": [], "lecturers": [], "claims": {}, "actor": host}
    editing.save_draft(first_window, fields={"title": "窗口一的标题"}, expected_version=first_window.version, **keep)
    with pytest.raises(editing.EditConflict, match="已被他人"):
        editing.save_draft(
            second_window, fields={"title": "窗口二的标题"}, expected_version=second_window.version, **keep
        )
    assert Application.objects.get(pk=application.pk).title == "窗口一的标题"


def test_a_submitted_application_cannot_be_saved(setup):
    host, _, application = setup
    workflow.perform(application, "submit", host)
    with pytest.raises(Refused, match="不能修改"):
        editing.save_draft(
            application,
            fields={"title": "偷偷修改"},
            sessions=[],
            lecturers=[],
            claims={},
            actor=host,
            expected_version=application.version,
        )
    assert Application.objects.get(pk=application.pk).title == "人工智能赋能制造业高级研修班"


def test_a_failing_save_leaves_everything_as_it_was(setup):
    host, _, application = setup
    before = (application.version, application.sessions.count(), application.title)
    with pytest.raises(ValidationError) as refused:
        editing.save_draft(
            application,
            fields={"title": "新标题", "host_mobile": "12345"},
            sessions=[],
            lecturers=[],
            claims={},
            actor=host,
            expected_version=application.version,
        )
    assert refused.value.message_dict == {"host_mobile": ["手机号码格式不正确，应为以1开头的11位数字。"]}
    fresh = Application.objects.get(pk=application.pk)
    assert (fresh.version, fresh.sessions.count(), fresh.title) == before


def test_a_warning_reason_is_recorded_with_what_it_was_and_became(setup):
    host, _, application = setup
    code = "declaration.no_trainee_fees"
    editing.set_warning_reason(application, code=code, reason="收取资料费50元", actor=host)
    editing.set_warning_reason(application, code=code, reason="收取资料费50元", actor=host)  # unchanged: no entry
    editing.set_warning_reason(application, code=code, reason="", actor=host)
    entries = AuditEntry.objects.for_object(application).filter(action="warning_reason").order_by("id")
    assert [(e.actor, e.data["changes"]) for e in entries] == [
        (host, [{"field": code, "before": "", "after": "收取资料费50元"}]),
        (host, [{"field": code, "before": "收取资料费50元", "after": ""}]),
    ]


def test_the_submission_keeps_what_its_rules_report_said(setup):
    host, _, application = setup
    application.declares_no_trainee_fees = False
    application.save()
    editing.set_warning_reason(application, code="declaration.no_trainee_fees", reason="收取资料费50元", actor=host)
    expected = [
        dict(r.as_dict(), reason=str(report.reasons.get(r.code, "")))
        for report in [CheckReport.for_application(application)]
        for r in report.warnings
    ]
    workflow.perform(application, "submit", host)
    fresh = Application.objects.get(pk=application.pk)
    assert fresh.check_summary == expected
    assert ("declaration.no_trainee_fees", "收取资料费50元") in [(w["code"], w["reason"]) for w in fresh.check_summary]
    assert "_checked" not in vars(application)  # nothing carried on the instance from guard to effect


def test_warning_reasons_unlock_submission(setup):
    host, _, application = setup
    application.declares_no_trainee_fees = False
    application.save()
    with pytest.raises(Refused, match="说明理由"):
        workflow.perform(application, "submit", host)
    editing.set_warning_reason(
        application, code="declaration.no_trainee_fees", reason="收取资料费50元，已报批", actor=host
    )
    workflow.perform(application, "submit", host)
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED
