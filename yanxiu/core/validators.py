"""Validators for Chinese identifiers and phone numbers, with Chinese messages."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_with_check(body17: str) -> str:
    """The 17 characters followed by their GB 32100 check character (python-stdnum)."""
    return body17 + uscc.calc_check_digit(body17)


def normalise_code(value):
    """A code, number or phone as typed with a Chinese input method, in half-width form.

    Full-width digits and letters (０-９, Ａ-Ｚ, common with Chinese input methods) and the
    ideographic space become their ASCII forms (NFKC); surrounding spaces go. Only for
    values that are codes or numbers: NFKC would also turn Chinese punctuation (，：（）)
    into ASCII, so free text never passes here. Non-strings are returned as they are.
    Every validator below expects a normalised value and matches ASCII digits only."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFKC", value).strip()


def validate_uscc(value: str) -> None:
    """Length, alphabet and check character, each refused with its own Chinese message.

    Only stdnum's check character is used: its `validate` also wants the first eight
    characters to be digits, which refuses real codes such as those of 农村集体经济组织 (N…)."""
    code = normalise_code(value or "").upper()
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位。", code="uscc_length")
    if any(ch not in USCC_ALPHABET for ch in code):
        raise ValidationError(
            "统一社会信用代码含有不允许的字符（只能是数字和除 I、O、S、V、Z 以外的大写字母）。",
            code="uscc_chars",
        )
    if uscc_with_check(code[:17]) != code:
        raise ValidationError("统一社会信用代码校验位不正确，请核对。", code="uscc_check")


# Landline: optional area code 0xx(x) with a hyphen, 7–8 digit number,
# optional extension. Also accepts 400/800 service numbers.
# ASCII digits only: `\d` would also match full-width and other Unicode digits.
LANDLINE_RE = re.compile(r"^(0[0-9]{2,3}-?)?[2-9][0-9]{6,7}(-[0-9]{1,6})?$|^[48]00-?[0-9]{3}-?[0-9]{4}$")
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()]", "", normalise_code(value or "")).replace("—", "-")


def validate_landline(value: str) -> None:
    if value and not LANDLINE_RE.match(normalise_phone(value)):
        raise ValidationError("电话号码格式不正确，例如 0591-87612629。", code="landline")


def validate_mobile(value: str) -> None:
    if value and not MOBILE_RE.match(normalise_phone(value)):
        raise ValidationError("手机号码格式不正确，应为以1开头的11位数字。", code="mobile")


# C0 controls but tab, line feed and carriage return; DEL and the C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_plain_text(value: str) -> None:
    """Plain text: any character a person types, angle brackets included ("x<y",
    "面向<a类>企业" are ordinary Chinese writing, decision 0017). Every output escapes
    it (templates, row writers, .docx/.xlsx, e-mail, API). Refused are only control
    characters, which no keyboard types and Word and XML cannot hold."""
    if value and CONTROL_RE.search(value):
        raise ValidationError("含有无法显示的控制字符，请删除后重新填写（可先粘贴到记事本再复制）。", code="control")


def normalise_spaces(value):
    """Unicode space separators (no-break space, ideographic space…) as plain spaces.

    Text pasted from Word often carries them; stored as plain spaces, a form
    written to Word and read back gives the same text.
    """
    if not isinstance(value, str):
        return value
    return "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)


# Resident identity numbers (GB 11643-1999): trainees (delivery) and accounts (unified identity).
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII digits only: `\d` matches full-width ones too


def id_with_check(body17: str) -> str:
    """The 17 digits followed by their GB 11643 check character (python-stdnum).

    Only stdnum's check character is used: its `validate` also refuses birth places
    missing from its own table of region codes, which is not this system's rule."""
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum drops the last character


def normalise_id_number(value: str) -> str:
    """Half-width (full-width digits and Ｘ typed with a Chinese input method), no spaces, upper case."""
    return normalise_code(value or "").replace(" ", "").upper()


def validate_id_number(value: str) -> str:
    """Return the normalised number, or raise with a Chinese message."""
    number = normalise_id_number(value)
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
