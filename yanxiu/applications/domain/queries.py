"""Reusable list queries and the reviewers' flags, at a constant number of queries."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from yanxiu.organisations.models import ProgrammeRecord

from ..enums import ApplicationState
from ..models import Application

FILLER = re.compile(r"(高级研修班|高级研修项目|研修班|高研班|专题|培训班|[\s\W_]+)")


def title_key(title):
    """Titles that differ only in filler words and punctuation count as the same."""
    return FILLER.sub("", title or "").lower()


@dataclass
class Flags:
    warnings: list = field(default_factory=list)
    missing_scan: bool = False
    missed_last_year: bool = False
    enterprise_without_invoice: bool = False
    same_institution_twice: bool = False
    similar_title: bool = False

    def any(self):
        return bool(
            self.warnings or self.missing_scan or self.missed_last_year or self.enterprise_without_invoice
            or self.same_institution_twice or self.similar_title
        )


def with_flag_data(queryset):
    """Prefetch what `flag()` reads, so a page of any length costs the same queries."""
    return queryset.select_related("call", "institution", "institution__authority", "domain", "batch").prefetch_related(
        Prefetch("institution__programme_records", queryset=ProgrammeRecord.objects.filter(completed=False)),
        "stamped_scans",
    )


def duplicate_index(calls):
    """Counters of (call, tier, institution) and (call, title key) over every submitted application."""
    rows = Application.objects.filter(call__in=calls).exclude(state=ApplicationState.DRAFT).values_list(
        "call_id", "tier", "institution_id", "title"
    )
    by_institution, by_title = Counter(), Counter()
    for call_id, tier, institution_id, title in rows:
        by_institution[(call_id, tier, institution_id)] += 1
        by_title[(call_id, title_key(title))] += 1
    return by_institution, by_title


def flag(application, index):
    by_institution, by_title = index
    institution = application.institution
    previous_year = application.call.previous_year_for_completion or application.call.year - 1
    needs_scan = (
        application.tier == "provincial"
        and application.state == ApplicationState.FORWARDED
        and not application.stamped_scans.all()
    )
    return Flags(
        warnings=list(application.check_summary or []),
        missing_scan=needs_scan,
        missed_last_year=any(r.year == previous_year for r in institution.programme_records.all()),
        enterprise_without_invoice=institution.is_enterprise and not institution.can_issue_training_invoice,
        same_institution_twice=by_institution[(application.call_id, application.tier, institution.pk)] > 1,
        similar_title=bool(application.title) and by_title[(application.call_id, title_key(application.title))] > 1,
    )
