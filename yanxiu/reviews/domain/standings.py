"""Standings: each application's summary and rank in a round, stored, not recomputed per request.

Each review's exact total is stored when it is submitted (`Review.total_exact`,
a fraction "p/q"). `refresh_standings(round, applications)` recomputes the
summary of those applications from the stored totals (the maths of scoring.py,
exact) and re-ranks the round's tiers; the rank is stored, so list pages read
one indexed row per application. It is called, inside their transaction, by the
operations that change what a standing depends on:

    reviews       operations.submit_review (submit or revise)
    conflicts     operations.declare_conflict
    assignments   assignment.assign, unassign, auto_assign
    criteria      rounds.set_criteria; rounds.update_round (threshold)
    tier          an application's tier changes (the ministry's rejection:
                  refresh_for_applications from the applications workflow)

Nothing else writes standings (no signals). `fresh_ranking()` is the previous,
from-the-scores computation; tests compare the two after every kind of change.

Normalised totals (scoring.normalise) depend on every review of the round (the
round's mean and spread, each expert's own mean and spread), so each refresh
recomputes them for the whole round from the stored totals, writes the reviews
whose normalised total changed (`Review.normalised`) and refreshes the standings
of every application whose normalised mean may have moved.

Ranking: by the round's basis (`ReviewRound.ranking_basis`, chosen by the
office): raw — trimmed mean, then mean (exact); normalised — the exact mean of
the stored normalised totals, then the raw keys. Best first, equal keys share a
rank (1, 2, 2, 4); ties are listed in application order. Applications of the
round without a submitted review are listed after the ranked ones, unranked.
"""

from fractions import Fraction

from django.db import transaction

from yanxiu.core.bulk import insert_rows

from ..enums import AssignmentState, RankingBasis
from ..models import Assignment, Review, ReviewRound, Score, Standing
from . import scoring
from .results import SUMMARY_FIELDS, round_application_ids

__all__ = [
    "exact_text",
    "fresh_ranking",
    "ranking_key",
    "recompute_totals",
    "refresh_for_applications",
    "refresh_standings",
    "stored_total",
]


def exact_text(value):
    """An exact value as "p/q" (the form Fraction() reads back)."""
    value = scoring.exact(value)
    return f"{value.numerator}/{value.denominator}"


def stored_total(values, criteria):
    """(two-place Decimal, exact text) of a review's total, for Review.total / total_exact."""
    weighting = [scoring.Weighting(c.pk, c.weight, c.max_score) for c in criteria]
    total = scoring.exact_total(values, weighting)
    return scoring.to_decimal(total), exact_text(total)


def recompute_totals(review_round):
    """Store every review's total of the round from its scores (data loaded in bulk, migrations)."""
    criteria = list(review_round.criteria.all())
    scores = {}
    for review_id, criterion_id, value in Score.objects.filter(review__assignment__round=review_round).values_list(
        "review_id", "criterion_id", "value"
    ):
        scores.setdefault(review_id, {})[criterion_id] = value
    reviews = list(Review.objects.filter(pk__in=scores).only("pk"))
    for review in reviews:
        review.total, review.total_exact = stored_total(scores[review.pk], criteria)
    Review.objects.bulk_update(reviews, ["total", "total_exact"], batch_size=1000)


def _normalise_round(review_round):
    """Recompute every normalised total of the round from the stored totals; write the changed ones.
    Returns ({review id: normalised}, {application ids whose reviews' normalised totals changed})."""
    rows = list(
        Review.objects.filter(assignment__round=review_round)
        .exclude(assignment__state=AssignmentState.CONFLICT)
        .exclude(total_exact="")
        .values_list("pk", "assignment__application_id", "assignment__expert_id", "total_exact", "normalised")
        .order_by("pk")
    )
    found = scoring.normalise((pk, expert, Fraction(total)) for pk, _app, expert, total, _old in rows)
    changed = [(pk, app) for pk, app, _expert, _total, old in rows if old != found[pk]]
    Review.objects.bulk_update(
        [Review(pk=pk, normalised=found[pk]) for pk, _app in changed], ["normalised"], batch_size=1000
    )
    return found, {app for _pk, app in changed}


def _summaries(review_round, application_ids, normalised):
    """{application id: (tier, Summary, conflicts)} for the given applications (None: every one assigned)."""
    assignments = Assignment.objects.filter(round=review_round)
    if application_ids is not None:
        assignments = assignments.filter(application_id__in=application_ids)
    totals, conflicts, tiers, scaled = {}, {}, {}, {}
    for application_id, tier, state, review_id, total in assignments.values_list(
        "application_id", "application__tier", "state", "review__pk", "review__total_exact"
    ).order_by("pk"):
        tiers[application_id] = tier
        totals.setdefault(application_id, [])
        scaled.setdefault(application_id, [])
        conflicts.setdefault(application_id, 0)
        if state == AssignmentState.CONFLICT:
            conflicts[application_id] += 1
        elif total:
            totals[application_id].append(Fraction(total))
            scaled[application_id].append(normalised[review_id])
    threshold = review_round.disagreement_threshold
    return {
        pk: (tiers[pk], scoring.summarise(values, threshold, scaled[pk]), conflicts[pk])
        for pk, values in totals.items()
    }


# The stored summary's fields are the ones the results read (results.SUMMARY_FIELDS).
STANDING_COLUMNS = ("application_id", "tier", "conflicts", *SUMMARY_FIELDS)


