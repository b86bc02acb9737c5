"""Assignment: conflict rules, manual assignment, automatic balanced assignment."""

from collections import Counter

import pytest

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.notifications.models import Message
from yanxiu.reviews.domain import assignment as assigning
from yanxiu.reviews.enums import AssignmentState
from yanxiu.reviews.models import Assignment, BackupExpert, ExpertProfile

pytestmark = pytest.mark.django_db


# --- conflict predicates ----------------------------------------------------------------------


def test_same_institution_conflict():
    application = rf.forwarded()
    profile = ExpertProfile.objects.get(user=rf.expert(institution=application.institution))
    assert [r.code for r in assigning.conflicts(profile, application)] == ["same_institution", "same_authority"]


def test_same_authority_conflict_by_expert_authority():
    application = rf.forwarded(authority_code="350100-RS")
    profile = ExpertProfile.objects.get(user=rf.expert(authority=application.institution.authority))
    assert [r.code for r in assigning.conflicts(profile, application)] == ["same_authority"]


def test_same_authority_conflict_through_the_experts_institution():
    application = rf.forwarded(authority_code="350100-RS")
    colleague_institution = f.institution("350100-RS")
    profile = ExpertProfile.objects.get(user=rf.expert(institution=colleague_institution))
    assert [r.code for r in assigning.conflicts(profile, application)] == ["same_authority"]


def test_no_conflict_for_another_authority():
    application = rf.forwarded(authority_code="350100-RS")
    profile = ExpertProfile.objects.get(user=rf.expert(institution=f.institution("350200-RS")))
    assert assigning.conflicts(profile, application) == []


def test_declared_conflict_counts_in_every_round():
    application = rf.forwarded()
    expert = rf.expert()
    first = rf.review_round()
    task = rf.assign(first, application, expert)
    from yanxiu.reviews.domain.operations import declare_conflict

    declare_conflict(task, expert, reason="曾与承办单位合作开展项目。")
    second = rf.review_round(officer=first.created_by, name="补充评审")
    with pytest.raises(Refused) as refused:
        rf.assign(second, application, expert)
    assert str(refused.value) == f"{expert}已对该申报申明回避。"


# --- manual -------------------------------------------------------------------------------------


def test_manual_assign_writes_audit_and_notifies_the_expert():
    application, expert = rf.forwarded(), rf.expert()
    review_round = rf.review_round()
    task = rf.assign(review_round, application, expert)
    assert (task.state, task.is_automatic, task.assigned_by) == (
        AssignmentState.ASSIGNED,
        False,
        review_round.created_by,
    )
    entry = AuditEntry.objects.for_object(task).get()
    assert (entry.action, entry.actor) == ("assign", review_round.created_by)
    message = Message.objects.get(recipient=expert)
    assert message.subject == "【专家评审】您有1项新的评审任务"
    assert message.link == "/reviews/mine/"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("same_institution", "{expert}与该申报的承办单位为同一单位，应当回避。"),
        ("same_authority", "{expert}与该申报的承办单位属同一主管部门，应当回避。"),
    ],
)
def test_manual_assign_refuses_conflicts(case, expected):
    application = rf.forwarded()
    if case == "same_institution":
        expert = rf.expert(institution=application.institution)
    else:
        expert = rf.expert(authority=application.institution.authority)
    with pytest.raises(Refused) as refused:
        rf.assign(rf.review_round(), application, expert)
    assert str(refused.value) == expected.format(expert=expert)
    assert Assignment.objects.count() == 0


def test_manual_assign_refusals():
    review_round = rf.review_round(reviews_per_application=1)
    application, expert, other = rf.forwarded(), rf.expert(), rf.expert()
    rf.assign(review_round, application, expert)
    with pytest.raises(Refused) as refused:
        rf.assign(review_round, application, expert)
    assert str(refused.value) == f"{expert}已在评审该申报。"
    with pytest.raises(Refused) as refused:
        rf.assign(review_round, application, other)
    assert str(refused.value) == (
        "该申报已有1位评审专家，达到本轮每项申报的评审人数；如需增加，请先修改本轮的“每项申报评审专家人数”。"
    )
    not_expert = f.staff()
    with pytest.raises(Refused) as refused:
        rf.assign(review_round, rf.forwarded(), not_expert)
    assert str(refused.value) == f"{not_expert}不是可用的评审专家（须为启用的专家账号并已填写专家信息）。"
    with pytest.raises(Refused) as refused:
        assigning.assign(review_round, rf.forwarded(), other, actor=other)
    assert str(refused.value) == "只有省人社厅经办人可以管理专家评审。"


