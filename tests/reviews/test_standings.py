"""Stored standings agree with the computation from every score, after every kind of change."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reviews import factories as rf
from yanxiu.applications.models import Application
from yanxiu.core.refusal import Refused
from yanxiu.reviews.domain import assignment as assigning
from yanxiu.reviews.domain import operations, rounds
from yanxiu.reviews.domain.results import (
    TierRanking,
    call_standings,
    call_standings_by_round,
    page_rows,
    round_ranking,
)
from yanxiu.reviews.domain.standings import fresh_ranking, refresh_standings
from yanxiu.reviews.models import Review, Standing
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome

pytestmark = pytest.mark.django_db


def stored(review_round):
    return {
        tier: [(s.application_id, s.rank, s.summary, s.submitted) for s in items]
        for tier, items in round_ranking(review_round).items()
    }


SHOWN = ("count", "mean", "trimmed_mean", "median", "sd", "spread", "lowest", "highest", "normalised_mean")


def shown(summary):
    """What the ranking page shows of a summary."""
    return (*(getattr(summary, name) for name in SHOWN), summary.disagreement)


def paged(review_round):
    """The ranking page's rows as the page reads them, in pages of 2, as (id, rank, submitted, figures)."""
    found = {}
    for tier, sequence in TierRanking.of_round(review_round).items():
        assert sequence.counts() == TierRanking(review_round, tier).counts()  # counted together or alone
        rows = []
        for start in range(0, sequence.count(), 2):
            rows += page_rows(review_round, sequence[start : start + 2])
        found[tier] = [(r.application.pk, r.rank, r.submitted, shown(r.summary)) for r in rows]
    return found


def pooled(review_round, ids):
    """The selection pool's figures of the round: (rank, submitted, trimmed mean, normalised mean, disagreement)."""
    found = call_standings_by_round(review_round.call, Application.objects.filter(pk__in=ids))
    return {
        pk: (s.rank, s.submitted, s.summary.trimmed_mean, s.summary.normalised_mean, s.summary.disagreement)
        for pk, rounds_ in found.items()
        for r, s in rounds_
        if r.pk == review_round.pk
    }


def assert_agrees(review_round):
    fresh = fresh_ranking(review_round)
    assert stored(review_round) == fresh
    assert paged(review_round) == {
        tier: [(pk, rank, count, shown(summary)) for pk, rank, summary, count in items] for tier, items in fresh.items()
    }
    every = {pk: (rank, summary) for items in fresh.values() for pk, rank, summary, _count in items}
    assert pooled(review_round, list(every)) == {
        pk: (rank, s.count, s.trimmed_mean, s.normalised_mean, s.disagreement) for pk, (rank, s) in every.items()
    }


@pytest.fixture
def world():
    applications = [rf.forwarded("provincial") for _ in range(4)] + [rf.forwarded("national") for _ in range(2)]
    experts = [rf.expert(affiliation=f"外省大学{i}") for i in range(4)]
    return applications, experts


score_tenths = st.integers(min_value=0, max_value=1000)
operation = st.tuples(
    st.sampled_from(["assign", "submit", "conflict", "unassign", "threshold", "basis", "criteria"]),
    st.integers(min_value=0, max_value=5),  # application
    st.integers(min_value=0, max_value=3),  # expert
    st.lists(score_tenths, min_size=4, max_size=4),  # scores, as tenths of the maximum's share
)
rubric = st.lists(
    st.tuples(st.integers(min_value=1, max_value=40), st.sampled_from([5, 7, 10, 20, 100])), min_size=1, max_size=4
)


