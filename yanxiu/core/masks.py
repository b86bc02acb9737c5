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


def mask_person_name(name):
    """林*英, 张*, 欧阳**锋: the first character and (from three characters on) the last stay."""
    name = "".join((name or "").split())
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_organisation_name(name):
    """An organisation's name half hidden: "福建**********公司" (the first two and last two characters)."""
    name = name or ""
    if len(name) <= 4:
        return name[:1] + "*" * (len(name) - 1)
    return name[:2] + "*" * (len(name) - 4) + name[-2:]


def mask_id_number(number):
    """3501**********1234: the first four and the last four stay (shorter numbers are starred whole)."""
    number = number or ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
