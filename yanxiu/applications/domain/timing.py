"""How close a programme is to its start, for the authority and the province.

An application whose start is nearer than the tier's `min_lead_days` (call data)
would be hard to select, announce and enrol in time: reviewers see it on the
application and in their lists. It never blocks anything (decision 0009).
"""

from django.utils import timezone

from yanxiu.core import clock
from yanxiu.core.dates import chinese_date

from ..enums import ApplicationState

# Once planned or closed, the start date is the programme's business, not the reviewers'.
REVIEWED_STATES = {
    ApplicationState.SUBMITTED,
    ApplicationState.AUTHORITY_APPROVED,
    ApplicationState.FORWARDED,
    ApplicationState.NATIONAL_CANDIDATE,
}


def too_close(application, now=None):
    """A Chinese sentence when the programme would start too soon to run, else ''."""
    if application.state not in REVIEWED_STATES or not application.start_date:
        return ""
    lead = application.call.tier_rule(application.tier).min_lead_days
    return start_warning(application.state, application.start_date, lead, now)


def start_warning(state, start_date, lead_days, now=None):
    """too_close() of these facts (the lists read them as values): the sentence, or ''."""
    if state not in REVIEWED_STATES or not start_date:
        return ""
    days = (start_date - timezone.localdate(now or clock.now())).days
    start = chinese_date(start_date)
    if days <= 0:
        return f"开班日期{start}已到或已过，按申报时间已无法办班。"
    if lead_days is not None and days < lead_days:
        return f"距开班日期{start}仅剩{days}天（本通知要求至少留出{lead_days}天），遴选、招生和准备时间紧张。"
    return ""
