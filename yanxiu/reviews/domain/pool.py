"""Which applications enter a review round.

Kept in this one function on purpose: a later piece of work replaces
"approved by the authority" with "in a batch the authority sent up".
"""

from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application


def applications_in_round(review_round):
    return Application.objects.filter(
        call_id=review_round.call_id,
        tier__in=review_round.tiers,
        state=ApplicationState.AUTHORITY_APPROVED,
    )
