"""The row writers' cells (core/cells.py) are what Django's escape, localize and
floatformat write: the shown figures stay the same without their per-call costs."""

from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from yanxiu.core.cells import number, text, two_places

NUMBERS = [0, 1, 7, 99, 5000, 123456789, Decimal("0.00"), Decimal("85.50"), Decimal("100.00"), Decimal("1E+2")]
NUMBERS += [Decimal("3.14159"), Decimal("12345.67"), Decimal("-2.50")]


@pytest.mark.parametrize("value", NUMBERS)
def test_a_number_is_written_as_localize_writes_it(value):
    assert number(value) == localize(value)


@pytest.mark.parametrize(
    "value", ["0.0000", "87.2850", "87.2849", "87.2950", "100.0000", "0.0049", "-0.0001", "12345.6789", "5"]
)
def test_two_places_are_written_as_floatformat_writes_them(value):
    assert two_places(Decimal(value)) == floatformat(Decimal(value), 2)


@pytest.mark.parametrize("value", ['<b>专家</b> & "引号"', "it's", "", 12, gettext_lazy("省级")])
def test_text_is_escaped_as_django_escapes_it(value):
    assert text(value) == escape(value)
