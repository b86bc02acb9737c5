"""Resident identity numbers (GB 11643-1999): validation and masking."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from stdnum.cn import ric

from yanxiu.core.masks import mask_id_number
from yanxiu.core.validators import normalise_code

ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII digits only: `\d` matches full-width ones too


def id_with_check(body17: str) -> str:
    """The 17 digits followed by their GB 11643 check character (python-stdnum).

    Only stdnum's check character is used: its `validate` also refuses birth places
    missing from its own table of region codes, which is not this system's rule."""
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum drops the last character


def normalise(value: str) -> str:
    """Half-width (full-width digits and Ｘ typed with a Chinese input method), no spaces, upper case."""
    return normalise_code(value or "").replace(" ", "").upper()


def validate_id_number(value: str) -> str:
    """Return the normalised number, or raise with a Chinese message."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError("身份证号应为18位。", code="id_length")
    if not ID_RE.match(number):
        raise ValidationError("身份证号前17位应为数字，最后一位为数字或X。", code="id_chars")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期不正确。", code="id_birth") from None
    if born.year < 1900:
        raise ValidationError("身份证号中的出生日期不正确。", code="id_birth")
    if id_with_check(number[:17]) != number:
        raise ValidationError("身份证号校验位不正确，请核对。", code="id_check")
    return number


def mask(number: str) -> str:
    """3501**********1234: the first four and the last four stay (`core.masks`, shared with accounts)."""
    return mask_id_number(number)
