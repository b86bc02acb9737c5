"""Reusable list queries and the reviewers' flags, at a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from yanxiu.calls.enums import Tier
from yanxiu.calls.models import Call, TierRule
from yanxiu.core import compiled
from yanxiu.organisations.enums import InstitutionType
from yanxiu.organisations.models import ProgrammeRecord

from ..enums import ApplicationState
from ..models import Application, ListedLabels
from .checks import lacks_training_invoice, previous_year_of_outer_call
from .timing import start_warning


@dataclass
class Flags:
    warnings: list = field(default_factory=list)
    missing_scan: bool = False
    missed_last_year: bool = False
    enterprise_without_invoice: bool = False
    same_institution_twice: bool = False
    similar_title: bool = False
    too_close: str = ""

    def any(self):
        return bool(
            self.warnings
            or self.too_close
            or self.missing_scan
            or self.missed_last_year
            or self.enterprise_without_invoice
            or self.same_institution_twice
            or self.similar_title
        )


def _count_of(siblings):
    counted = (
        siblings.exclude(state=ApplicationState.DRAFT).order_by().values("call").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def current_call_id(queryset):
    """The latest call (by year) with an application in `queryset`: the lists' default."""
    call = Call.objects.filter(pk__in=queryset.values("call_id")).order_by("-year").only("pk").first()
    return call.pk if call else None


def _stamped_scans():
    """The batches app's scans, reached through the relation (applications may not import batches)."""
    return Application._meta.get_field("stamped_scans").related_model.objects.all()


@dataclass(slots=True, eq=False)  # one row is one application: hashed by identity
class ListRow(ListedLabels):
    """An application as the reviewers' lists show it, read as values in one query: no model
    instance, no prefetch, only the columns the list shows and what flag() reads (issue 13)."""

    pk: int
    year: int
    tier: str
    title: str
    state: str
    start_date: date | None
    end_date: date | None
    check_summary: list
    fallback_from_national: bool
    institution_name: str
    institution_type: str
    can_issue_training_invoice: bool
    training_invoice_confirmed_at: object  # a datetime, or None
    authority_name: str
    domain_name: str | None
    min_lead_days: int | None
    same_institution_count: int
    same_title_count: int
    has_stamped_scan: bool
    missed_last_year: bool
    quality_score: object = None  # the host's quality score (organisations.HostQuality), a Decimal or None
    quality_summary: str | None = None  # and its sources in words

    @property
    def is_enterprise(self):  # what lacks_training_invoice reads of an institution
        return self.institution_type == InstitutionType.ENTERPRISE

    @property
    def training_invoice_confirmed(self):  # as Institution.training_invoice_confirmed
        return self.can_issue_training_invoice and self.training_invoice_confirmed_at is not None

    def get_state_display(self):
        return ApplicationState(self.state).label


def _list_values(queryset):
    same_institution = Application.objects.filter(
        call=OuterRef("call"), tier=OuterRef("tier"), institution=OuterRef("institution")
    )
    same_title = Application.objects.filter(call=OuterRef("call"), title_key=OuterRef("title_key")).exclude(
        title_key=""
    )
    missed = ProgrammeRecord.objects.filter(
        institution=OuterRef("institution"), completed=False, year=previous_year_of_outer_call()
    )
    lead = TierRule.objects.filter(call=OuterRef("call"), tier=OuterRef("tier")).values("min_lead_days")[:1]
    return queryset.values(
        "pk",
        "tier",
        "title",
        "state",
        "start_date",
        "end_date",
        "check_summary",
        "fallback_from_national",
        year=F("call__year"),
        institution_name=F("institution__name"),
        institution_type=F("institution__type"),
        can_issue_training_invoice=F("institution__can_issue_training_invoice"),
        training_invoice_confirmed_at=F("institution__training_invoice_confirmed_at"),
        authority_name=F("institution__authority__name"),
        domain_name=F("domain__name"),
        min_lead_days=Subquery(lead),
        same_institution_count=_count_of(same_institution),
        same_title_count=_count_of(same_title),
        has_stamped_scan=Exists(_stamped_scans().filter(application=OuterRef("pk"))),
        missed_last_year=Exists(missed),
        quality_score=F("institution__quality__score"),
        quality_summary=F("institution__quality__summary"),
    )


def list_rows(queryset):
    """The ListRow of every application of `queryset`, in its order (one query)."""
    return [ListRow(**values) for values in _list_values(queryset)]


def list_rows_in_order(ids):
    """The ListRow of these applications, in the order of `ids` (one query)."""
    ids = list(ids)
    values = compiled.by_ids(
        "applications.list_rows", lambda ids: _list_values(Application.objects.filter(pk__in=ids).order_by()), ids
    )  # compiled once per process: building and compiling this query was a third of the intake's render
    found = {row.pk: row for row in (ListRow(**v) for v in values)}
    return [found[pk] for pk in ids if pk in found]


def flag(row: ListRow, now=None):
    """What the reviewers' lists flag; the institution's flags are the checks' own tests (checks.py)."""
    # A national application that fell back to the provincial tier came in a national
    # batch, which needs no stamped 附件2, and is never resubmitted (附件4 第1条).
    needs_scan = (
        row.tier == Tier.PROVINCIAL
        and row.state == ApplicationState.FORWARDED
        and not row.fallback_from_national
        and not row.has_stamped_scan
    )
    return Flags(
        warnings=list(row.check_summary or []),
        missing_scan=needs_scan,
        missed_last_year=row.missed_last_year,
        enterprise_without_invoice=lacks_training_invoice(row),
        same_institution_twice=row.same_institution_count > 1,
        similar_title=row.same_title_count > 1,
        too_close=start_warning(row.state, row.start_date, row.min_lead_days, now),
    )
