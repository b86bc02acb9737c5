import pytest
from django.core.exceptions import ValidationError

from yanxiu.core.validators import (
    normalise_code,
    normalise_phone,
    normalise_spaces,
    uscc_with_check,
    validate_landline,
    validate_mobile,
    validate_plain_text,
    validate_uscc,
)

# Example codes whose check character follows GB 32100-2015.
VALID_USCC = ["91350100M000100Y43", "91110000802100433B"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc(code):
    validate_uscc(code)
    assert uscc_with_check(code[:17]) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100Y44", "校验位不正确"),
        ("91350100M000100I43", "不允许的字符"),
    ],
)
def test_invalid_uscc(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_uscc(code)


@pytest.mark.parametrize(
    "number", ["0591-87612629", "059187612629", "0592-2290001", "87612629", "0591-87612629-123", "400-810-8888"]
)
def test_valid_landlines(number):
    validate_landline(number)


@pytest.mark.parametrize("number", ["1234", "0591-123", "abc", "0591-87612629-", "13800000000x"])
def test_invalid_landlines(number):
    with pytest.raises(ValidationError):
        validate_landline(number)


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("13800000000", True),
        ("138 0000 0000", True),
        ("12800000000", False),
        ("1380000000", False),
        ("138000000000", False),
    ],
)
def test_mobiles(number, ok):
    if ok:
        validate_mobile(number)
    else:
        with pytest.raises(ValidationError, match="手机号码格式不正确"):
            validate_mobile(number)


@pytest.mark.parametrize(
    "text",
    [
        "学员≥50人",
        "a < b",
        "x<y",
        "面向<a类>企业",
        "1<2 且 3>2",
        "《研修》",
        "<script>alert(1)</script>",
        "第一行\n\t第二行\r\n",
    ],
)
def test_plain_text_is_any_typed_text_angle_brackets_included(text):
    """Decision 0017: angle brackets are ordinary writing; outputs escape them."""
    validate_plain_text(text)


@pytest.mark.parametrize("text", ["a\x00b", "响铃\x07", "换页\x0c", "\x1b[31m", "\x7f", "\x85"])
def test_control_characters_are_refused(text):
    with pytest.raises(ValidationError, match="控制字符"):
        validate_plain_text(text)


def test_codes_typed_full_width_are_cleaned_half_width():
    assert normalise_code("　１３８００１３８０００ ") == "13800138000"
    assert normalise_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert normalise_code(12) == 12


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_mobile, "١٣٨٠٠١٣٨٠٠٠"),  # Arabic-Indic digits: `\d` matched them, NFKC keeps them
        (validate_landline, "٠٥٩١-٨٧٦١٢٦٢٩"),
        (validate_uscc, "٩١٣٥٠١٠٠M000100Y43"),
    ],
)
def test_validators_take_ascii_digits_only(validator, value):
    with pytest.raises(ValidationError):
        validator(value)
    validator(value.translate(ARABIC_INDIC))


ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def test_phones_typed_full_width_pass_after_normalising():
    assert normalise_phone("（０５９１）８７６１２６２９") == "059187612629"
    validate_landline(normalise_phone("０５９１－８７６１２６２９"))
    validate_mobile(normalise_phone("１３８ ００１３ ８０００"))


def test_a_uscc_typed_full_width_is_checked_as_its_half_width_form():
    validate_uscc("９１３５０１００ｍ０００１００ｙ４３")
    with pytest.raises(ValidationError, match="校验位不正确"):
        validate_uscc("９１３５０１００Ｍ０００１００Ｙ４４")


def test_unicode_spaces_become_plain_spaces():
    assert normalise_spaces("福州\xa0市\u3000鼓楼区\u2003") == "福州 市 鼓楼区 "
    assert normalise_spaces(40) == 40
