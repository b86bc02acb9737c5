"""Submitting reviews and declaring conflicts: who, when, what."""

from datetime import datetime
from decimal import Decimal

import pytest

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.notifications.models import Message
from yanxiu.reviews.domain import operations
from yanxiu.reviews.enums import AssignmentState
from yanxiu.reviews.models import Assignment, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def task():
    review_round = rf.review_round(reviews_per_application=2)
    return rf.assign(review_round, rf.forwarded(), rf.expert())


def test_submit_review_saves_scores_state_and_audit(task):
    review = rf.submit(task, values=(9, 8, 7, 6, 5), recommendation="consider", comment="  内容充实。 ")
    task.refresh_from_db()
    assert task.state == AssignmentState.SUBMITTED
    assert (review.comment, review.recommendation) == ("内容充实。", "consider")
    assert list(review.scores.values_list("criterion__name", "value")) == [
        ("聚焦国家重大战略", Decimal("9.0")),
        ("服务高质量发展", Decimal("8.0")),
        ("突出重点领域", Decimal("7.0")),
        ("兼顾地方特色", Decimal("6.0")),
        ("往年组织实施情况", Decimal("5.0")),
    ]
    entry = AuditEntry.objects.for_object(task).get(action="submit_review")
    assert (entry.from_state, entry.to_state, entry.actor_id) == ("assigned", "submitted", task.expert_id)
    assert entry.data["total"] == "73.00"


def test_revising_replaces_scores_and_is_logged(task, clock):
    rf.submit(task, values=(9, 8, 7, 6, 5))
    clock("2026-03-01T09:00:00+08:00")
    review = rf.submit(
        task, values=(10, 10, 10, 10, Decimal("9.5")), recommendation="recommend", comment="修改后意见。"
    )
    assert Score.objects.filter(review=review).count() == 5
    assert review.revised_at == datetime.fromisoformat("2026-03-01T09:00:00+08:00")
    assert [e.action for e in AuditEntry.objects.for_object(task)] == ["assign", "submit_review", "revise_review"]
    assert AuditEntry.objects.for_object(task).last().data["total"] == "99.25"


def test_deadline_is_the_end_of_the_day(task, clock):
    clock("2026-03-31T23:59:59+08:00")
    rf.submit(task)
    clock("2026-04-01T00:00:00+08:00")
    with pytest.raises(Refused) as refused:
        rf.submit(task, values=(1, 1, 1, 1, 1))
    assert str(refused.value) == "本轮评审已于2026年3月31日24时截止，不能再提交或修改评审意见。"
    assert AuditEntry.objects.for_object(task).last().data["total"] == "80.00"


def test_only_the_assigned_expert_may_submit(task):
    for intruder in (rf.expert(), f.province_officer(), f.staff(task.application.institution)):
        with pytest.raises(Refused) as refused:
            operations.submit_review(
                task, intruder, scores=rf.scores_for(task.round, (8,) * 5), comment="越权。", recommendation="recommend"
            )
        assert str(refused.value) == "您不是该申报的评审专家。"
    assert Assignment.objects.get(pk=task.pk).state != AssignmentState.SUBMITTED


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((11, 8, 8, 8, 8), "“聚焦国家重大战略”的得分应在0至10分之间。"),
        ((8, -1, 8, 8, 8), "“服务高质量发展”的得分应在0至10分之间。"),
        ((8, 8, "8.25", 8, 8), "“突出重点领域”的得分最多保留一位小数。"),
        ((8, 8, 8, "好", 8), "“兼顾地方特色”的得分应为数字。"),
        ((8, 8, 8, 8), "请为“往年组织实施情况”评分。"),
    ],
)
def test_scores_must_fit_the_rubric(task, values, message):
    with pytest.raises(Refused) as refused:
        rf.submit(task, values=values)
    assert str(refused.value) == message
    assert Score.objects.count() == 0


def test_comment_and_recommendation_are_required(task):
    with pytest.raises(Refused) as refused:
        rf.submit(task, comment="  ")
    assert str(refused.value) == "请填写评审意见。"
    with pytest.raises(Refused) as refused:
        rf.submit(task, recommendation="maybe")
    assert str(refused.value) == "请选择推荐意见（推荐 / 可考虑 / 不推荐）。"
    with pytest.raises(Refused) as refused:
        rf.submit(task, comment="意见\x00")
    assert str(refused.value) == "评审意见：含有无法显示的控制字符，请删除后重新填写（可先粘贴到记事本再复制）。"


def test_officers_are_told_when_the_last_review_is_in(task):
    officer = task.round.created_by
    other = rf.assign(task.round, task.application, rf.expert())
    rf.submit(task)
    review_messages = Message.objects.filter(recipient=officer, subject__startswith="【专家评审】")
    assert review_messages.count() == 0
    rf.submit(other)
    assert [m.subject for m in review_messages] == [f"【专家评审】{task.round}：评审意见已全部提交"]


def test_declare_conflict(task):
    officer = task.round.created_by
    operations.declare_conflict(task, task.expert, reason="本人曾在该单位兼职。")
    task.refresh_from_db()
    assert (task.state, task.conflict_reason) == (AssignmentState.CONFLICT, "本人曾在该单位兼职。")
    assert task.conflict_declared_at == datetime.fromisoformat("2026-01-10T10:00:00+08:00")
    entry = AuditEntry.objects.for_object(task).get(action="declare_conflict")
    assert (entry.reason, entry.from_state, entry.to_state) == ("本人曾在该单位兼职。", "assigned", "conflict")
    message = Message.objects.get(recipient=officer, subject__startswith="【专家评审】")
    assert message.subject == f"【专家评审】{task.expert}申明回避"
    with pytest.raises(Refused) as refused:
        rf.submit(task)
    assert str(refused.value) == "您已对该申报申明回避，不能评分。"
    with pytest.raises(Refused) as refused:
        operations.declare_conflict(task, task.expert, reason="再次申明。")
    assert str(refused.value) == "您已对该申报申明回避。"


def test_declare_conflict_refusals(task, clock):
    with pytest.raises(Refused) as refused:
        operations.declare_conflict(task, task.expert, reason="")
    assert str(refused.value) == "请填写回避理由。"
    with pytest.raises(Refused) as refused:
        operations.declare_conflict(task, rf.expert(), reason="不是我的任务。")
    assert str(refused.value) == "您不是该申报的评审专家。"
    rf.submit(task)
    task.refresh_from_db()
    with pytest.raises(Refused) as refused:
        operations.declare_conflict(task, task.expert, reason="提交后才想起。")
    assert str(refused.value) == "您已提交评审意见；如需回避，请联系省人社厅经办人。"
    other = rf.assign(task.round, task.application, rf.expert())
    clock("2026-04-01T08:00:00+08:00")
    with pytest.raises(Refused) as refused:
        operations.declare_conflict(other, other.expert, reason="截止后。")
    assert str(refused.value) == "本轮评审已于2026年3月31日24时截止。"


def test_review_steps_are_in_the_applications_history_without_naming_experts():
    from tests.reviews import factories as rf
    from yanxiu.audit.models import AuditEntry

    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded("provincial")
    expert = rf.expert(affiliation="外省大学", display_name="保密专家")
    rf.submit(rf.assign(review_round, application, expert))
    entries = list(AuditEntry.objects.for_object(application).filter(action__startswith="review_"))
    assert [(e.action_label, e.actor, e.reason) for e in entries] == [
        ("专家评审：分配评审专家", None, review_round.name),
        ("专家评审：收到一份评审意见", None, review_round.name),
    ]
    assert all("保密专家" not in str(e.data) + e.reason for e in entries)
