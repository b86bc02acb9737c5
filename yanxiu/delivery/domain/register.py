"""The certificate register (结业证书登记簿) of a call: every certificate issued for its
programmes, holder masked, read as values in one query (decision 0027)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from yanxiu.core.masks import mask_person_name

from ..models import Certificate

COLUMNS = {
    "serial": "serial",
    "credit_hours": "credit_hours",
    "issued_at": "issued_at",
    "name": "trainee__name",
    "id_masked": "trainee__id_masked",
    "programme": "trainee__programme__application__title",
    "institution": "trainee__programme__application__institution__name",
    "start_date": "trainee__programme__start_date",
    "end_date": "trainee__programme__end_date",
}


@dataclass(frozen=True)
class RegisterRow:
    serial: str
    holder: str  # masked
    id_masked: str
    programme: str
    institution: str
    start_date: date
    end_date: date
    credit_hours: Decimal
    issued_at: datetime

    @property
    def hours_text(self):
        return Certificate.format_hours(self.credit_hours)


def certificates_of(call):
    """The call's certificates in serial order, as dicts of COLUMNS (a queryset: page it)."""
    return (
        Certificate.objects.filter(trainee__programme__application__call=call)
        .order_by("serial")
        .values(*COLUMNS.values())
    )


def as_rows(values):
    return [
        RegisterRow(
            serial=v["serial"],
            holder=mask_person_name(v["trainee__name"]),
            id_masked=v["trainee__id_masked"],
            programme=v["trainee__programme__application__title"],
            institution=v["trainee__programme__application__institution__name"],
            start_date=v["trainee__programme__start_date"],
            end_date=v["trainee__programme__end_date"],
            credit_hours=v["credit_hours"],
            issued_at=v["issued_at"],
        )
        for v in values
    ]
