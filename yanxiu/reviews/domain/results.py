"""A round's results: per application the scores summary, per tier a ranking.

Loads everything in a fixed number of queries, then applies the pure maths
of scoring.py. Ranking key: the round's basis (raw: trimmed mean, then mean;
normalised: the mean of the stored normalised totals, then the raw keys; all
exact), best first; equal keys share a rank. Applications without any submitted review are listed
after the ranked ones, without a rank.
"""

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application, ListedLabels
from yanxiu.calls.enums import Tier

from ..enums import AssignmentState, Recommendation
from ..models import Assignment, ReviewRound
from ..models import Standing as StoredStanding
from . import scoring
from .pool import in_round

# Read once: Recommendation.values builds its list anew on every call (100 rows a page, issue 26).
RECOMMENDATIONS = tuple(Recommendation.values)


@dataclass
class ReviewLine:
    assignment: Assignment
    review: object
    scores: dict  # criterion id -> Decimal
    total: object  # Decimal, two places
    exact_total: object  # Fraction
    normalised: object = None  # Decimal, four places (stored by standings.refresh_standings)

    @property
    def expert(self):
        return self.assignment.expert


@dataclass
class ApplicationResult:
    application: Application
    reviews_needed: int
    lines: list = field(default_factory=list)
    pending: list = field(default_factory=list)  # assignments not yet submitted
    conflicts: list = field(default_factory=list)  # assignments declared as conflicts
    summary: scoring.Summary | None = None
    rank: int | None = None

    @property
    def recommendations(self):
        counts = Counter(line.review.recommendation for line in self.lines)
        return {value: counts.get(value, 0) for value in RECOMMENDATIONS}

    @property
    def submitted(self):
        return len(self.lines)

    @property
    def complete(self):
        return self.submitted >= self.reviews_needed

    def criterion_means(self, criteria):
        """Mean score per criterion over the submitted reviews, two places."""
        if not self.lines:
            return {c.pk: None for c in criteria}
        return {c.pk: scoring.to_decimal(scoring.mean([line.scores[c.pk] for line in self.lines])) for c in criteria}


@dataclass
class RoundResults:
    round: object
    criteria: list
    by_tier: dict  # tier -> [ApplicationResult], ranked

    def tier_items(self):
        labels = dict(Tier.choices)
        return [(tier, labels[tier], self.by_tier[tier]) for tier in self.round.tiers]

    @property
    def all_results(self):
        return [result for tier in self.round.tiers for result in self.by_tier[tier]]


@dataclass
class Standing:
    """An application's place in its tier, computed from plain values (no model instances)."""

    application_id: int
    tier: str
    summary: scoring.Summary
    rank: int | None
    submitted: int
    reviews_needed: int


def round_application_ids(review_round):
    """Every application of the round: those in its pool and those assigned in it. Written as one
    condition on the applications (the pool's, or an assignment in the round exists) rather than two
    id lists, which cost a primary-key look-up per assignment (issue 13)."""
    assigned = Assignment.objects.filter(round=review_round, application=OuterRef("pk"))
    return Application.objects.filter(in_round(review_round) | Exists(assigned))


def _summary(row, exact=True):
    """A scoring.Summary from a stored standing (a Standing or its values()). Without `exact`, a
    summary to show only: the exact ranking keys are neither read nor parsed (a page shows the
    stored rank; it never sorts)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    if not get("submitted"):
        return _empty_summary()
    sort_key, normalised_key = (), None
    if exact:
        sort_key = (Fraction(get("trimmed_exact")), Fraction(get("mean_exact")))
        normalised = get("normalised_exact")
        normalised_key = Fraction(normalised) if normalised else None
    return scoring.Summary(
        count=get("submitted"),
        mean=get("mean"),
        trimmed_mean=get("trimmed_mean"),
        spread=get("spread"),
        lowest=get("lowest"),
        highest=get("highest"),
        disagreement=get("disagreement"),
        sort_key=sort_key,
        median=get("median"),
        sd=get("sd"),
        normalised_mean=get("normalised_mean"),
        normalised_key=normalised_key,
    )


SHOWN_FIELDS = (
    "submitted",
    "mean",
    "trimmed_mean",
    "spread",
    "lowest",
    "highest",
    "disagreement",
    "median",
    "sd",
    "normalised_mean",
)
POOL_FIELDS = ("submitted", "trimmed_mean", "normalised_mean", "disagreement")
SUMMARY_FIELDS = (*SHOWN_FIELDS, "mean_exact", "trimmed_exact", "normalised_exact")


def _empty_summary():
    return scoring.Summary(0, None, None, None, None, None, False, ())


def round_ranking(review_round):
    """{tier: [Standing, best first]}, read from the stored standings (domain/standings.py):
    the ranked applications in rank order, then the round's unscored applications by id."""
    scored = {tier: [] for tier in review_round.tiers}
    for row in (
        StoredStanding.objects.filter(round=review_round, tier__in=review_round.tiers, rank__isnull=False)
        .values("application_id", "tier", "rank", *SUMMARY_FIELDS)
        .order_by("rank", "application_id")
    ):
        scored[row["tier"]].append(
            Standing(
                row["application_id"],
                row["tier"],
                _summary(row),
                row["rank"],
                row["submitted"],
                review_round.reviews_per_application,
            )
        )
    ranked = {standing.application_id for items in scored.values() for standing in items}
    for pk, tier in (
        round_application_ids(review_round).filter(tier__in=review_round.tiers).values_list("pk", "tier").order_by("pk")
    ):
        if pk not in ranked:
            scored[tier].append(Standing(pk, tier, _empty_summary(), None, 0, review_round.reviews_per_application))
    return scored


