import pytest
from django.core.exceptions import ValidationError

from yanxiu.core.validators import (
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


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "a<b>c", "<?php", "<!-- x -->", "</div>"])
def test_markup_is_refused(text):
    with pytest.raises(ValidationError, match="请勿输入网页代码"):
        validate_plain_text(text)


@pytest.mark.parametrize("text", ["学员≥50人", "a < b", "1<2 且 3>2", "《研修》"])
def test_ordinary_text_with_angle_brackets_is_fine(text):
    validate_plain_text(text)


def test_unicode_spaces_become_plain_spaces():
    assert normalise_spaces("福州\xa0市\u3000鼓楼区\u2003") == "福州 市 鼓楼区 "
    assert normalise_spaces(40) == 40
