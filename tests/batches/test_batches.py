"""Authority batches: quota, stamped scans, deadline, and the province returning a batch."""

import re
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.batches.models import Batch, BatchState
from yanxiu.core.refusal import Refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%stamped\n"


def approved(authority_code="350100-RS", tier="provincial"):
    host = factories.staff(factories.institution(authority_code))
    application = factories.complete(tier, actor=host)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意推荐")
    return Application.objects.select_related("institution").get(pk=application.pk), reviewer


def scan(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF)


def ready_batch(count=1, tier="provincial"):
    apps, reviewer = [], None
    for _ in range(count):
        application, reviewer = approved(tier=tier)
        apps.append(application)
    batch = operations.create_batch(call=factories.call_2026(), tier=tier, actor=reviewer)
    operations.set_members(batch, apps, actor=reviewer)
    operations.upload_scan(batch, application=None, uploaded=scan(), ext=".pdf", actor=reviewer)
    if tier == "provincial":
        for application in apps:
            application.refresh_from_db()
            operations.upload_scan(batch, application=application, uploaded=scan(), ext=".pdf", actor=reviewer)
    return batch, apps, reviewer


def test_submitting_a_batch_forwards_its_applications_to_the_province():
    batch, _apps, reviewer = ready_batch(2)
    officer = factories.province_officer()
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    batch.refresh_from_db()
    assert batch.state == BatchState.SUBMITTED
    assert batch.submitted_at is not None
    assert set(Application.objects.filter(batch=batch).values_list("state", flat=True)) == {S.FORWARDED}
    assert officer.messages.filter(subject__contains="报送省人社厅").exists()


def test_the_opinion_fills_the_provincial_forms_opinion_row():
    from yanxiu.applications.interfaces.form_context import official_form

    application, _ = approved()
    form = official_form(application)
    assert (form.opinion, form.opinion_date) == ("同意推荐", "2026年1月10日")


def test_a_batch_needs_the_stamped_summary_and_each_provincial_form():
    application, reviewer = approved()
    batch = operations.create_batch(call=factories.call_2026(), tier="provincial", actor=reviewer)
    assert BATCH_WORKFLOW.why_not(batch, "submit", reviewer) == "批次中还没有项目。"
    operations.set_members(batch, [application], actor=reviewer)
    assert "盖章的汇总表（附件3）" in BATCH_WORKFLOW.why_not(batch, "submit", reviewer)
    operations.upload_scan(batch, application=None, uploaded=scan(), ext=".pdf", actor=reviewer)
    application.refresh_from_db()
    assert "盖章申报表（附件2）" in BATCH_WORKFLOW.why_not(batch, "submit", reviewer)
    operations.upload_scan(batch, application=application, uploaded=scan(), ext=".pdf", actor=reviewer)
    assert BATCH_WORKFLOW.why_not(batch, "submit", reviewer) is None


def test_national_batches_need_only_the_summary_scan():
    batch, _, reviewer = ready_batch(1, tier="national")
    assert operations.missing_scans(batch) == []
    assert BATCH_WORKFLOW.why_not(batch, "submit", reviewer) is None


@pytest.mark.parametrize(("quota", "count", "allowed"), [(2, 1, True), (2, 2, True), (2, 3, False)])
def test_an_authority_cannot_send_more_than_the_quota(quota, count, allowed):
    rule = factories.call_2026().tier_rule("provincial")
    rule.authority_quota = quota
    rule.save()
    apps, reviewer = [], None
    for _ in range(count):
        application, reviewer = approved()
        apps.append(application)
    batch = operations.create_batch(call=factories.call_2026(), tier="provincial", actor=reviewer)
    if allowed:
        operations.set_members(batch, apps, actor=reviewer)
        assert batch.applications.count() == count
    else:
        with pytest.raises(Refused, match="超出限报数量：本年度省级项目还可报送2项，已选3项"):
            operations.set_members(batch, apps, actor=reviewer)
        assert batch.applications.count() == 0


def test_the_quota_counts_what_earlier_batches_sent():
    rule = factories.call_2026().tier_rule("provincial")
    rule.authority_quota = 1
    rule.save()
    batch, _, reviewer = ready_batch(1)
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    assert operations.quota_left(batch.call, "provincial", batch.authority) == 0
    second, _ = approved()
    new_batch = operations.create_batch(call=batch.call, tier="provincial", actor=reviewer)
    with pytest.raises(Refused, match="还可报送0项"):
        operations.set_members(new_batch, [second], actor=reviewer)


