"""When an application can still be submitted: the tier's deadline, or a later
window the province office granted the institution or its authority."""

from django.db.models import Max, Q

from yanxiu.organisations.models import DeadlineExtension


def effective_deadline(application):
    rule = application.call.tier_rule(application.tier)
    extended = DeadlineExtension.objects.filter(
        Q(institution_id=application.institution_id) | Q(authority_id=application.institution.authority_id),
        call_id=application.call_id,
        tier=application.tier,
    ).aggregate(until=Max("until"))["until"]
    return max(rule.deadline_end, extended) if extended else rule.deadline_end


def days_left(deadline_end, now):
    """Whole days from today to the deadline day; negative once it has passed."""
    from django.utils import timezone

    return (timezone.localdate(deadline_end) - timezone.localdate(now)).days
