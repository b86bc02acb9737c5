"""Reusable list queries and the reviewers' flags, at a constant number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from yanxiu.calls.enums import Tier
from yanxiu.calls.models import Call
from yanxiu.organisations.models import ProgrammeRecord

from ..enums import ApplicationState
from ..models import Application
from .checks import lacks_training_invoice, missed_completions
from .timing import too_close


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


# What a list row shows and flag() reads: no long texts, no JSON but the submission's warnings.
# The call is shared by the page's rows (share_calls), the authority's and domain's names are
# read as values: no model instance per row but the application and its institution.
LIST_COLUMNS = (
    "call_id",
    "tier",
    "title",
    "title_key",
    "state",
    "start_date",
    "end_date",
    "check_summary",
    "fallback_from_national",
    "authority_rank",
    "institution__name",
    "institution__type",
    "institution__can_issue_training_invoice",
    "institution__authority",
)


def current_call_id(queryset):
    """The latest call (by year) with an application in `queryset`: the lists' default."""
    call = Call.objects.filter(pk__in=queryset.values("call_id")).order_by("-year").only("pk").first()
    return call.pk if call else None


def _stamped_scans():
    """The batches app's scans, reached through the relation (applications may not import batches)."""
    return Application._meta.get_field("stamped_scans").related_model.objects.all()


def in_order(queryset, ids):
    """The rows of `queryset` with these ids, in the order of `ids` (one query)."""
    ids = list(ids)
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def with_flag_data(queryset):
    """Prefetch and annotate what `flag()` reads, so a page of any length costs the same queries."""
    same_institution = Application.objects.filter(
        call=OuterRef("call"), tier=OuterRef("tier"), institution=OuterRef("institution")
    )
    same_title = Application.objects.filter(call=OuterRef("call"), title_key=OuterRef("title_key")).exclude(
        title_key=""
    )
    return (
        queryset.annotate(
            same_institution_count=_count_of(same_institution),
            same_title_count=_count_of(same_title),
            authority_name=F("institution__authority__name"),
            authority_code=F("institution__authority__code"),
            domain_name=F("domain__name"),
        )
        .select_related("institution")
        .only(*LIST_COLUMNS)
        .prefetch_related(
            Prefetch(
                "institution__programme_records",
                queryset=ProgrammeRecord.objects.filter(completed=False).only("institution_id", "year", "completed"),
            ),
            Prefetch("stamped_scans", queryset=_stamped_scans().only("pk", "application_id")),
        )
    )


def share_calls(rows):
    """Give the rows one Call object per call (with its tier rules), read in two queries."""
    calls = Call.objects.filter(pk__in={row.call_id for row in rows}).prefetch_related("tier_rules").in_bulk()
    for row in rows:
        Application.call.field.set_cached_value(row, calls[row.call_id])
    return rows


def flag(application):
    """What the reviewers' lists flag; the institution's flags are the checks' own tests (checks.py)."""
    institution = application.institution
    # A national application that fell back to the provincial tier came in a national
    # batch, which needs no stamped 附件2, and is never resubmitted (附件4 第1条).
    needs_scan = (
        application.tier == Tier.PROVINCIAL
        and application.state == ApplicationState.FORWARDED
        and not application.fallback_from_national
        and not application.stamped_scans.all()
    )
    return Flags(
        warnings=list(application.check_summary or []),
        missing_scan=needs_scan,
        missed_last_year=bool(missed_completions(institution, application.call)),
        enterprise_without_invoice=lacks_training_invoice(institution),
        same_institution_twice=application.same_institution_count > 1,
        similar_title=application.same_title_count > 1,
        too_close=too_close(application),
    )
