"""Masked forms of personal numbers, for pages, logs and default exports."""


def mask_phone(number):
    """139****0001: the first three and the last four stay (shorter numbers are starred whole)."""
    number = number or ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_email(address):
    """z***@example.com: the first character of the local part and the domain stay."""
    address = address or ""
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return (local[:1] + "***" if local else "***") + "@" + domain


def mask_id_number(number):
    """3501**********1234: the first four and the last four stay (shorter numbers are starred whole)."""
    number = number or ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
