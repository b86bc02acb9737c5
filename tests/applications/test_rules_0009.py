"""Rules decided in docs/decisions/0009 (issue 12), each at its boundary."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.domain.checks import Severity, run_checks
from yanxiu.applications.domain.timing import too_close
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.core.refusal import Refused
from yanxiu.notifications.models import Message
from yanxiu.selection.domain import decisions, extensions
from yanxiu.selection.models import Outcome

pytestmark = pytest.mark.django_db


def found(application):
    return {r.code: r for r in run_checks(application)}


def local(y, m, d, hh=23, mm=59):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


# --- a programme must start after the day it is submitted -------------------------------


@pytest.mark.parametrize(
    ("start", "refused"), [(date(2026, 1, 9), True), (date(2026, 1, 10), True), (date(2026, 1, 11), False)]
)
def test_a_programme_must_start_after_the_day_it_is_submitted(start, refused):
    # The tests' clock is 2026-01-10.
    application = factories.complete("provincial", start=start)
    result = found(application).get("dates.start_passed")
    assert (result is not None) == refused
    if refused:
        assert result.severity == Severity.ERROR
        assert result.field == "start_date"
        with pytest.raises(Refused, match=r"研修项目须在提交申报之后开班，请修改办班时间。$"):
            workflow.perform(application, "submit", application.created_by)


def test_a_submitted_application_is_not_told_its_start_has_passed(clock):
    application = factories.complete("provincial", start=date(2026, 2, 1))
    workflow.perform(application, "submit", application.created_by)
    clock("2026-03-01T10:00:00+08:00")
    application.refresh_from_db()
    assert "dates.start_passed" not in found(application)


@pytest.mark.parametrize(("days_ahead", "flagged"), [(0, True), (29, True), (30, False)])
def test_reviewers_see_when_a_programme_would_start_too_soon(days_ahead, flagged):
    application = factories.complete("provincial", start=date(2026, 1, 11))
    workflow.perform(application, "submit", application.created_by)
    Application.objects.filter(pk=application.pk).update(start_date=date(2026, 1, 10) + timedelta(days=days_ahead))
    application.refresh_from_db()
    assert bool(too_close(application)) == flagged
    if days_ahead == 29:
        assert (
            too_close(application)
            == "距开班日期2026年2月8日仅剩29天（本通知要求至少留出30天），遴选、招生和准备时间紧张。"
        )


def test_the_lead_time_is_the_calls_data():
    application = factories.complete("provincial", start=date(2026, 1, 25))
    workflow.perform(application, "submit", application.created_by)
    assert too_close(application)
    application.call.tier_rules.filter(tier="provincial").update(min_lead_days=10)
    application = Application.objects.get(pk=application.pk)
    assert too_close(application) == ""


def test_the_authority_sees_the_too_close_flag_on_the_application(client):
    application = factories.complete("provincial", start=date(2026, 1, 20))
    workflow.perform(application, "submit", application.created_by)
    client.force_login(factories.reviewer(application.institution.authority))
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-testid="too-close"' in page
    inbox = client.get(reverse("applications:inbox")).content.decode()
    assert 'data-flag="too_close"' in inbox


# --- topic scope keywords --------------------------------------------------------------


def test_an_explanation_that_names_nothing_of_its_area_is_warned_with_the_notices_clause():
    application = factories.complete("provincial", title="家常菜烹饪技艺高级研修班")
    strategy = application.call.topic_areas.get(code="strategy")
    application.topic_claims.all().delete()
    application.topic_claims.create(area=strategy, explanation="学习川菜湘菜的烹饪技巧，提高厨艺水平。")
    result = found(application)["topic_scope.keywords.strategy"]
    assert result.severity == Severity.WARNING
    assert result.citation == "通知一、研修项目选题范围（服务重大战略）"


@pytest.mark.parametrize(
    "text", ["服务乡村振兴战略，培养基层农业技术骨干人才。", "面向数字中国建设的人才培养与交流活动。"]
)
def test_an_explanation_naming_one_keyword_of_its_area_passes(text):
    application = factories.complete("provincial", title="基层专业技术人才高级研修班")
    strategy = application.call.topic_areas.get(code="strategy")
    application.topic_claims.all().delete()
    application.topic_claims.create(area=strategy, explanation=text)
    assert "topic_scope.keywords.strategy" not in found(application)


def test_warnings_show_their_citation_in_the_panel(client):
    application = factories.complete("provincial", declares_no_trainee_fees=False)
    client.force_login(application.created_by)
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "依据：通知三（二）" in page


# --- the checks panel reflects a refused edit --------------------------------------------


def test_a_refused_edit_is_shown_in_the_checks_panel_and_submit_is_disabled(client):
    application = factories.complete("provincial", start=date(2026, 9, 1))
    assert found(application) == {}
    client.force_login(application.created_by)
    data = {
        "version": application.version,
        "title": application.title,
        "start_date": "2026-09-05",
        "end_date": "2026-09-01",
    }
    response = client.post(reverse("applications:edit", args=[application.pk]), data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-testid="checks-unsaved"' in page
    assert 'data-testid="checks-ok"' not in page
    assert 'data-testid="submit" disabled' in page


def test_a_submitted_application_does_not_say_it_can_be_submitted(client):
    application = factories.complete("provincial")
    workflow.perform(application, "submit", application.created_by)
    client.force_login(application.created_by)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "全部检查通过。" in page
    assert "可以提交" not in page


# --- extensions ---------------------------------------------------------------------------


def _approved_in_batch(host):
    application = factories.complete("provincial", actor=host, start=date(2026, 6, 1))
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    application.refresh_from_db()
    operations.set_members(batch, [application], actor=reviewer)
    for member in (None, application):
        operations.upload_scan(
            batch, application=member, uploaded=SimpleUploadedFile("s.pdf", b"%PDF-1"), ext=".pdf", actor=reviewer
        )
        application.refresh_from_db()
    return batch, reviewer


@pytest.mark.parametrize(
    ("moment", "sent"), [("2026-03-05T23:59:00+08:00", True), ("2026-03-06T00:01:00+08:00", False)]
)
def test_an_institutions_extension_carries_its_application_through_the_authoritys_batch(clock, moment, sent):
    officer = factories.province_officer()
    host = factories.staff()
    extensions.grant(
        call=factories.call_2026(),
        tier="provincial",
        until=local(2026, 3, 5),
        reason="系统故障",
        actor=officer,
        institution=host.institution,
    )
    clock("2026-03-01T10:00:00+08:00")  # past the provincial deadline (2026-02-20)
    batch, reviewer = _approved_in_batch(host)
    clock(moment)
    if sent:
        BATCH_WORKFLOW.perform(batch, "submit", reviewer)
        assert Application.objects.get(batch=batch).state == S.FORWARDED
    else:
        with pytest.raises(Refused, match="2026年3月5日截止"):
            BATCH_WORKFLOW.perform(batch, "submit", reviewer)


def test_a_batch_mixing_an_extended_and_a_late_institution_is_refused(clock):
    officer = factories.province_officer()
    late, extended = factories.staff(), factories.staff()
    extensions.grant(
        call=factories.call_2026(),
        tier="provincial",
        until=local(2026, 3, 5),
        reason="系统故障",
        actor=officer,
        institution=extended.institution,
    )
    batch, reviewer = _approved_in_batch(late)
    other = factories.complete("provincial", actor=extended, start=date(2026, 6, 1))
    workflow.perform(other, "submit", extended)
    workflow.perform(other, "approve", reviewer, reason="同意")
    other.refresh_from_db()
    operations.set_members(batch, [Application.objects.get(batch=batch), other], actor=reviewer)
    other.refresh_from_db()
    operations.upload_scan(
        batch, application=other, uploaded=SimpleUploadedFile("s.pdf", b"%PDF-1"), ext=".pdf", actor=reviewer
    )
    clock("2026-03-01T10:00:00+08:00")
    with pytest.raises(Refused, match="截止"):
        BATCH_WORKFLOW.perform(batch, "submit", reviewer)


def test_an_extension_is_announced_to_the_institution_and_its_authority():
    officer = factories.province_officer()
    host = factories.staff()
    reviewer = factories.reviewer(host.institution.authority)
    bystander = factories.staff()
    extensions.grant(
        call=factories.call_2026(),
        tier="provincial",
        until=local(2026, 3, 5),
        reason="系统故障",
        actor=officer,
        institution=host.institution,
    )
    told = set(Message.objects.values_list("recipient_id", flat=True))
    assert host.pk in told
    assert reviewer.pk in told
    assert bystander.pk not in told
    assert AuditEntry.objects.filter(action="grant_extension").count() == 1


@pytest.mark.parametrize(("until", "allowed"), [(local(2026, 11, 30), True), (local(2026, 12, 1, 0, 1), False)])
def test_an_extension_past_the_completion_date_is_refused(until, allowed):
    officer = factories.province_officer()
    host = factories.staff()
    grant = lambda: extensions.grant(  # noqa: E731
        call=factories.call_2026(),
        tier="provincial",
        until=until,
        reason="系统故障",
        actor=officer,
        institution=host.institution,
    )
    if allowed:
        assert grant().until == until
    else:
        with pytest.raises(Refused, match="不能晚于办班完成截止日期2026年11月30日"):
            grant()


def test_the_extension_page_never_shows_the_raw_constraint_name(client):
    officer = factories.province_officer()
    client.force_login(officer)
    call = factories.call_2026()
    host = factories.staff()
    response = client.post(
        reverse("selection:extensions"),
        {
            "call": call.pk,
            "tier": "provincial",
            "institution": host.institution.pk,
            "authority": host.institution.authority.pk,
            "until": "2026-03-05T12:00",
            "reason": "系统故障",
        },
    )
    page = response.content.decode()
    assert "请在承办单位和主管部门中选择且只选择一个。" in page
    assert "extension_for_institution_xor_authority" not in page


# --- fallback to provincial ----------------------------------------------------------------


def _fallen_back():
    from tests.selection.test_selection import forwarded

    officer = factories.province_officer()
    national = forwarded("national", start=date(2026, 8, 3))
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    national.refresh_from_db()
    decisions.record_ministry_answer(national, selected=False, actor=officer, note="未入选")
    return Application.objects.get(pk=national.pk), officer


def test_a_fallback_reruns_the_provincial_rules_and_tells_host_authority_and_province():
    application, officer = _fallen_back()
    assert (application.tier, application.state) == ("provincial", S.FORWARDED)
    results = found(application)
    assert results["duration.tier"].severity == Severity.WARNING  # 6 days against 4天左右
    entry = AuditEntry.objects.for_object(application).get(action="fallback_checks")
    assert [r["code"] for r in entry.data["results"]] == ["duration.tier"]
    told = Message.objects.filter(subject__endswith="转入省级后的规则检查")
    recipients = {m.recipient_id for m in told}
    assert officer.pk in recipients
    assert set(application.institution.users.values_list("pk", flat=True)) <= recipients
    assert "每期研修时间4天左右" in told.first().body


def test_the_host_adjusts_a_fallen_back_application_without_reapplying():
    application, officer = _fallen_back()
    host = application.institution.users.first()
    editing.adjust_after_fallback(
        application,
        actor=host,
        start_date=date(2026, 8, 3),
        end_date=date(2026, 8, 6),
        planned_trainees=40,
        recruitment_scope="province",
    )
    application = Application.objects.get(pk=application.pk)
    assert (application.days, application.planned_trainees, application.state) == (4, 40, S.FORWARDED)
    assert "duration.tier" not in found(application)
    assert Message.objects.filter(recipient=officer, subject__endswith="转入省级后调整").count() == 1


def test_only_a_fallen_back_application_can_be_adjusted():
    from tests.selection.test_selection import forwarded

    application = forwarded("provincial")
    host = application.institution.users.first()
    with pytest.raises(Refused, match="只有转入省级"):
        editing.adjust_after_fallback(
            application,
            actor=host,
            start_date=date(2026, 8, 3),
            end_date=date(2026, 8, 6),
            planned_trainees=40,
            recruitment_scope="province",
        )


@pytest.mark.parametrize(("start", "allowed"), [(date(2026, 1, 10), False), (date(2026, 1, 11), True)])
def test_an_adjusted_fallback_must_still_start_after_today(start, allowed):
    application, _ = _fallen_back()
    host = application.institution.users.first()
    adjust = lambda: editing.adjust_after_fallback(  # noqa: E731
        application,
        actor=host,
        start_date=start,
        end_date=start + timedelta(days=3),
        planned_trainees=40,
        recruitment_scope="province",
    )
    if allowed:
        adjust()
    else:
        with pytest.raises(Refused, match="开班日期须晚于今天"):
            adjust()
