"""The scoring maths, exactly."""

from decimal import Decimal
from fractions import Fraction

import pytest

from yanxiu.reviews.domain import scoring
from yanxiu.reviews.domain.scoring import Weighting

DEFAULT = [
    Weighting("strategy", 25, 10),
    Weighting("quality", 25, 10),
    Weighting("focus", 20, 10),
    Weighting("local", 15, 10),
    Weighting("record", 15, 10),
]


def total(*values):
    return scoring.review_total(
        dict(zip(["strategy", "quality", "focus", "local", "record"], values, strict=False)), DEFAULT
    )


def test_total_is_weighted_and_scaled_to_100():
    assert total(10, 10, 10, 10, 10) == Decimal("100.00")
    assert total(0, 0, 0, 0, 0) == Decimal("0.00")
    # 25×0.9 + 25×0.8 + 20×0.7 + 15×0.6 + 15×0.5 = 22.5 + 20 + 14 + 9 + 7.5
    assert total(9, 8, 7, 6, 5) == Decimal("73.00")
    assert total(Decimal("8.5"), 8, 8, 8, 8) == Decimal("81.25")


def test_total_with_mixed_maxima_and_weights_not_summing_to_100():
    criteria = [Weighting("a", 2, 5), Weighting("b", 1, 20)]
    # 100 × (2×4/5 + 1×10/20) / 3 = 100 × 2.1 / 3 = 70
    assert scoring.review_total({"a": 4, "b": 10}, criteria) == Decimal("70.00")
    # 100 × (2×1/5 + 0) / 3 = 13.333…
    assert scoring.review_total({"a": 1, "b": 0}, criteria) == Decimal("13.33")
    assert scoring.exact_total({"a": 1, "b": 0}, criteria) == Fraction(40, 3)


def test_total_needs_every_criterion():
    with pytest.raises(ValueError):
        scoring.review_total({"a": 4}, [Weighting("a", 1, 5), Weighting("b", 1, 5)])


def test_floats_are_refused_to_keep_the_maths_exact():
    with pytest.raises(TypeError):
        scoring.mean([0.1, 0.2])


def test_mean_trimmed_mean_and_spread_below_four_reviews():
    summary = scoring.summarise([Decimal("80"), Decimal("70"), Decimal("75.5")], threshold=20)
    assert summary.count == 3
    assert summary.mean == Decimal("75.17")  # 225.5 / 3 = 75.1666…
    assert summary.trimmed_mean == Decimal("75.17")  # fewer than 4: nothing dropped
    assert summary.spread == Decimal("10.00")
    assert (summary.lowest, summary.highest) == (Decimal("70.00"), Decimal("80.00"))
    assert summary.disagreement is False


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_four_reviews():
    totals = [90, 60, 80, 70]
    assert scoring.mean(totals) == 75
    assert scoring.trimmed_mean(totals) == 75  # (80 + 70) / 2
    totals = [95, 60, 80, 70, 81]
    assert scoring.mean(totals) == Fraction(386, 5)
    assert scoring.trimmed_mean(totals) == Fraction(231, 3)  # (70 + 80 + 81) / 3 = 77
    # Ties at the extremes: only one of each is dropped.
    assert scoring.trimmed_mean([50, 50, 90, 90]) == 70


def test_disagreement_when_spread_reaches_threshold():
    assert scoring.disagrees([80, 60], threshold=20) is True  # spread exactly 20
    assert scoring.disagrees([Decimal("79.99"), 60], threshold=20) is False
    assert scoring.disagrees([Decimal("80.5"), 60], threshold=Decimal("20.5")) is True
    assert scoring.disagrees([100], threshold=0) is False  # one review cannot disagree


def test_summary_of_nothing():
    summary = scoring.summarise([], threshold=20)
    assert (summary.count, summary.mean, summary.trimmed_mean, summary.spread, summary.disagreement) == (
        0,
        None,
        None,
        None,
        False,
    )


def test_rounding_is_half_up_only_for_display():
    assert scoring.to_decimal(Fraction(1, 200)) == Decimal("0.01")
    assert scoring.to_decimal(Fraction(-1, 200)) == Decimal("-0.01")
    assert scoring.to_decimal(Fraction(2, 3)) == Decimal("0.67")


def test_competition_ranks_share_ties():
    assert scoring.competition_ranks([5, 4, 4, 3, 3, 3, 1]) == [1, 2, 2, 4, 4, 4, 7]
    assert scoring.competition_ranks([]) == []