def call_standings_by_round(call, applications):
    """{application id: [(round, Standing)]} of these applications in every review round of the
    call that holds them, oldest first (a second round never hides the first), for a page of the
    selection pool (`applications`: instances or rows with pk, call_id, state and tier). Reads the
    stored standings of the page only, in two queries, and of each only what the pool shows: the
    summaries hold the count, the trimmed and normalised means and the disagreement flag."""
    applications = list(applications)
    rounds = list(ReviewRound.objects.filter(call=call).order_by("created_at", "pk"))
    stored = {}
    for row in StoredStanding.objects.filter(round__in=rounds, application__in=[a.pk for a in applications]).values(
        "round_id", "application_id", "tier", "rank", *POOL_FIELDS
    ):
        stored[row["round_id"], row["application_id"]] = row
    found = {}
    for review_round in rounds:
        for application in applications:
            row = stored.get((review_round.pk, application.pk))
            if row is not None and row["tier"] in review_round.tiers:
                found.setdefault(application.pk, []).append(
                    (
                        review_round,
                        Standing(
                            application.pk,
                            row["tier"],
                            _summary(row, exact=False),
                            row["rank"],
                            row["submitted"],
                            review_round.reviews_per_application,
                        ),
                    )
                )
            elif (
                application.call_id == review_round.call_id
                and application.state == ApplicationState.FORWARDED
                and application.tier in review_round.tiers
            ):
                found.setdefault(application.pk, []).append(
                    (
                        review_round,
                        Standing(
                            application.pk,
                            application.tier,
                            _empty_summary(),
                            None,
                            0,
                            review_round.reviews_per_application,
                        ),
                    )
                )
    return found


def call_standings(call, applications):
    """{application id: Standing} in the call's latest review round that holds each."""
    return {pk: rounds[-1][1] for pk, rounds in call_standings_by_round(call, applications).items()}


def round_results(review_round, only=None, ranking=None):
    """Every detail of the round's results; `only` (application ids) limits the
    detail to those applications, e.g. one page of the ranking (their ranks then
    come from round_ranking, which sees the whole round)."""
    criteria = list(review_round.criteria.all())
    weighting = [scoring.Weighting(c.pk, c.weight, c.max_score) for c in criteria]
    selected = round_application_ids(review_round)
    if only is not None:
        selected = selected.filter(pk__in=list(only))
    applications = list(selected.select_related("institution", "institution__authority", "domain").order_by("pk"))
    results = {a.pk: ApplicationResult(a, review_round.reviews_per_application) for a in applications}
    assignments = Assignment.objects.filter(round=review_round)
    if only is not None:
        assignments = assignments.filter(application__in=[a.pk for a in applications])
    assignments = (
        assignments.select_related("expert", "expert__expert_profile", "review")
        .prefetch_related("review__scores")
        .order_by("pk")
    )
    for assignment in assignments:
        result = results[assignment.application_id]
        if assignment.state == AssignmentState.CONFLICT:
            result.conflicts.append(assignment)
            continue
        review = getattr(assignment, "review", None)
        if review is None:
            result.pending.append(assignment)
            continue
        scores = {s.criterion_id: s.value for s in review.scores.all()}
        exact_total = scoring.exact_total(scores, weighting)
        result.lines.append(
            ReviewLine(assignment, review, scores, scoring.to_decimal(exact_total), exact_total, review.normalised)
        )

    basis = review_round.ranking_basis
    by_tier = {tier: [] for tier in review_round.tiers}
    for result in results.values():
        result.summary = scoring.summarise(
            [line.exact_total for line in result.lines],
            review_round.disagreement_threshold,
            [line.normalised for line in result.lines if line.normalised is not None]
            if all(line.normalised is not None for line in result.lines)
            else (),
        )
        if result.application.tier in by_tier:
            by_tier[result.application.tier].append(result)
    for tier, items in by_tier.items():
        scored = sorted(
            (r for r in items if r.lines),
            key=lambda r: (r.summary.ranking_key(basis), -r.application.pk),
            reverse=True,
        )
        unscored = [r for r in items if not r.lines]
        keys = [r.summary.ranking_key(basis) for r in scored]
        for result, rank in zip(scored, scoring.competition_ranks(keys), strict=False):
            result.rank = rank
        by_tier[tier] = scored + unscored
    if only is not None:  # ranks and order among the whole round, not the page
        whole = [standing for items in (ranking or round_ranking(review_round)).values() for standing in items]
        place = {standing.application_id: (n, standing.rank) for n, standing in enumerate(whole)}
        for items in by_tier.values():
            for result in items:
                result.rank = place[result.application.pk][1]
            items.sort(key=lambda r: place[r.application.pk][0])
    return RoundResults(review_round, criteria, by_tier)


