"""Automatic assignment through the database, every path: the conflict rules computed set-wise equal
the named predicates pair by pair; the spread rule counts an application's existing experts; a
backup called after a conflict keeps the maximum load and the spread rule; a reason shown for an
expert left out goes once the expert has a task; and random rounds keep every rule after the
optimum, the draw and the backups, or are refused exactly when brute force finds no assignment."""

import random
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from tests.reviews.test_assignment_rules import solutions
from yanxiu.applications.models import Application
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.reference.models import ProfessionalDomain
from yanxiu.reviews.domain import assignment as assigning
from yanxiu.reviews.domain.operations import declare_conflict
from yanxiu.reviews.enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState
from yanxiu.reviews.models import ApplicantAvoidance, Assignment, BackupExpert, ExpertProfile

pytestmark = pytest.mark.django_db


def active_pairs(review_round):
    return set(
        Assignment.objects.filter(round=review_round, state__in=ACTIVE_ASSIGNMENT_STATES).values_list(
            "application_id", "expert_id"
        )
    )


def spread_authority(expert_id):
    profile = ExpertProfile.objects.select_related("institution").get(user_id=expert_id)
    return profile.authority_id or (profile.institution.authority_id if profile.institution_id else None)


# --- conflicts set-wise --------------------------------------------------------------------------


def test_the_conflict_rules_set_wise_equal_the_predicates_pair_by_pair():
    fuzhou, xiamen = rf.forwarded(authority_code="350100-RS"), rf.forwarded(authority_code="350200-RS")
    experts = [
        rf.expert(institution=fuzhou.institution),  # same institution (and authority)
        rf.expert(authority=xiamen.institution.authority),  # same authority, own
        rf.expert(institution=f.institution("350200-RS")),  # same authority, through the institution
        rf.expert(display_name="王教授"),  # lectures in both factory schedules
        rf.expert(display_name="李华", affiliation="厦门大学"),  # avoided at the applicant's request
        rf.expert(display_name="李华", affiliation="集美大学"),  # same name, another employer: not avoided
        rf.expert(),  # matched by the office's hand
        rf.expert(institution=f.institution("350500-RS")),  # nothing
    ]
    ApplicantAvoidance.objects.create(
        application=xiamen,
        name="李 华",
        employer="厦门大学",
        reason="曾合作。",
        declared_by=f.staff(),
        declared_at=clock.now(),
    )
    ApplicantAvoidance.objects.create(
        application=fuzhou,
        name="张三",
        employer="某单位",
        reason="竞争关系。",
        declared_by=f.staff(),
        declared_at=clock.now(),
        expert=experts[6],
    )
    review_round = rf.review_round()
    declare_conflict(rf.assign(review_round, xiamen, experts[7]), experts[7], reason="系该单位顾问。")
    applications = list(Application.objects.filter(pk__in=[fuzhou.pk, xiamen.pk]).select_related("institution"))
    profiles = list(assigning.available_experts(2026))
    declared = assigning.declared_pairs([a.pk for a in applications])
    set_wise = assigning.conflicting_pairs(profiles, applications, declared)
    for rule in assigning.CONFLICT_RULES:
        pair_by_pair = {(a.pk, p.user_id) for a in applications for p in profiles if rule.applies(p, a, declared)}
        assert set_wise[rule] == pair_by_pair, rule.code
        assert pair_by_pair, f"{rule.code} is exercised"
    assert {code.code: len(pairs) for code, pairs in set_wise.items()} == {
        "same_institution": 1,
        "same_authority": 3,
        "declared_conflict": 1,
        "lectures_in_programme": 2,
        "applicant_avoidance": 2,
    }


# --- the spread rule with existing tasks -----------------------------------------------------------


@pytest.mark.parametrize("method", ["optimal", "draw"])
def test_the_spread_rule_counts_the_experts_already_on_the_application(method):
    review_round = rf.review_round(reviews_per_application=2)
    application = rf.forwarded(authority_code="350100-RS")
    xiamen = f.institution("350200-RS").authority
    held = rf.expert(authority=xiamen)
    rf.assign(review_round, application, held)
    knows = rf.expert(authority=xiamen, domains=[application.domain])  # the best match, but of 350200 too
    other = rf.expert(authority=f.institution("350300-RS").authority)
    assigning.auto_assign(
        review_round, actor=review_round.created_by, method=method, seed="s-1", one_per_authority=True
    )
    assert active_pairs(review_round) == {(application.pk, held.pk), (application.pk, other.pk)}
    assert knows.pk not in set(BackupExpert.objects.values_list("expert_id", flat=True))


