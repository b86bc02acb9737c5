"""Reading ids from a request: malformed values are a Chinese 400 (BadRequest), never a 500."""

from django.core.exceptions import BadRequest


def int_param(value, label="编号"):
    """`value` as a positive int; BadRequest("…不正确") for anything else ("abc", "²", "")."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise BadRequest(f"{label}不正确，未作任何修改。")
    return int(text)


def int_list(values, label="编号"):
    """Every value of a multi-valued field as an int (a single bad one is a BadRequest)."""
    return [int_param(value, label) for value in values]