def test_only_applications_sent_to_the_province_for_the_rounds_tier_enter():
    review_round = rf.review_round(scope="national")
    expert = rf.expert()
    draft = f.complete("national")
    approved_not_sent, _ = rf.approved("national", authority_code="350200-RS")
    provincial = rf.forwarded("provincial")
    for application in (draft, approved_not_sent, provincial):
        with pytest.raises(Refused) as refused:
            rf.assign(review_round, application, expert)
        assert (
            str(refused.value) == "该申报不在本轮评审范围内（须为本轮年度和级别、且已由主管部门报送省人社厅的申报）。"
        )
    assert rf.assign(review_round, rf.forwarded("national"), expert).state == AssignmentState.ASSIGNED


def test_assignment_refused_after_the_deadline(clock):
    review_round = rf.review_round()
    application, expert = rf.forwarded(), rf.expert()
    clock("2026-04-01T00:00:00+08:00")
    with pytest.raises(Refused) as refused:
        rf.assign(review_round, application, expert)
    assert str(refused.value) == "本轮评审已于2026年3月31日24时截止，请先延长评审截止日期。"


def test_unassign_only_open_tasks():
    review_round = rf.review_round()
    application = rf.forwarded()
    open_task = rf.assign(review_round, application, rf.expert())
    done_task = rf.assign(review_round, application, rf.expert())
    rf.submit(done_task)
    assigning.unassign(open_task, actor=review_round.created_by)
    assert not Assignment.objects.filter(pk=open_task.pk).exists()
    entry = AuditEntry.objects.for_object(review_round).get(action="unassign")
    assert entry.data == {"application": application.pk, "expert": open_task.expert_id, "assignment": open_task.pk}
    assert Message.objects.filter(recipient=open_task.expert).first().subject == "【专家评审】一项评审任务已取消"
    done_task.refresh_from_db()
    with pytest.raises(Refused) as refused:
        assigning.unassign(done_task, actor=review_round.created_by)
    assert str(refused.value) == "该专家已提交评审意见，不能移除。"


# --- automatic ----------------------------------------------------------------------------------------


def test_auto_assign_balances_load_and_gives_each_application_n_experts():
    review_round = rf.review_round(reviews_per_application=2)
    applications = [rf.forwarded(authority_code="350100-RS") for _ in range(6)]
    experts = [rf.expert(institution=f.institution("350200-RS")) for _ in range(4)]
    result = assigning.auto_assign(review_round, actor=review_round.created_by)
    assert len(result.created) == 12
    # No maximum given: an even share (3) plus a fifth, at least one more; the report says so.
    assert result.max_load == 4
    assert result.message.startswith("已最优分配12项评审任务（未填写任务上限：按平均任务量3项加两成，每位专家最多4项）")
    per_application = Counter(Assignment.objects.values_list("application_id", flat=True))
    assert per_application == {a.pk: 2 for a in applications}
    per_expert = Counter(Assignment.objects.values_list("expert_id", flat=True))
    assert per_expert == {e.pk: 3 for e in experts}
    assert set(Assignment.objects.values_list("is_automatic", flat=True)) == {True}
    # One message per expert, with their count.
    assert [m.subject for m in Message.objects.filter(recipient=experts[0])] == ["【专家评审】您有3项新的评审任务"]


def test_auto_assign_never_breaks_conflict_rules():
    review_round = rf.review_round(reviews_per_application=2)
    fuzhou = rf.forwarded(authority_code="350100-RS")
    xiamen = rf.forwarded(authority_code="350200-RS")
    fuzhou_expert = rf.expert(institution=f.institution("350100-RS"))
    xiamen_expert = rf.expert(authority=xiamen.institution.authority)
    neutral = rf.expert(institution=f.institution("350500-RS"))
    result = assigning.auto_assign(review_round, actor=review_round.created_by)
    pairs = set(Assignment.objects.values_list("application_id", "expert_id"))
    assert pairs == {
        (fuzhou.pk, xiamen_expert.pk),
        (fuzhou.pk, neutral.pk),
        (xiamen.pk, fuzhou_expert.pk),
        (xiamen.pk, neutral.pk),
    }
    assert len(result.created) == 4


def test_auto_assign_refuses_whole_with_the_reasons_when_experts_are_too_few():
    review_round = rf.review_round(reviews_per_application=3)
    application = rf.forwarded(authority_code="350100-RS")
    rf.expert()
    rf.expert(authority=application.institution.authority)  # must not review it
    with pytest.raises(Refused) as refused:
        assigning.auto_assign(review_round, actor=review_round.created_by)
    assert str(refused.value).startswith("无法完成分配，未作任何改动：")
    assert f"“{application.title}”只有1位可分配的专家，少于所需的3位" in str(refused.value)
    assert not Assignment.objects.exists()


