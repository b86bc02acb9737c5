"""Batches (issue 12, decision 0009): no new batch once sending is over, an empty draft
can be deleted, a refused selection comes back ticked."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from yanxiu.applications.domain import workflow
from yanxiu.audit.models import AuditEntry
from yanxiu.batches.domain import operations
from yanxiu.batches.models import Batch
from yanxiu.core.refusal import Refused
from yanxiu.organisations.models import DeadlineExtension

pytestmark = pytest.mark.django_db

LAST_DAY = "2026-02-20T23:59:00+08:00"  # the 2026 provincial deadline
NEXT_DAY = "2026-02-21T00:01:00+08:00"


def _reviewer():
    return factories.reviewer(factories.authority("350100-RS"))


def test_a_batch_can_be_started_on_the_last_day_not_after(clock, client):
    reviewer = _reviewer()
    call = factories.call_2026()
    clock(LAST_DAY)
    client.force_login(reviewer)
    assert 'data-testid="new-batch-2026-provincial"' in client.get(reverse("batches:list")).content.decode()
    batch = operations.create_batch(call=call, tier="provincial", actor=reviewer)
    batch.delete()
    clock(NEXT_DAY)
    page = client.get(reverse("batches:list")).content.decode()
    assert 'data-testid="new-batch-2026-provincial"' not in page
    assert "2026年省级项目报送已于2026年2月20日截止，不能新建批次。" in page
    with pytest.raises(Refused, match="截止，不能新建批次"):
        operations.create_batch(call=call, tier="provincial", actor=reviewer)
    response = client.post(reverse("batches:create"), {"call": call.pk, "tier": "provincial"}, follow=True)
    assert "不能新建批次" in response.content.decode()
    assert not Batch.objects.exists()


def test_an_institutions_extension_keeps_the_authority_able_to_start_a_batch(clock):
    reviewer = _reviewer()
    call = factories.call_2026()
    institution = factories.institution()
    assert institution.authority_id == reviewer.authority_id
    DeadlineExtension.objects.create(
        call=call,
        tier="provincial",
        institution=institution,
        until=timezone.make_aware(datetime(2026, 3, 5, 23, 59)),
        reason="系统故障",
        granted_by=factories.province_officer(),
    )
    clock("2026-03-05T12:00:00+08:00")
    assert operations.create_batch(call=call, tier="provincial", actor=reviewer)


def test_no_batch_for_a_closed_call(clock):
    reviewer = _reviewer()
    call = factories.call_2026()
    call.is_open = False
    call.save()
    with pytest.raises(Refused, match="未开放"):
        operations.create_batch(call=call, tier="provincial", actor=reviewer)


def test_an_empty_draft_batch_is_deleted_after_confirming_and_audited(client):
    reviewer = _reviewer()
    call = factories.call_2026()
    batch = operations.create_batch(call=call, tier="provincial", actor=reviewer)
    client.force_login(reviewer)
    assert 'data-testid="batch-delete"' in client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    asked = client.post(reverse("batches:delete", args=[batch.pk]))
    assert "确认删除批次" in asked.content.decode()
    assert Batch.objects.filter(pk=batch.pk).exists()
    response = client.post(reverse("batches:delete", args=[batch.pk]), {"confirmed": "1"}, follow=True)
    assert "已删除“" in response.content.decode()
    assert not Batch.objects.filter(pk=batch.pk).exists()
    entry = AuditEntry.objects.get(action="delete_batch")
    assert (entry.object_id, entry.data["batch"], entry.actor) == (reviewer.authority_id, batch.pk, reviewer)
    assert operations.create_batch(call=call, tier="provincial", actor=reviewer).number == 1


def test_a_batch_with_an_application_is_not_deleted(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    operations.set_members(batch, [application], actor=reviewer)
    client.force_login(reviewer)
    assert 'data-testid="batch-delete"' not in client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    response = client.post(reverse("batches:delete", args=[batch.pk]), {"confirmed": "1"}, follow=True)
    assert "请先移出全部项目" in response.content.decode()
    assert Batch.objects.filter(pk=batch.pk).exists()
    other = factories.reviewer(factories.authority("350600-RS"))
    with pytest.raises(Refused, match="只有本主管部门"):
        operations.delete_empty_draft(batch, actor=other)


def test_a_quota_refusal_keeps_the_users_ticks(client):
    host = factories.staff()
    call = factories.call_2026()
    call.tier_rules.filter(tier="provincial").update(authority_quota=1)
    reviewer = factories.reviewer(host.institution.authority)
    chosen = []
    for n in range(2):
        application = factories.complete("provincial", actor=host, start=date(2026, 9, 1) + timedelta(n))
        workflow.perform(application, "submit", host)
        workflow.perform(application, "approve", reviewer, reason="同意")
        chosen.append(application)
    batch = operations.create_batch(call=call, tier="provincial", actor=reviewer)
    client.force_login(reviewer)
    response = client.post(reverse("batches:members", args=[batch.pk]), {"application": [a.pk for a in chosen]})
    page = response.content.decode()
    assert response.status_code == 409
    assert "超出限报数量" in page
    for application in chosen:
        assert f'name="application" value="{application.pk}" checked' in page
    assert not batch.applications.exists()


def test_the_return_reasons_label_is_tied_to_its_field(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yanxiu.batches.domain.operations import BATCH_WORKFLOW

    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    operations.set_members(batch, [application], actor=reviewer)
    application.refresh_from_db()
    for member in (None, application):
        scan = SimpleUploadedFile("s.pdf", b"%PDF-1")
        operations.upload_scan(batch, application=member, uploaded=scan, ext=".pdf", actor=reviewer)
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    client.force_login(factories.province_officer())
    page = client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    assert '<label for="reason-return">退回理由（必填）</label>' in page
    assert 'name="reason" id="reason-return"' in page
