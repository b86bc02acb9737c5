"""Rounds and their rubric."""

from datetime import date

import pytest

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.reviews.domain import rounds
from yanxiu.reviews.domain.rounds import CriterionRow

pytestmark = pytest.mark.django_db


def test_new_round_has_the_notices_selection_principles_as_rubric():
    review_round = rf.review_round()
    assert [(c.name, c.weight, c.max_score) for c in review_round.criteria.all()] == [
        ("聚焦国家重大战略", 25, 10),
        ("服务高质量发展", 25, 10),
        ("突出重点领域", 20, 10),
        ("兼顾地方特色", 15, 10),
        ("往年组织实施情况", 15, 10),
    ]
    assert sum(c.weight for c in review_round.criteria.all()) == 100
    assert review_round.tiers == ("national", "provincial")
    assert AuditEntry.objects.for_object(review_round).get().action == "create_round"


def test_only_the_province_office_creates_rounds():
    with pytest.raises(Refused) as refused:
        rounds.create_round(call=f.call_2026(), actor=rf.expert(), name="x", scope="both", deadline=date(2026, 3, 31))
    assert str(refused.value) == "只有省人社厅经办人可以管理专家评审。"


def test_set_criteria_checks_weights_and_names():
    review_round = rf.review_round()
    officer = review_round.created_by
    with pytest.raises(Refused) as refused:
        rounds.set_criteria(review_round, [CriterionRow("选题", 60, 10), CriterionRow("师资", 30, 10)], actor=officer)
    assert str(refused.value) == "各评分项权重之和应为100，现为90。"
    with pytest.raises(Refused) as refused:
        rounds.set_criteria(review_round, [CriterionRow("选题", 50, 10), CriterionRow("选题", 50, 10)], actor=officer)
    assert str(refused.value) == "评分项名称不能重复。"
    rounds.set_criteria(
        review_round, [CriterionRow("选题", 60, 20, "看选题"), CriterionRow("师资", 40, 10)], actor=officer
    )
    assert [(c.name, c.weight, c.max_score, c.description) for c in review_round.criteria.all()] == [
        ("选题", 60, 20, "看选题"),
        ("师资", 40, 10, ""),
    ]


def test_rubric_is_frozen_once_a_review_is_in():
    review_round = rf.review_round()
    task = rf.assign(review_round, rf.forwarded(), rf.expert())
    rf.submit(task)
    with pytest.raises(Refused) as refused:
        rounds.set_criteria(review_round, [CriterionRow("选题", 100, 10)], actor=review_round.created_by)
    assert str(refused.value) == "已有专家提交评分，评分标准不能再修改。"


def test_update_round_logs_changes_and_keeps_scope_once_assigned():
    review_round = rf.review_round()
    officer = review_round.created_by
    rounds.update_round(review_round, actor=officer, deadline=date(2026, 4, 15), anonymous=True)
    review_round.refresh_from_db()
    assert (review_round.deadline, review_round.anonymous) == (date(2026, 4, 15), True)
    entry = AuditEntry.objects.for_object(review_round).get(action="update_round")
    assert entry.data == {
        "before": {"deadline": "2026-03-31", "anonymous": "False"},
        "after": {"deadline": "2026-04-15", "anonymous": "True"},
    }
    rf.assign(review_round, rf.forwarded(), rf.expert())
    with pytest.raises(Refused) as refused:
        rounds.update_round(review_round, actor=officer, scope="national")
    assert str(refused.value) == "本轮已分配评审任务，不能再修改评审范围。"