def test_a_conflict_declaration_calls_the_first_backup():
    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded(authority_code="350100-RS")
    knows = rf.expert(domains=[application.domain])
    backup = rf.expert()
    result = assigning.auto_assign(review_round, actor=review_round.created_by, backups=1)
    assert [(a.application_id, a.expert_id) for a in result.created] == [(application.pk, knows.pk)]
    assert list(BackupExpert.objects.values_list("expert_id", flat=True)) == [backup.pk]
    from yanxiu.reviews.domain.operations import declare_conflict

    declare_conflict(Assignment.objects.get(expert=knows), knows, reason="系该单位项目顾问。")
    states = dict(Assignment.objects.values_list("expert_id", "state"))
    assert states == {knows.pk: "conflict", backup.pk: "assigned"}
    assert not BackupExpert.objects.exists()


def test_re_running_fills_up_from_new_experts_only():
    review_round = rf.review_round(reviews_per_application=2)
    application = rf.forwarded(authority_code="350100-RS")
    first, second = rf.expert(), rf.expert()
    assigning.auto_assign(review_round, actor=review_round.created_by)
    from yanxiu.reviews.domain.operations import declare_conflict

    declare_conflict(Assignment.objects.get(expert=first), first, reason="系该单位项目顾问。")
    third = rf.expert()
    result = assigning.auto_assign(review_round, actor=review_round.created_by)
    assert [a.expert_id for a in result.created] == [third.pk]
    states = dict(Assignment.objects.filter(application=application).values_list("expert_id", "state"))
    assert states == {first.pk: "conflict", second.pk: "assigned", third.pk: "assigned"}


def test_a_random_draw_is_replayed_by_its_seed_and_recorded():
    review_round = rf.review_round(reviews_per_application=2)
    for _ in range(3):
        rf.forwarded(authority_code="350100-RS")
    for _ in range(6):
        rf.expert()
    result = assigning.auto_assign(review_round, actor=review_round.created_by, method="draw", seed="2026-一轮-4471")
    drawn = sorted(Assignment.objects.values_list("application_id", "expert_id"))
    report = assigning.latest_report(review_round)
    assert (report["method"], report["seed"]) == ("draw", "2026-一轮-4471")
    assert sorted(map(tuple, report["created"])) == drawn
    assert "2026-一轮-4471" in result.message
    # Anyone can replay the draw from the recorded seed and get the same experts.
    Assignment.objects.all().delete()
    assigning.auto_assign(review_round, actor=review_round.created_by, method="draw", seed="2026-一轮-4471")
    assert sorted(Assignment.objects.values_list("application_id", "expert_id")) == drawn


def test_a_draw_without_a_seed_is_refused():
    review_round = rf.review_round(reviews_per_application=1)
    rf.forwarded()
    rf.expert()
    with pytest.raises(Refused, match="随机抽取须填写抽取种子"):
        assigning.auto_assign(review_round, actor=review_round.created_by, method="draw", seed=" ")
    assert not Assignment.objects.exists()


def test_loads_given_by_the_office_are_kept():
    review_round = rf.review_round(reviews_per_application=1)
    applications = [rf.forwarded() for _ in range(4)]
    experts = [rf.expert(domains=[applications[0].domain]) for _ in range(2)] + [rf.expert()]
    assigning.auto_assign(review_round, actor=review_round.created_by, min_load=1, max_load=2)
    load = Counter(Assignment.objects.values_list("expert_id", flat=True))
    assert sorted(load.values()) == [1, 1, 2]
    assert set(load) == {e.pk for e in experts}


def test_an_expert_lecturing_in_the_programme_is_never_assigned():
    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded()
    lecturer = rf.expert(
        display_name="王教授", domains=[application.domain]
    )  # 王教授 lectures in the factory's schedule
    other = rf.expert()
    assigning.auto_assign(review_round, actor=review_round.created_by)
    assert list(Assignment.objects.values_list("expert_id", flat=True)) == [other.pk]
    assert assigning.why_not_assign(review_round, application, lecturer) == f"{lecturer}是该项目的授课专家，应当回避。"


def test_auto_assign_prefers_domain_experts_at_equal_load():
    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded()
    rf.expert()
    knows = rf.expert(domains=[application.domain])
    assigning.auto_assign(review_round, actor=review_round.created_by)
    assert list(Assignment.objects.values_list("expert_id", flat=True)) == [knows.pk]


def test_auto_assign_is_idempotent_and_skips_inactive_experts():
    review_round = rf.review_round(reviews_per_application=1)
    rf.forwarded()
    inactive = rf.expert(is_active=False)
    active = rf.expert()
    assigning.auto_assign(review_round, actor=review_round.created_by)
    again = assigning.auto_assign(review_round, actor=review_round.created_by)
    assert again.created == []
    assert again.message == "每项申报的评审专家均已足额，无需分配。"
    assert list(Assignment.objects.values_list("expert_id", flat=True)) == [active.pk]
    assert inactive.pk != active.pk
