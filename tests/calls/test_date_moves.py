"""Moving an open call's dates is confirmed, says who is affected, and tells them (issue 20, decision 0016)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories
from yanxiu.applications.domain import workflow
from yanxiu.audit.models import AuditEntry
from yanxiu.calls.models import Call
from yanxiu.notifications.models import Message

from .test_office_pages import _post_data

pytestmark = pytest.mark.django_db

SUBJECT = "【研修申报】2026年度申报通知日期变更"


@pytest.fixture
def office(client):
    officer = factories.province_officer()
    client.force_login(officer)
    return officer


@pytest.fixture
def world():
    """Two institutions with provincial drafts (one authority), one with a submitted provincial
    application (another authority), one with a national draft only."""
    call = factories.call_2026()
    drafts = [factories.draft("provincial"), factories.draft("provincial")]
    submitted = factories.complete("provincial", factories.staff(factories.institution("350200-RS")))
    workflow.perform(submitted, "submit", submitted.created_by)
    reviewer = factories.reviewer(submitted.institution.authority)
    national = factories.draft("national", factories.staff(factories.institution("350300-RS")))
    return call, drafts, submitted, reviewer, national


def _data(call, **changes):
    unchanged = {
        "completion_date": call.completion_date.isoformat(),
        "document_date": call.document_date.isoformat() if call.document_date else "",
        "previous_year_for_completion": str(call.previous_year_for_completion or ""),
        "contact_persons": call.contact_persons,
    }
    return _post_data(call, **{**unchanged, **changes})


def test_moving_an_open_calls_deadline_into_the_past_asks_first_and_says_who_is_affected(
    client, office, world, django_capture_on_commit_callbacks
):
    call, drafts, submitted, reviewer, _national = world
    assert call.is_open
    url = reverse("calls:edit", args=[call.pk])
    data = _data(call, **{"provincial-deadline": "2026-01-05"})

    asked = client.post(url, data)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "将修改：省级申报截止日期由2026年2月20日改为2026年1月5日（已过，保存后立即生效）。" in page
    assert "涉及3个有草稿或已提交申报的承办单位、1个有待审核或待报送申报的主管部门" in page
    assert "省级申报截止日期改为2026年1月5日，早于今天：保存后即已截止" in page
    # the same payload once confirmed would save: without the confirmation nothing moved, nobody told
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").deadline == date(2026, 2, 20)
    assert not Message.objects.filter(subject=SUBJECT).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").deadline == date(2026, 1, 5)
    told = set(Message.objects.filter(subject=SUBJECT).values_list("recipient_id", flat=True))
    assert told == {d.created_by_id for d in drafts} | {submitted.created_by_id, reviewer.pk}
    body = Message.objects.filter(subject=SUBJECT).first().body
    assert "省级申报截止日期由2026年2月20日改为2026年1月5日" in body
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(
        [d.created_by.email for d in drafts] + [submitted.created_by.email, reviewer.email]
    )
    entry = AuditEntry.objects.filter(action="update_call").latest("pk")
    assert {"field": "provincial.deadline", "before": "2026-02-20", "after": "2026-01-05"} in entry.data["changes"]
    assert entry.data["notified"] == 4


def test_the_completion_date_touches_every_live_application(client, office, world):
    call, _drafts, _submitted, _reviewer, national = world
    data = _data(call, completion_date="2026-10-31")
    page = client.post(reverse("calls:edit", args=[call.pk]), data).content.decode()
    assert "办班完成截止日期由2026年11月30日改为2026年10月31日。" in page
    assert "涉及4个有草稿或已提交申报的承办单位、3个有待审核或待报送申报的主管部门" in page
    client.post(reverse("calls:edit", args=[call.pk]), {**data, "confirmed": "1"})
    assert national.created_by_id in set(Message.objects.filter(subject=SUBJECT).values_list("recipient_id", flat=True))


def test_other_changes_of_an_open_call_save_at_once_and_tell_nobody(client, office, world):
    call, *_ = world
    response = client.post(reverse("calls:edit", args=[call.pk]), _data(call, contact_persons="新联系人"))
    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).contact_persons == "新联系人"
    assert not Message.objects.filter(subject=SUBJECT).exists()


def test_a_closed_calls_dates_move_without_asking(client, office, world):
    call, *_ = world
    Call.objects.filter(pk=call.pk).update(is_open=False)
    call = Call.objects.get(pk=call.pk)
    response = client.post(reverse("calls:edit", args=[call.pk]), _data(call, **{"provincial-deadline": "2026-01-05"}))
    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).tier_rule("provincial").deadline == date(2026, 1, 5)
    assert not Message.objects.filter(subject=SUBJECT).exists()
