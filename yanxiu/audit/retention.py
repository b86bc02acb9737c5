"""Retention of the audit trail (GB/T 22239-2019 8.1.4.3 d: 审计记录保护，留存不少于六个月)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from .models import AuditEntry

MINIMUM_DAYS = 180  # the legal floor; YANXIU_AUDIT_RETENTION_DAYS may only raise it


def retention_days():
    return max(MINIMUM_DAYS, int(getattr(settings, "YANXIU_AUDIT_RETENTION_DAYS", MINIMUM_DAYS)))


def earliest_purgeable_cutoff():
    """Entries strictly older than this moment may be purged."""
    return clock.now() - timedelta(days=retention_days())


def purge_before(cutoff):
    """Delete the entries older than `cutoff`; refuse a cutoff inside the retention period."""
    limit = earliest_purgeable_cutoff()
    if cutoff > limit:
        raise Refused(
            f"操作记录至少保留 {retention_days()} 天：只能清除 {limit:%Y-%m-%d %H:%M} 之前的记录。",
            code="audit_retention",
        )
    with transaction.atomic():
        count, _ = AuditEntry.objects.filter(created_at__lt=cutoff)._purge()
    return count