def test_only_approved_applications_of_the_authority_join_a_batch():
    application, reviewer = approved()
    batch = operations.create_batch(call=factories.call_2026(), tier="provincial", actor=reviewer)
    submitted = factories.complete("provincial", actor=factories.staff(application.institution))
    workflow.perform(submitted, "submit", submitted.created_by)
    with pytest.raises(Refused, match="尚未审核通过"):
        operations.set_members(batch, [submitted], actor=reviewer)
    other_city, _ = approved("350200-RS")
    with pytest.raises(Refused, match="不属于本批次"):
        operations.set_members(batch, [other_city], actor=reviewer)
    national, _ = approved(tier="national")
    with pytest.raises(Refused, match="不属于本批次"):
        operations.set_members(batch, [national], actor=reviewer)


def test_the_batch_deadline_is_the_tiers_unless_the_authority_has_an_extension(clock):
    from datetime import datetime

    from django.utils import timezone

    from yanxiu.organisations.models import DeadlineExtension

    batch, _, reviewer = ready_batch(1)
    clock("2026-02-21T09:00:00+08:00")
    assert "已于2026年2月20日截止" in BATCH_WORKFLOW.why_not(batch, "submit", reviewer)
    DeadlineExtension.objects.create(
        call=batch.call,
        tier="provincial",
        authority=batch.authority,
        until=timezone.make_aware(datetime(2026, 2, 23)),
        reason="延期",
    )
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    assert batch.state == BatchState.SUBMITTED


def test_the_province_returns_a_batch_and_the_authority_sends_it_again():
    batch, apps, reviewer = ready_batch(1)
    officer = factories.province_officer()
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    with pytest.raises(Refused, match="退回理由"):
        BATCH_WORKFLOW.perform(batch, "return", officer)
    with pytest.raises(Refused, match="只有省人社厅"):
        BATCH_WORKFLOW.perform(batch, "return", reviewer, reason="自己退回")
    BATCH_WORKFLOW.perform(batch, "return", officer, reason="汇总表未盖章")
    assert batch.state == BatchState.RETURNED
    assert Application.objects.get(pk=apps[0].pk).state == S.AUTHORITY_APPROVED
    assert reviewer.messages.filter(body__contains="汇总表未盖章").exists()
    operations.upload_scan(batch, application=None, uploaded=scan("again.pdf"), ext=".pdf", actor=reviewer)
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    assert Application.objects.get(pk=apps[0].pk).state == S.FORWARDED
    assert batch.scans.filter(application__isnull=True).get().original_name == "again.pdf"


def test_forwarding_is_only_done_through_a_batch():
    application, reviewer = approved()
    with pytest.raises(Refused, match="只能随主管部门的报送批次办理"):
        workflow.perform(application, "forward", reviewer)
    assert "forward" not in [t.action for t in workflow.available_actions(application, reviewer)]


def test_ranking_orders_the_pool():
    first, reviewer = approved()
    second, _ = approved()
    reviewer2 = factories.reviewer(first.institution.authority)
    operations.save_ranking(call=first.call, tier="provincial", actor=reviewer2, ordered_ids=[second.pk, first.pk])
    assert [a.pk for a in operations.approved_pool(first.call, "provincial", first.institution.authority)] == [
        second.pk,
        first.pk,
    ]
    with pytest.raises(Refused, match="全部已审核通过"):
        operations.save_ranking(call=first.call, tier="provincial", actor=reviewer, ordered_ids=[first.pk])


# --- pages -----------------------------------------------------------------------------


def test_batch_pages_are_scoped(client):
    batch, _, reviewer = ready_batch(1)
    client.force_login(reviewer)
    assert client.get(reverse("batches:detail", args=[batch.pk])).status_code == 200
    other = factories.reviewer(factories.authority("350200-RS"))
    client.force_login(other)
    assert client.get(reverse("batches:detail", args=[batch.pk])).status_code == 404
    assert client.post(reverse("batches:act", args=[batch.pk, "submit"])).status_code == 404
    batch.refresh_from_db()
    assert (batch.state, batch.submitted_at) == (BatchState.DRAFT, None)
    officer = factories.province_officer()
    client.force_login(officer)
    assert client.get(reverse("batches:detail", args=[batch.pk])).status_code == 404  # drafts stay with the authority
    client.force_login(factories.staff())
    assert client.get(reverse("batches:list")).status_code == 403