class Rollback(Exception):
    pass


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rubric=rubric, operations_=st.lists(operation, min_size=1, max_size=14), threshold=st.integers(0, 40))
def test_standings_agree_with_the_scores_on_random_rounds(world, rubric, operations_, threshold):
    applications, experts = world
    try:
        with transaction.atomic():
            review_round = rf.review_round(reviews_per_application=3, disagreement_threshold=threshold)
            officer = review_round.created_by
            weights = [w for w, _ in rubric]
            weights[-1] = 100 - sum(weights[:-1])
            if weights[-1] < 1:
                weights = [100 // len(weights)] * len(weights)
                weights[-1] += 100 - sum(weights)
            rows = [
                rounds.CriterionRow(f"评分项{i}", w, m)
                for i, (w, (_, m)) in enumerate(zip(weights, rubric, strict=True))
            ]
            rounds.set_criteria(review_round, rows, actor=officer)
            assert_agrees(review_round)
            criteria = list(review_round.criteria.all())
            for kind, a, e, tenths in operations_:
                application, expert = applications[a], experts[e]
                task = review_round.assignments.filter(application=application, expert=expert).first()
                try:
                    if kind == "assign":
                        assigning.assign(review_round, application, expert, actor=officer)
                    elif kind == "submit" and task:
                        scores = {
                            c.pk: (Decimal(t % (c.max_score * 10 + 1)) / 10)
                            for c, t in zip(criteria, tenths * 4, strict=False)
                        }
                        operations.submit_review(
                            task, expert, scores=scores, comment="意见。", recommendation="recommend"
                        )
                    elif kind == "conflict" and task:
                        operations.declare_conflict(task, expert, reason="利害关系。")
                    elif kind == "unassign" and task:
                        assigning.unassign(task, actor=officer)
                    elif kind == "criteria":  # another rubric (refused once a review is in)
                        rounds.set_criteria(review_round, list(reversed(rows)), actor=officer)
                        criteria = list(review_round.criteria.all())
                    elif kind == "threshold":
                        review_round.refresh_from_db()
                        rounds.update_round(review_round, actor=officer, disagreement_threshold=Decimal(tenths[0] % 60))
                    elif kind == "basis":  # raw or normalised totals rank the round
                        review_round.refresh_from_db()
                        basis = "normalised" if review_round.ranking_basis == "raw" else "raw"
                        rounds.update_round(review_round, actor=officer, ranking_basis=basis)
                except Refused:
                    pass
                review_round.refresh_from_db()
                assert_agrees(review_round)
            raise Rollback
    except Rollback:
        pass


def test_equal_totals_share_a_rank_and_ties_keep_application_order(world):
    applications, experts = world
    review_round = rf.review_round(reviews_per_application=1)
    for application, value in zip(applications[:4], (8, 9, 8, 7), strict=True):
        rf.submit(rf.assign(review_round, application, experts[0]), values=(value,) * 5)
    assert [(s.application_id, s.rank) for s in round_ranking(review_round)["provincial"]] == [
        (applications[1].pk, 1),
        (applications[0].pk, 2),
        (applications[2].pk, 2),
        (applications[3].pk, 4),
    ]
    assert_agrees(review_round)


def test_a_revised_review_moves_the_application(world):
    applications, experts = world
    review_round = rf.review_round(reviews_per_application=1)
    tasks = [rf.assign(review_round, a, experts[0]) for a in applications[:2]]
    rf.submit(tasks[0], values=(9,) * 5)
    rf.submit(tasks[1], values=(8,) * 5)
    assert [s.application_id for s in round_ranking(review_round)["provincial"]][:2] == [a.pk for a in applications[:2]]
    rf.submit(tasks[1], values=(10,) * 5)  # revised before the deadline
    assert Review.objects.get(assignment=tasks[1]).total_exact == "100/1"
    assert [s.application_id for s in round_ranking(review_round)["provincial"]][:2] == [
        applications[1].pk,
        applications[0].pk,
    ]
    assert_agrees(review_round)


def test_the_ministrys_rejection_moves_the_standing_to_the_provincial_tier(world):
    applications, experts = world
    national = applications[4]
    review_round = rf.review_round(reviews_per_application=1)
    rf.submit(rf.assign(review_round, national, experts[0]), values=(9,) * 5)
    rf.submit(rf.assign(review_round, applications[0], experts[0]), values=(8,) * 5)
    officer = review_round.created_by
    decisions.stage(national, Outcome.NATIONAL_CANDIDATE, actor=officer)
    decisions.publish(national.call, actor=officer, without_publicity="（测试）不经公示")
    assert_agrees(review_round)
    decisions.record_ministry_answer(Application.objects.get(pk=national.pk), selected=False, actor=officer)
    assert Standing.objects.get(round=review_round, application=national).tier == "provincial"
    assert [(s.application_id, s.rank) for s in round_ranking(review_round)["provincial"]][:2] == [
        (national.pk, 1),
        (applications[0].pk, 2),
    ]
    assert_agrees(review_round)


def test_the_pool_shows_the_latest_round_holding_each_application(world):
    applications, experts = world
    first = rf.review_round(reviews_per_application=1, name="第一轮")
    rf.submit(rf.assign(first, applications[0], experts[0]), values=(9,) * 5)
    later = rf.review_round(reviews_per_application=2, name="第二轮", scope="national")
    rf.submit(rf.assign(later, applications[4], experts[1]), values=(7,) * 5)
    found = call_standings(first.call, Application.objects.filter(pk__in=[a.pk for a in applications]))
    assert (found[applications[0].pk].rank, found[applications[0].pk].submitted) == (1, 1)
    assert found[applications[1].pk].submitted == 0  # in the first round, not yet scored
    national = found[applications[4].pk]  # the later, national-only round overrides the first
    assert (national.rank, national.submitted, national.reviews_needed) == (1, 1, 2)
    assert found[applications[5].pk].reviews_needed == 2


def test_refreshing_everything_changes_nothing(world):
    applications, experts = world
    review_round = rf.review_round(reviews_per_application=2)
    for application in applications[:3]:
        for expert, value in zip(experts[:2], (6, 9), strict=True):
            rf.submit(rf.assign(review_round, application, expert), values=(value,) * 5)
    before = list(Standing.objects.filter(round=review_round).values_list("application_id", "rank", "mean"))
    refresh_standings(review_round)
    assert sorted(Standing.objects.filter(round=review_round).values_list("application_id", "rank", "mean")) == sorted(
        before
    )


def test_the_selection_pool_reads_a_page_of_standings_in_constant_queries(client, world):
    applications, experts = world
    review_round = rf.review_round(reviews_per_application=1)
    rf.submit(rf.assign(review_round, applications[0], experts[0]))
    client.force_login(review_round.created_by)
    url = reverse("selection:pool", args=[review_round.call_id])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    one = count()
    for application in applications[1:]:
        rf.submit(rf.assign(review_round, application, experts[1]))
    rf.review_round(reviews_per_application=1, name="第二轮")
    assert count() == one
