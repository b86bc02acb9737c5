import pytest
from django.core.exceptions import ValidationError

from yanxiu.delivery.domain.ids import id_with_check, mask, validate_id_number

# A published sample number (GB 11643 example): check character X.
SAMPLE = "11010519491231002X"


def test_the_check_character_follows_gb_11643():
    assert id_with_check(SAMPLE[:17]) == SAMPLE
    assert validate_id_number(" 11010519491231002x ") == SAMPLE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11010519491231002", "身份证号应为18位。"),
        ("1101051949123100AX", "身份证号前17位应为数字，最后一位为数字或X。"),
        ("110105194902300021", "身份证号中的出生日期不正确。"),
        ("110105194912310021", "身份证号校验位不正确，请核对。"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(value, message):
    with pytest.raises(ValidationError) as refusal:
        validate_id_number(value)
    assert refusal.value.messages == [message]


def test_masking_keeps_the_first_and_last_four():
    assert mask("350102198001011234") == "3501**********1234"
    assert mask(SAMPLE) == "1101**********002X"


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_a_number_typed_full_width_is_the_half_width_number():
    """Chinese input methods type ０-９ and Ｘ: the number is stored as the half-width one (decision 0017)."""
    assert validate_id_number(SAMPLE.translate(FULL_WIDTH)) == SAMPLE
    assert validate_id_number("１１０１０５１９４９１２３１００２ｘ") == SAMPLE


def test_a_full_width_number_gets_the_message_for_its_half_width_form():
    """Before, "\\d" let full-width digits through to a wrong check-digit message."""
    with pytest.raises(ValidationError) as refusal:
        validate_id_number("110105194912310021".translate(FULL_WIDTH))
    assert refusal.value.messages == ["身份证号校验位不正确，请核对。"]


def test_other_unicode_digits_are_not_id_digits():
    with pytest.raises(ValidationError) as refusal:
        validate_id_number("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X")  # Arabic-Indic digits: `\d` matched them
    assert refusal.value.messages == ["身份证号前17位应为数字，最后一位为数字或X。"]
