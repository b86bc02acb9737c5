"""Median, standard deviation and per-expert normalised totals, against hand computations;
the ranking basis (raw or normalised) chosen per round."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from tests.reviews import factories as rf
from yanxiu.audit.models import AuditEntry
from yanxiu.reviews.domain import rounds, scoring
from yanxiu.reviews.domain.results import round_ranking, round_results
from yanxiu.reviews.domain.standings import fresh_ranking
from yanxiu.reviews.enums import RankingBasis
from yanxiu.reviews.models import Review, Standing

pytestmark = pytest.mark.django_db


# --- the pure maths --------------------------------------------------------------------------


def test_median_and_standard_deviation_by_hand():
    summary = scoring.summarise([70, 80, 95], threshold=20)
    # mean 245/3; deviations −35/3, −5/3, 40/3; variance (1225 + 25 + 1600)/9/3 = 2850/27 = 105.555…
    assert summary.median == Decimal("80.00")
    assert summary.sd == Decimal("10.27")
    assert scoring.variance([70, 80, 95]) == Fraction(2850, 27)
    assert scoring.median([60, 95, 70, 80]) == 75  # even count: the mean of the two middle ones
    assert summary.disagreement is True  # spread 25 ≥ 20


def test_normalised_totals_by_hand():
    """Harsh H gave 70 and 50, lenient L gave 90 and 80. Round: mean 72.5, variance
    (2.5² + 22.5² + 17.5² + 7.5²)/4 = 875/4 = 218.75, sd 14.79019945…; each expert's better
    review has z = +1, the other z = −1: 72.5 ± 14.7902."""
    found = scoring.normalise([("p", "H", 70), ("q", "H", 50), ("r", "L", 90), ("s", "L", 80)])
    assert found == {
        "p": Decimal("87.2902"),
        "q": Decimal("57.7098"),
        "r": Decimal("87.2902"),
        "s": Decimal("57.7098"),
    }


def test_a_single_review_keeps_its_raw_total_and_zero_spread_gives_the_round_mean():
    # round mean (80 + 80 + 40)/3 = 66.6667; E1 scored alike (σ = 0, z = 0); E2 has one review
    found = scoring.normalise([("a", "E1", 80), ("b", "E1", 80), ("c", "E2", 40)])
    assert found == {"a": Decimal("66.6667"), "b": Decimal("66.6667"), "c": Decimal("40.0000")}


def test_normalised_totals_stay_on_the_scale():
    # round mean 32.5, sd √1568.75 = 39.607…: z = −1 would give −7.11, kept at 0
    found = scoring.normalise([("a", "E1", 10), ("b", "E1", 20), ("c", "E2", 0), ("d", "E2", 100)])
    assert found["a"] == found["c"] == Decimal("0.0000")
    assert found["b"] == found["d"] == Decimal("72.1074")


# --- stored with the standings, and the ranking basis ----------------------------------------------


@pytest.fixture
def harsh_and_lenient():
    """Four provincial applications, one review each: H scores P 70 and Q 50, L scores R 90 and S 80."""
    review_round = rf.review_round(reviews_per_application=1)
    apps = [rf.forwarded("provincial") for _ in range(4)]
    harsh, lenient = rf.expert(affiliation="外省大学甲"), rf.expert(affiliation="外省大学乙")
    for application, expert, value in zip(apps, (harsh, harsh, lenient, lenient), (7, 5, 9, 8), strict=True):
        rf.submit(rf.assign(review_round, application, expert), values=(value,) * 5)
    return review_round, apps


def order(review_round):
    return [(s.application_id, s.rank) for s in round_ranking(review_round)["provincial"]]


def test_the_ranking_basis_changes_the_order(harsh_and_lenient):
    review_round, (p, q, r, s) = harsh_and_lenient
    assert order(review_round) == [(r.pk, 1), (s.pk, 2), (p.pk, 3), (q.pk, 4)]  # raw: 90, 80, 70, 50
    assert Review.objects.get(assignment__application=p).normalised == Decimal("87.2902")
    standing = Standing.objects.get(round=review_round, application=s)
    assert (standing.mean, standing.normalised_mean, standing.median, standing.sd) == (
        Decimal("80.00"),
        Decimal("57.71"),
        Decimal("80.00"),
        Decimal("0.00"),
    )
    rounds.update_round(review_round, actor=review_round.created_by, ranking_basis=RankingBasis.NORMALISED)
    review_round.refresh_from_db()
    # normalised: R and P 87.2902 (R first on its raw total), then S and Q 57.7098
    assert order(review_round) == [(r.pk, 1), (p.pk, 2), (s.pk, 3), (q.pk, 4)]
    assert {tier: [i[:2] for i in items] for tier, items in fresh_ranking(review_round).items()}["provincial"] == [
        (r.pk, 1),
        (p.pk, 2),
        (s.pk, 3),
        (q.pk, 4),
    ]
    detail = round_results(review_round)
    assert [(x.application.pk, x.rank) for x in detail.by_tier["provincial"]] == order(review_round)
    entry = AuditEntry.objects.filter(action="update_round", object_id=review_round.pk).latest("pk")
    assert entry.data["after"] == {"ranking_basis": "normalised"}


def test_a_new_review_renormalises_the_whole_round(harsh_and_lenient):
    """The round's mean and sd move with every review, so every stored normalised total follows."""
    review_round, (p, _q, _r, _s) = harsh_and_lenient
    extra = rf.forwarded("provincial")
    newcomer = rf.expert(affiliation="外省大学丙")
    rf.submit(rf.assign(review_round, extra, newcomer), values=(10,) * 5)
    # one review: raw 100 kept; round totals 70, 50, 90, 80, 100: mean 78;
    # deviations −8, −28, 12, 2, 22 → squares 64 + 784 + 144 + 4 + 484 = 1480, /5 = 296, sd 17.2046505
    assert Review.objects.get(assignment__application=extra).normalised == Decimal("100.0000")
    assert Review.objects.get(assignment__application=p).normalised == Decimal("95.2047")
    assert Standing.objects.get(round=review_round, application=p).normalised_mean == Decimal("95.20")


def test_the_ranking_page_and_export_show_the_basis(client, harsh_and_lenient):
    review_round, (p, _q, r, _s) = harsh_and_lenient
    client.force_login(review_round.created_by)
    html = client.get(reverse("reviews:results", args=[review_round.pk])).content.decode()
    assert "排名依据：原始分（截尾平均分）" in html
    assert "87.29" in html  # the normalised total beside the raw one
    form = {
        "name": review_round.name,
        "scope": review_round.scope,
        "deadline": "2026-03-31",
        "reviews_per_application": 1,
        "disagreement_threshold": "20",
        "ranking_basis": "normalised",
    }
    assert client.post(reverse("reviews:round_settings", args=[review_round.pk]), form).status_code == 302
    response = client.get(reverse("reviews:results", args=[review_round.pk]))
    html = response.content.decode()
    assert "排名依据：标准化分（按专家本人评分尺度校正）" in html
    assert [row.application.pk for row in response.context["items"]][:2] == [r.pk, p.pk]
