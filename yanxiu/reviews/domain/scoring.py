"""The scoring maths, as pure functions over plain numbers.

A review's total is the weighted sum of its criterion scores, each scaled to
its maximum, on a 0–100 scale:

    total = 100 × Σ(weightᵢ × scoreᵢ / maxᵢ) / Σ weightᵢ

Per application, over the totals of its submitted reviews:

    mean          arithmetic mean of the totals (the "weighted mean": each
                  total is already weighted by the rubric)
    trimmed mean  the mean after dropping one highest and one lowest total,
                  when there are at least 4 reviews; otherwise the mean
    spread        highest total − lowest total
    disagreement  spread ≥ the round's threshold (needs at least 2 reviews)

Everything is computed exactly (fractions) and rounded half-up to two
decimals only for display, so rankings never depend on rounding.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

TRIM_FROM = 4  # drop highest and lowest from this many reviews on
CENT = Decimal("0.01")


def exact(value):
    """Any int, Decimal, Fraction or numeric string as an exact Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        raise TypeError("scores must be exact numbers (int, Decimal, str), not float")
    return Fraction(Decimal(str(value)) if isinstance(value, str) else value)


def to_decimal(value, places=CENT):
    """Round an exact value half-up to two decimals."""
    value = exact(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Weighting:
    """What the total needs to know about one criterion."""

    key: object
    weight: int
    max_score: int


def exact_total(scores, criteria):
    """The weighted total (0–100) of one review, exactly.

    `scores` maps each criterion key to its score; `criteria` is a sequence of
    Weighting. Every criterion must be scored.
    """
    weight_sum = sum(c.weight for c in criteria)
    if not criteria or weight_sum <= 0:
        raise ValueError("the rubric has no weighted criteria")
    missing = [c.key for c in criteria if c.key not in scores]
    if missing:
        raise ValueError(f"criteria not scored: {missing}")
    # Integer arithmetic over a common denominator, one Fraction at the end: the
    # same exact value as summing Fractions, several times faster (a round of
    # thousands of reviews is totalled on every results page).
    parts = []
    for c in criteria:
        numerator, denominator = _ratio(scores[c.key])
        parts.append((c.weight * numerator, denominator * c.max_score))
    common = math.lcm(*(d for _, d in parts))
    weighted = sum(n * (common // d) for n, d in parts)
    return Fraction(100 * weighted, common * weight_sum)


def _ratio(value):
    if isinstance(value, int):
        return value, 1
    if isinstance(value, Decimal):
        return value.as_integer_ratio()
    value = exact(value)
    return value.numerator, value.denominator


def review_total(scores, criteria):
    return to_decimal(exact_total(scores, criteria))


def mean(totals):
    totals = [exact(t) for t in totals]
    if not totals:
        return None
    return sum(totals) / len(totals)


def trimmed_mean(totals):
    """Mean without the single highest and lowest total, from 4 totals on."""
    totals = sorted(exact(t) for t in totals)
    if len(totals) >= TRIM_FROM:
        totals = totals[1:-1]
    return mean(totals)


def spread(totals):
    totals = [exact(t) for t in totals]
    if not totals:
        return None
    return max(totals) - min(totals)


def disagrees(totals, threshold):
    """Experts disagree strongly when the spread reaches the threshold."""
    if len(totals) < 2:
        return False
    return spread(totals) >= exact(threshold)


@dataclass(frozen=True)
class Summary:
    count: int
    mean: Decimal | None
    trimmed_mean: Decimal | None
    spread: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    disagreement: bool
    sort_key: tuple  # exact values, for ranking


def summarise(totals, threshold):
    totals = [exact(t) for t in totals]
    if not totals:
        return Summary(0, None, None, None, None, None, False, ())
    exact_mean, exact_trimmed = mean(totals), trimmed_mean(totals)
    return Summary(
        count=len(totals),
        mean=to_decimal(exact_mean),
        trimmed_mean=to_decimal(exact_trimmed),
        spread=to_decimal(spread(totals)),
        lowest=to_decimal(min(totals)),
        highest=to_decimal(max(totals)),
        disagreement=disagrees(totals, threshold),
        sort_key=(exact_trimmed, exact_mean),
    )


def competition_ranks(sort_keys):
    """Ranks for keys already sorted best first; equal keys share a rank (1, 2, 2, 4)."""
    ranks = []
    for position, key in enumerate(sort_keys, start=1):
        if ranks and key == sort_keys[position - 2]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
    return ranks