# --- one page of a tier's ranking, read from the stored standings -----------------------------


@dataclass(slots=True)
class ListedApplication(ListedLabels):
    """An application as a list page shows it: plain values read with the page's rows (no model
    instance, issue 13), named as Application names itself."""

    pk: int
    title: str
    tier: str
    institution_name: str


@dataclass
class PageLine:
    """One submitted review on the ranking page (plain values, no model instances)."""

    expert: str
    total: object
    recommendation: str
    comment: str
    normalised: object = None

    @property
    def recommendation_label(self):
        return Recommendation(self.recommendation).label


@dataclass
class PageRow:
    application: ListedApplication
    reviews_needed: int
    summary: scoring.Summary
    rank: int | None
    conflicts: int = 0
    lines: list = field(default_factory=list)

    @property
    def submitted(self):
        return self.summary.count

    @property
    def complete(self):
        return self.submitted >= self.reviews_needed

    @property
    def recommendations(self):
        counts = Counter(line.recommendation for line in self.lines)
        return {value: counts.get(value, 0) for value in RECOMMENDATIONS}


def _ranked(review_round):
    return StoredStanding.objects.filter(round=review_round, rank__isnull=False)


def _unscored(review_round):
    """The round's applications without a rank in it (as round_ranking lists them after the ranked)."""
    return round_application_ids(review_round).exclude(pk__in=_ranked(review_round).values("application_id"))


def _per_tier(queryset):
    return dict(queryset.values("tier").annotate(n=Count("pk")).values_list("tier", "n").order_by())


class TierRanking:
    """A tier's ranking as a sequence for Paginator: the ranked standings in rank order,
    then the round's unscored applications by id. Counting and slicing are indexed queries;
    a slice is (application id, row) pairs, each row a stored standing's values with its
    application (a ListedApplication) read in the same query."""

    def __init__(self, review_round, tier, counts=None):
        self.round, self.tier = review_round, tier
        self._counts = counts

    @classmethod
    def of_round(cls, review_round):
        """{tier: TierRanking} of the round's tiers, counted together in two queries (the tabs show
        every tier's count; only the shown tier is read further)."""
        tiers = review_round.tiers
        ranked = _per_tier(_ranked(review_round).filter(tier__in=tiers))
        unscored = _per_tier(_unscored(review_round).filter(tier__in=tiers))
        return {tier: cls(review_round, tier, (ranked.get(tier, 0), unscored.get(tier, 0))) for tier in tiers}

    @cached_property
    def ranked(self):
        return _ranked(self.round).filter(tier=self.tier)

    @cached_property
    def unscored(self):
        return _unscored(self.round).filter(tier=self.tier).order_by("pk")

    def counts(self):
        if self._counts is None:
            self._counts = (self.ranked.count(), self.unscored.count())
        return self._counts

    def count(self):
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        ranked_count, _ = self.counts()
        start, stop = window.start or 0, window.stop
        rows = []
        if start < ranked_count:
            for row in self.ranked.order_by("rank", "application_id").values(
                "application_id",
                "rank",
                "conflicts",
                *SHOWN_FIELDS,
                "application__title",
                "application__tier",
                "application__institution__name",
            )[start : min(stop, ranked_count)]:
                pk = row["application_id"]
                row["application"] = ListedApplication(
                    pk, row["application__title"], row["application__tier"], row["application__institution__name"]
                )
                rows.append((pk, row))
        if stop > ranked_count:
            unscored_start = max(start - ranked_count, 0)
            conflicts = StoredStanding.objects.filter(round=self.round, application=OuterRef("pk")).values("conflicts")
            for pk, title, tier, institution_name, declared in self.unscored.values_list(
                "pk", "title", "tier", "institution__name", Coalesce(Subquery(conflicts[:1]), 0)
            )[unscored_start : stop - ranked_count]:
                application = ListedApplication(pk, title, tier, institution_name)
                rows.append((pk, {"submitted": 0, "rank": None, "conflicts": declared, "application": application}))
        return rows


def page_rows(review_round, window):
    """PageRow for each (application id, row) of a TierRanking page and its submitted reviews: one
    query more, any page size."""
    ids = [pk for pk, _ in window]
    rows = {}
    for pk, row in window:
        rows[pk] = PageRow(
            row["application"],
            review_round.reviews_per_application,
            _summary(row, exact=False),
            row["rank"],
            row["conflicts"],
        )
    for application_id, username, display_name, total, recommendation, comment, normalised in (
        Assignment.objects.filter(round=review_round, application_id__in=ids, state=AssignmentState.SUBMITTED)
        .values_list(
            "application_id",
            "expert__username",
            "expert__display_name",
            "review__total",
            "review__recommendation",
            "review__comment",
            "review__normalised",
        )
        .order_by("pk")
    ):
        if total is not None:
            rows[application_id].lines.append(
                PageLine(display_name or username, total, recommendation, comment, normalised)
            )
    return [rows[pk] for pk in ids]
