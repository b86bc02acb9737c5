"""An organisation's own slice of the audit trail, for its account administrator (decision 0024).

What its colleagues did, what was done to their accounts (changes, logins, refusals), and what
other apps say belongs to the organisation: apps above accounts `register` a function
(user -> Q over AuditEntry, or None) from their AppConfig.ready, as applications does for the
institution's (or the authority's institutions') applications. The page of the trail asks
`accounts.manage_staff`.
"""

from django.db.models import Q

from yanxiu.audit.models import AuditEntry

_sources = []


def register(source):
    if source not in _sources:
        _sources.append(source)
    return source


def for_organisation(user):
    """The entries about `user`'s organisation, newest first."""
    colleagues = user.colleagues
    about = Q(username__in=colleagues.values("username")) | Q(actor__in=colleagues)
    for source in _sources:
        more = source(user)
        if more is not None:
            about |= more
    return (
        AuditEntry.objects.filter(about)
        .select_related("actor", "actor__institution", "actor__authority")
        .order_by("-created_at", "-id")
    )
