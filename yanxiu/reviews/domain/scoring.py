"""The scoring maths, as pure functions over plain numbers.

A review's total is the weighted sum of its criterion scores, each scaled to
its maximum, on a 0–100 scale:

    total = 100 × Σ(weightᵢ × scoreᵢ / maxᵢ) / Σ weightᵢ

Per application, over the totals of its submitted reviews:

    mean          arithmetic mean of the totals (the "weighted mean": each
                  total is already weighted by the rubric)
    trimmed mean  the mean after dropping one highest and one lowest total,
                  when there are at least 4 reviews; otherwise the mean
    median        the middle total (the mean of the two middle ones for an
                  even count)
    sd            the population standard deviation of the totals,
                  √(Σ(t − mean)² / n)
    spread        highest total − lowest total
    disagreement  spread ≥ the round's threshold (needs at least 2 reviews)

Normalised totals (`normalise`): each expert's totals measured against that
expert's own scoring across the round, mapped back to the round's scale, so a
harsh and a lenient expert count alike. With M and S the mean and population
standard deviation of every submitted total of the round, and μₑ, σₑ those of
expert e's totals in the round:

    z = (t − μₑ) / σₑ,   normalised = M + S × z, kept within 0–100

An expert with a single review in the round keeps the raw total (one score says
nothing about the expert's scale); an expert whose totals are all equal (σₑ = 0)
gets z = 0, so every one of their totals becomes M (they ranked them all alike).
Normalised totals are computed in Decimal (34 digits) and stored rounded
half-up to four places; an application's normalised mean is the exact mean of
those stored values.

Everything is computed exactly (fractions) and rounded half-up to two
decimals only for display, so rankings never depend on rounding.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

TRIM_FROM = 4  # drop highest and lowest from this many reviews on
CENT = Decimal("0.01")
NORMALISED_PLACES = Decimal("0.0001")
SCALE = (0, 100)
PRECISION = 34


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


def median(totals):
    totals = sorted(exact(t) for t in totals)
    if not totals:
        return None
    middle = len(totals) // 2
    if len(totals) % 2:
        return totals[middle]
    return (totals[middle - 1] + totals[middle]) / 2


def variance(totals):
    """Population variance, exactly."""
    totals = [exact(t) for t in totals]
    if not totals:
        return None
    centre = mean(totals)
    return sum((t - centre) ** 2 for t in totals) / len(totals)


def _decimal(value):
    value = exact(value)
    return Decimal(value.numerator) / Decimal(value.denominator)


def sqrt(value):
    """√ of an exact non-negative value as a Decimal of 34 significant digits (deterministic)."""
    with localcontext() as context:
        context.prec = PRECISION
        return _decimal(value).sqrt()


def stdev(totals):
    """Population standard deviation (Decimal, 34 digits), or None without totals."""
    found = variance(totals)
    return None if found is None else sqrt(found)


def normalise(reviews):
    """{key: normalised total (Decimal, four places)} for `reviews`, an iterable of
    (key, expert, total) over every submitted review of a round. See the module docstring."""
    reviews = [(key, expert, exact(total)) for key, expert, total in reviews]
    if not reviews:
        return {}
    by_expert = defaultdict(list)
    for _key, expert, total in reviews:
        by_expert[expert].append(total)
    everything = [total for _, _, total in reviews]
    low, high = SCALE
    with localcontext() as context:
        context.prec = PRECISION
        round_mean, round_sd = _decimal(mean(everything)), sqrt(variance(everything))
        stats = {}
        for expert, totals in by_expert.items():
            stats[expert] = (len(totals), mean(totals), sqrt(variance(totals)))
        found = {}
        for key, expert, total in reviews:
            count, expert_mean, expert_sd = stats[expert]
            if count < 2:
                value = _decimal(total)
            elif expert_sd == 0:
                value = round_mean
            else:
                value = round_mean + round_sd * ((_decimal(total) - _decimal(expert_mean)) / expert_sd)
            value = min(max(value, Decimal(low)), Decimal(high))
            found[key] = value.quantize(NORMALISED_PLACES, rounding=ROUND_HALF_UP)
    return found


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
    median: Decimal | None = None
    sd: Decimal | None = None
    normalised_mean: Decimal | None = None  # two places, for display
    normalised_key: Fraction | None = None  # exact mean of the stored normalised totals

    def ranking_key(self, basis):
        """What the ranking sorts by, best first: raw (trimmed mean, mean) or normalised (its mean, then raw)."""
        if basis == "normalised":
            key = Fraction(-1) if self.normalised_key is None else self.normalised_key  # not yet normalised: last
            return (key, *self.sort_key)
        return self.sort_key


def summarise(totals, threshold, normalised=()):
    """The summary of one application's totals; `normalised`: the normalised totals of the same reviews."""
    totals = [exact(t) for t in totals]
    if not totals:
        return Summary(0, None, None, None, None, None, False, ())
    exact_mean, exact_trimmed = mean(totals), trimmed_mean(totals)
    normalised_key = mean(normalised) if normalised else None
    return Summary(
        count=len(totals),
        mean=to_decimal(exact_mean),
        trimmed_mean=to_decimal(exact_trimmed),
        spread=to_decimal(spread(totals)),
        lowest=to_decimal(min(totals)),
        highest=to_decimal(max(totals)),
        disagreement=disagrees(totals, threshold),
        sort_key=(exact_trimmed, exact_mean),
        median=to_decimal(median(totals)),
        sd=stdev(totals).quantize(CENT, rounding=ROUND_HALF_UP),
        normalised_mean=None if normalised_key is None else to_decimal(normalised_key),
        normalised_key=normalised_key,
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
