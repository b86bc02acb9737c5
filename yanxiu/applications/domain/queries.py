"""Reusable list queries and the reviewers' flags, at a constant number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from yanxiu.organisations.models import ProgrammeRecord

from ..enums import ApplicationState
from ..models import Application
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


def with_flag_data(queryset):
    """Prefetch and annotate what `flag()` reads, so a page of any length costs the same queries."""
    same_institution = Application.objects.filter(
        call=OuterRef("call"), tier=OuterRef("tier"), institution=OuterRef("institution")
    )
    same_title = Application.objects.filter(call=OuterRef("call"), title_key=OuterRef("title_key")).exclude(
        title_key=""
    )
    return (
        queryset.annotate(same_institution_count=_count_of(same_institution), same_title_count=_count_of(same_title))
        .select_related("call", "institution", "institution__authority", "domain", "batch")
        .prefetch_related(
            "call__tier_rules",
            Prefetch("institution__programme_records", queryset=ProgrammeRecord.objects.filter(completed=False)),
            "stamped_scans",
        )
    )


def flag(application):
    institution = application.institution
    previous_year = application.call.previous_year_for_completion or application.call.year - 1
    # A national application that fell back to the provincial tier came in a national
    # batch, which needs no stamped 附件2, and is never resubmitted (附件4 第1条).
    needs_scan = (
        application.tier == "provincial"
        and application.state == ApplicationState.FORWARDED
        and not application.fallback_from_national
        and not application.stamped_scans.all()
    )
    return Flags(
        warnings=list(application.check_summary or []),
        missing_scan=needs_scan,
        missed_last_year=any(r.year == previous_year for r in institution.programme_records.all()),
        enterprise_without_invoice=institution.is_enterprise and not institution.can_issue_training_invoice,
        same_institution_twice=application.same_institution_count > 1,
        similar_title=application.same_title_count > 1,
        too_close=too_close(application),
    )