def refresh_standings(review_round, applications=None):
    """Recompute the standings of `applications` (ids or instances; None: all) and re-rank the round.

    Call it inside the transaction that made the change. The round row is locked,
    so concurrent changes to one round re-rank one after another.
    """
    with transaction.atomic():
        review_round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
        ids = None if applications is None else {getattr(a, "pk", a) for a in applications}
        normalised, moved = _normalise_round(review_round)
        if ids is not None:
            ids = sorted(ids | moved)
        summaries = _summaries(review_round, ids, normalised)
        stale = Standing.objects.filter(round=review_round)
        if ids is not None:
            stale = stale.filter(application_id__in=ids)
        stale.delete()
        insert_rows(  # a whole round's standings at once after an automatic assignment (core.bulk)
            Standing,
            STANDING_COLUMNS,
            [
                (
                    pk,
                    tier,
                    conflicts,
                    summary.count,
                    summary.mean,
                    summary.trimmed_mean,
                    summary.spread,
                    summary.lowest,
                    summary.highest,
                    summary.disagreement,
                    summary.median,
                    summary.sd,
                    summary.normalised_mean,
                    exact_text(summary.sort_key[1]) if summary.count else "",
                    exact_text(summary.sort_key[0]) if summary.count else "",
                    exact_text(summary.normalised_key) if summary.count else "",
                )
                for pk, (tier, summary, conflicts) in summaries.items()
            ],
            round_id=review_round.pk,
        )
        _rerank(review_round)
    return review_round


def ranking_key(row, basis):
    """A stored standing's ranking key (exact), best = largest, for the round's basis."""
    raw = (Fraction(row.trimmed_exact), Fraction(row.mean_exact))
    if basis == RankingBasis.NORMALISED:
        return (Fraction(row.normalised_exact), *raw)
    return raw


def _rerank(review_round):
    """Competition ranks per tier from the exact keys of the round's basis; only changed rows are written."""
    rows = list(
        Standing.objects.filter(round=review_round).only(
            "pk", "application_id", "tier", "submitted", "rank", "mean_exact", "trimmed_exact", "normalised_exact"
        )
    )
    basis = review_round.ranking_basis
    changed = []
    for tier in {row.tier for row in rows}:
        scored = sorted(
            (row for row in rows if row.tier == tier and row.submitted and tier in review_round.tiers),
            key=lambda row: (tuple(-k for k in ranking_key(row, basis)), row.application_id),
        )
        keys = [ranking_key(row, basis) for row in scored]
        ranks = dict(zip((row.pk for row in scored), scoring.competition_ranks(keys), strict=True))
        for row in rows:
            if row.tier == tier and row.rank != ranks.get(row.pk):
                row.rank = ranks.get(row.pk)
                changed.append(row)
    Standing.objects.bulk_update(changed, ["rank"], batch_size=1000)


def refresh_for_applications(applications):
    """Refresh the standings of these applications in every round that holds them (e.g. a tier change)."""
    ids = sorted({getattr(a, "pk", a) for a in applications})
    rounds = ReviewRound.objects.filter(assignments__application_id__in=ids).distinct().order_by("pk")
    for review_round in rounds:
        refresh_standings(review_round, ids)


# --- the previous computation, from the scores: the reference the tests compare with -----------------


def fresh_ranking(review_round):
    """{tier: [(application id, rank, Summary, submitted)]}, computed from every score, as before standings."""
    criteria = list(review_round.criteria.all())
    weighting = [scoring.Weighting(c.pk, c.weight, c.max_score) for c in criteria]
    tiers = dict(round_application_ids(review_round).values_list("pk", "tier"))
    scores, experts = {}, {}
    for application_id, review_id, expert_id, criterion_id, value in (
        Score.objects.filter(review__assignment__round=review_round)
        .exclude(review__assignment__state=AssignmentState.CONFLICT)
        .values_list(
            "review__assignment__application_id", "review_id", "review__assignment__expert_id", "criterion_id", "value"
        )
        .order_by()
    ):
        scores.setdefault(application_id, {}).setdefault(review_id, {})[criterion_id] = value
        experts[review_id] = expert_id
    review_totals = {
        review_id: scoring.exact_total(values, weighting)
        for reviews in scores.values()
        for review_id, values in reviews.items()
    }
    normalised = scoring.normalise((pk, experts[pk], total) for pk, total in review_totals.items())
    basis = review_round.ranking_basis
    by_tier = {tier: [] for tier in review_round.tiers}
    for application_id, tier in tiers.items():
        reviews = list(scores.get(application_id, {}))
        totals = [review_totals[pk] for pk in reviews]
        summary = scoring.summarise(totals, review_round.disagreement_threshold, [normalised[pk] for pk in reviews])
        if tier in by_tier:
            by_tier[tier].append([application_id, None, summary])
    for tier, items in by_tier.items():
        scored = sorted((i for i in items if i[2].count), key=lambda i: (i[2].ranking_key(basis), -i[0]), reverse=True)
        unscored = sorted((i for i in items if not i[2].count), key=lambda i: i[0])
        keys = [i[2].ranking_key(basis) for i in scored]
        for item, rank in zip(scored, scoring.competition_ranks(keys), strict=True):
            item[1] = rank
        by_tier[tier] = [(pk, rank, summary, summary.count) for pk, rank, summary in scored + unscored]
    return by_tier
