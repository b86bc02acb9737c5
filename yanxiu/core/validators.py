"""Validators for Chinese identifiers and phone numbers, with Chinese messages."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from stdnum.cn import uscc

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_with_check(body17: str) -> str:
    """The 17 characters followed by their GB 32100 check character (python-stdnum)."""
    return body17 + uscc.calc_check_digit(body17)


def validate_uscc(value: str) -> None:
    """Length, alphabet and check character, each refused with its own Chinese message.

    Only stdnum's check character is used: its `validate` also wants the first eight
    characters to be digits, which refuses real codes such as those of 农村集体经济组织 (N…)."""
    code = (value or "").strip().upper()
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
LANDLINE_RE = re.compile(r"^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$|^[48]00-?\d{3}-?\d{4}$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s（）()]", "", value or "").replace("—", "-").replace("－", "-")


def validate_landline(value: str) -> None:
    if value and not LANDLINE_RE.match(normalise_phone(value)):
        raise ValidationError("电话号码格式不正确，例如 0591-87612629。", code="landline")


def validate_mobile(value: str) -> None:
    if value and not MOBILE_RE.match(normalise_phone(value)):
        raise ValidationError("手机号码格式不正确，应为以1开头的11位数字。", code="mobile")


def validate_plain_text(value: str) -> None:
    """Refuse markup in text fields: the text is printed on official forms.

    What a browser would parse as a tag ("<x", "</x", "<!") is refused;
    "a < b" is ordinary text. Output is escaped in any case.
    """
    if value and re.search(r"</?[a-zA-Z!?]", value):
        raise ValidationError("请勿输入网页代码（如 <script>），只填写纯文本。", code="markup")


def normalise_spaces(value):
    """Unicode space separators (no-break space, ideographic space…) as plain spaces.

    Text pasted from Word often carries them; stored as plain spaces, a form
    written to Word and read back gives the same text.
    """
    if not isinstance(value, str):
        return value
    return "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in value)