def test_the_authority_builds_and_submits_a_batch_through_its_pages(client):
    application, reviewer = approved()
    client.force_login(reviewer)
    client.post(reverse("batches:create"), {"call": application.call_id, "tier": "provincial"})
    batch = reviewer.authority.batches.get()
    client.post(reverse("batches:members", args=[batch.pk]), {"application": [application.pk]})
    client.post(reverse("batches:upload", args=[batch.pk]), {"file": scan("汇总表.pdf")})
    client.post(reverse("batches:upload", args=[batch.pk]), {"file": scan("申报表.pdf"), "application": application.pk})
    response = client.post(
        reverse("batches:upload", args=[batch.pk]), {"file": SimpleUploadedFile("x.docx", b"PK")}, follow=True
    )
    assert [str(m) for m in response.context["messages"]][
        -1
    ] == "不支持的文件类型“.docx”。可上传：JPEG 图片、PDF、PNG 图片。"
    asked = client.post(reverse("batches:act", args=[batch.pk, "submit"])).content.decode()
    assert "将把本批次的1项省级申报报送省人社厅。" in asked
    assert Batch.objects.get(pk=batch.pk).state == BatchState.DRAFT  # nothing happens before the confirmation
    client.post(reverse("batches:act", args=[batch.pk, "submit"]), {"confirmed": "1"})
    batch.refresh_from_db()
    assert batch.state == BatchState.SUBMITTED
    assert Application.objects.get(pk=application.pk).state == S.FORWARDED


def test_a_resubmitted_application_shows_what_changed_since_the_return(client):
    from yanxiu.applications.domain import editing

    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "submit", host)
    workflow.perform(application, "return", reviewer, reason="请增加学员")
    application.refresh_from_db()
    editing.save_draft(
        application,
        fields={"planned_trainees": 45},
        sessions=list(
            application.sessions.values("date", "half_day", "topic", "speaker", "format", "mode", "class_hours")
        ),
        lecturers=list(application.lecturers.values("name", "title", "position", "affiliation", "topic")),
        claims={c.area: c.explanation for c in application.topic_claims.all()},
        actor=host,
        expected_version=application.version,
    )
    workflow.perform(application, "submit", host)
    client.force_login(reviewer)
    page = client.get(reverse("applications:detail", args=[application.pk]))
    assert page.context["changes"] == [("计划招收学员人数", "40", "45")]


def test_the_batch_summary_lists_its_applications_in_rank_order(client):
    import io

    from openpyxl import load_workbook

    batch, apps, reviewer = ready_batch(2)
    Application.objects.filter(pk=apps[0].pk).update(authority_rank=2)
    Application.objects.filter(pk=apps[1].pk).update(authority_rank=1)
    client.force_login(reviewer)
    response = client.get(reverse("documents:batch_summary_file", args=[batch.pk, "xlsx"]))
    rows = [
        [c for c in row if c not in (None, "")]
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    hosts = [row[2] for row in rows if row and isinstance(row[0], (int, str)) and str(row[0]).isdigit()]
    assert hosts == [apps[1].institution.name, apps[0].institution.name]
    # Named by the batch's own number (per authority, call and tier), never the database id.
    Batch.objects.create(
        call=batch.call, authority=factories.authority("350200-RS"), tier=batch.tier, created_by=reviewer
    )
    later = Batch.objects.create(
        call=batch.call, authority=batch.authority, tier=batch.tier, created_by=reviewer, state=BatchState.SUBMITTED
    )
    assert later.number == 2
    assert later.pk >= 3
    response = client.get(reverse("documents:batch_summary_file", args=[later.pk, "xlsx"]))
    assert quote(f"{batch.call.year}年{later.get_tier_display()}第2批.xlsx") in response["Content-Disposition"]
    client.force_login(factories.reviewer(factories.authority("350200-RS")))
    assert client.get(reverse("documents:batch_summary_file", args=[batch.pk, "docx"])).status_code == 404


def test_the_submit_confirmation_names_each_members_place_and_says_which_are_unranked(client):
    batch, apps, reviewer = ready_batch(2)
    Application.objects.filter(pk=apps[1].pk).update(authority_rank=1)
    Application.objects.filter(pk=apps[0].pk).update(authority_rank=None)
    client.force_login(reviewer)
    asked = client.post(reverse("batches:act", args=[batch.pk, "submit"])).content.decode()
    lines = re.findall(r"<li>([^<]*)</li>", asked)
    assert lines[:2] == [
        f"第1名 {apps[1].title}（{apps[1].institution.name}）",
        f"未排序 {apps[0].title}（{apps[0].institution.name}）",
    ]
    assert "—." not in asked
    assert "有1项尚未排序。如需体现推荐顺序，请返回后在“排序”页面排好顺序再报送。" in asked
    Application.objects.filter(pk=apps[0].pk).update(authority_rank=2)
    ranked = client.post(reverse("batches:act", args=[batch.pk, "submit"])).content.decode()
    assert 'data-testid="confirm-warning"' not in ranked


def test_the_batch_history_dates_carry_the_year(client):
    batch, _apps, reviewer = ready_batch(1)
    client.force_login(reviewer)
    page = client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    history = page.split("操作记录")[1]
    when = timezone.localtime(AuditEntry.objects.for_object(batch).earliest("created_at").created_at)
    assert f"<li>{when.year}年{when.month}月{when.day}日 {when:%H:%M} " in history
