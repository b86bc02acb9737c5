"""Which applications enter a review round.

Those the authorities have sent to the province in a batch (FORWARDED) for
the round's call and tiers — the same set the province's selection decides
on. An application the authority has approved but not yet sent can still be
reopened by the authority, so it does not enter. A batch the province
returns takes its applications out again; reviews already made stay in the
round's results (see results.py). Kept in this one function on purpose.
"""

from django.db.models import Q

from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application


def in_round(review_round):
    """The condition, as a Q on Application (to combine it in one query without a subquery)."""
    return Q(call_id=review_round.call_id, tier__in=review_round.tiers, state=ApplicationState.FORWARDED)


def applications_in_round(review_round):
    return Application.objects.filter(in_round(review_round))
