"""Who a moved date of the call touches (calls.domain.date_moves asks; registered in apps.ready).

A tier's deadline: institutions with an application of that tier still in their hands or waiting at
their authority, and authorities with one waiting for their review or batch. The completion date:
every institution and authority with an application still alive in the call (programmes included).
"""

from yanxiu.calls.domain.date_moves import Audience, register

from ..enums import EDITABLE_STATES, ApplicationState
from ..models import Application

AT_THE_AUTHORITY = (ApplicationState.SUBMITTED, ApplicationState.AUTHORITY_APPROVED)
ENDED = (ApplicationState.AUTHORITY_DECLINED, ApplicationState.NOT_SELECTED)


@register
def affected(call, moves):
    tiers = {m.tier for m in moves if m.tier}
    whole_call = any(not m.tier for m in moves)
    applications = Application.objects.filter(call=call)
    if whole_call:
        live = applications.exclude(state__in=ENDED)
    else:
        live = applications.filter(tier__in=tiers, state__in=(*EDITABLE_STATES, *AT_THE_AUTHORITY))
    rows = live.values_list("institution_id", "institution__authority_id", "state").distinct()
    who = Audience()
    for institution, authority, state in rows:
        who.institutions.add(institution)
        if whole_call or state in AT_THE_AUTHORITY:
            who.authorities.add(authority)
    return who