# --- backups ----------------------------------------------------------------------------------------


def test_a_backup_at_the_maximum_load_is_not_called():
    review_round = rf.review_round(reviews_per_application=1)
    first = rf.forwarded()
    knows = rf.expert(domains=[first.domain])
    backup = rf.expert()
    assigning.auto_assign(review_round, actor=review_round.created_by, max_load=1, backups=1)
    assert list(BackupExpert.objects.values_list("expert_id", flat=True)) == [backup.pk]
    later = rf.forwarded(authority_code="350200-RS")
    rf.assign(review_round, later, backup)  # by hand: the backup now holds the maximum
    declare_conflict(Assignment.objects.get(expert=knows), knows, reason="系该单位项目顾问。")
    assert active_pairs(review_round) == {(later.pk, backup.pk)}
    assert (
        assigning.why_not_backup(BackupExpert.objects.get(), review_round, assigning.latest_report(review_round))
        == f"{backup}本轮已有1项任务，达到任务上限1项。"
    )


def test_a_backup_of_an_authority_the_application_now_has_is_not_called():
    review_round = rf.review_round(reviews_per_application=2)
    application = rf.forwarded(authority_code="350100-RS")
    authority = {code: f.institution(code).authority for code in ("350200-RS", "350300-RS", "350400-RS")}
    first = rf.expert(authority=authority["350300-RS"], domains=[application.domain])
    second = rf.expert(authority=authority["350400-RS"], domains=[application.domain])
    backup = rf.expert(authority=authority["350200-RS"])
    assigning.auto_assign(review_round, actor=review_round.created_by, one_per_authority=True, backups=1)
    assert active_pairs(review_round) == {(application.pk, first.pk), (application.pk, second.pk)}
    assert list(BackupExpert.objects.values_list("expert_id", flat=True)) == [backup.pk]
    assigning.unassign(Assignment.objects.get(expert=second), actor=review_round.created_by)
    by_hand = rf.expert(authority=authority["350200-RS"])
    rf.assign(review_round, application, by_hand)
    declare_conflict(Assignment.objects.get(expert=first), first, reason="系该单位项目顾问。")
    assert active_pairs(review_round) == {(application.pk, by_hand.pk)}
    assert BackupExpert.objects.get().expert_id == backup.pk


def test_the_reason_for_an_expert_left_out_goes_when_they_are_called_as_a_backup(client):
    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded()
    knows = rf.expert(domains=[application.domain])
    backup = rf.expert()
    assigning.auto_assign(review_round, actor=review_round.created_by, backups=1)
    client.force_login(review_round.created_by)
    url = reverse("reviews:round_assignments", args=[review_round.pk])
    reasons = {p.user_id: why for p, _, why in client.get(url).context["experts"]}
    assert reasons == {knows.pk: "", backup.pk: "熟悉的领域与本轮申报均不相同，匹配度更高的专家优先。"}
    declare_conflict(Assignment.objects.get(expert=knows), knows, reason="系该单位项目顾问。")
    reasons = {p.user_id: (n, why) for p, n, why in client.get(url).context["experts"]}
    assert reasons == {knows.pk: (0, ""), backup.pk: (1, "")}


def test_a_draw_gives_draw_reasons():
    review_round = rf.review_round(reviews_per_application=1)
    rf.forwarded()
    experts = [rf.expert() for _ in range(3)]
    result = assigning.auto_assign(review_round, actor=review_round.created_by, method="draw", seed="2026-7")
    left_out = result.quality["left_out"]
    assert len(left_out) == 2
    assert set(left_out.values()) == {"可评审的1项申报领域均不相符，领域相符的专家优先抽取，本轮未抽中。"}
    assert set(map(int, left_out)) < {e.pk for e in experts}


def test_the_form_says_what_an_empty_maximum_means(client):
    review_round = rf.review_round()
    client.force_login(review_round.created_by)
    page = client.get(reverse("reviews:round_assignments", args=[review_round.pk])).content.decode()
    assert "留空：按平均任务量加两成（向上取整，至少多1项）为上限，任务尽量均衡" in page


