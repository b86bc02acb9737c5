"""Cells of the rows written in Python (issue 13: the intake list, the pool, the ranking): text escaped
and numbers written as Django's escape(), localize() and floatformat write them in this project's
locale (zh-hans: no digit grouping, "." before the decimals), without their per-call lazy-string,
settings and language look-ups. tests/core/test_cells.py holds them to Django's own output, so
a change of the number settings shows there. Digits need no escaping."""

import html
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


def text(value):
    """Escaped for HTML, as django.utils.html.escape (the result is marked safe with the whole row)."""
    return html.escape(str(value))


def number(value):
    """An int or a Decimal as localize() (and {{ value }}) shows it."""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def two_places(value):
    """A Decimal as floatformat(value, 2) shows it: rounded half up, two decimals, never "-0.00"."""
    rounded = value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}"


def quality_cell(score, summary):
    """A host's quality score under its name, its sources in the tooltip (decision 0027)."""
    if score is None:
        return '<div class="help" data-quality="">质量评分：暂无</div>'
    return f'<div class="help" data-quality="{score:f}" title="{text(summary or "")}">质量评分 {score:f}</div>'