# --- random rounds, every path ------------------------------------------------------------------------


CODES = ("350100-RS", "350200-RS", "350300-RS")


def random_round(rng):
    applications = [rf.forwarded(authority_code=rng.choice(CODES)) for _ in range(rng.randint(2, 3))]
    domains = list(ProfessionalDomain.objects.order_by("pk")[:3])
    for application in applications:
        Application.objects.filter(pk=application.pk).update(domain=rng.choice(domains))
    institutions = {code: f.institution(code) for code in CODES}
    for _ in range(rng.randint(4, 5)):
        where = rng.choice(["institution", "authority", None])
        code = rng.choice(CODES)
        rf.expert(
            institution=institutions[code] if where == "institution" else None,
            authority=institutions[code].authority if where == "authority" else None,
            domains=rng.sample(domains, rng.randint(0, 2)),
        )
    review_round = rf.review_round(reviews_per_application=rng.randint(1, 2))
    options = {
        "min_load": rng.randint(0, 1),
        "max_load": rng.choice([None, 2, 3]),
        "one_per_authority": rng.random() < 0.5,
    }
    return review_round, applications, options


def assert_every_rule(review_round, options, max_load, *, declared_by=()):
    """Loads within [min, max] (the experts who declared a conflict may fall below the minimum: their
    own choice), no conflict rule broken, at most one expert per authority, every place filled."""
    pairs = active_pairs(review_round)
    load = Counter(e for _, e in pairs)
    for profile in assigning.available_experts(2026):
        assert load[profile.user_id] <= max_load
        if profile.user_id not in declared_by:
            assert load[profile.user_id] >= options["min_load"]
        for application_id, expert_id in pairs:
            if expert_id == profile.user_id:
                application = Application.objects.select_related("institution").get(pk=application_id)
                declared = assigning.declared_pairs([application_id])
                assert assigning.conflicts(profile, application, declared) == []
    per_application = defaultdict(list)
    for application_id, expert_id in pairs:
        per_application[application_id].append(spread_authority(expert_id))
    if options["one_per_authority"]:
        for authorities in per_application.values():
            named = [a for a in authorities if a is not None]
            assert len(named) == len(set(named))
    return per_application


@pytest.mark.parametrize("seed", range(6))
def test_random_rounds_keep_every_rule_after_the_optimum_the_draw_and_the_backups(seed):
    rng = random.Random(seed)
    review_round, applications, options = random_round(rng)
    officer = review_round.created_by
    for method in ("draw", "optimal"):
        Assignment.objects.filter(round=review_round).delete()
        problem, _ = assigning.build_problem(
            review_round, min_load=options["min_load"], one_per_authority=options["one_per_authority"]
        )
        problem.max_load = options["max_load"] or len(applications)  # an unlimited maximum, for brute force
        exists = bool(next(solutions(problem), None))
        if not exists:
            with pytest.raises(Refused) as refused:
                assigning.auto_assign(review_round, actor=officer, method=method, seed=f"r{seed}", **options)
            assert refused.value.code == "assignment.infeasible"
            continue
        result = assigning.auto_assign(review_round, actor=officer, method=method, seed=f"r{seed}", **options)
        per_application = assert_every_rule(review_round, options, result.max_load)
        assert {a.pk: len(per_application[a.pk]) for a in applications} == {
            a.pk: review_round.reviews_per_application for a in applications
        }
        # Conflicts declared on two tasks: the backups called keep the rules; a gap stays only when no
        # backup may take it.
        tasks = list(Assignment.objects.filter(round=review_round).select_related("expert").order_by("pk"))
        declared = []
        for task in rng.sample(tasks, min(2, len(tasks))):
            declare_conflict(task, task.expert, reason="系该单位顾问。")
            declared.append(task.expert_id)
        per_application = assert_every_rule(review_round, options, result.max_load, declared_by=declared)
        for application in applications:
            missing = review_round.reviews_per_application - len(per_application[application.pk])
            if missing:
                rules = assigning.latest_report(review_round)
                assert all(
                    assigning.why_not_backup(b, review_round, rules)
                    for b in BackupExpert.objects.filter(round=review_round, application=application)
                )
        assert Assignment.objects.filter(round=review_round, state=AssignmentState.CONFLICT).count() == len(declared)
