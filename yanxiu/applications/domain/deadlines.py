"""When an application can still be submitted: the tier's deadline, or a later
window the province office granted the institution or its authority."""

from django.db.models import Max, Q

from yanxiu.organisations.models import DeadlineExtension


def _extended(rule, until):
    """The rule's deadline, or the extension's end when that is later."""
    return max(rule.deadline_end, until) if until else rule.deadline_end


def _extensions_of(institution):
    return DeadlineExtension.objects.filter(Q(institution_id=institution.pk) | Q(authority_id=institution.authority_id))


def deadlines_for(rules, institution):
    """{(call id, tier): deadline_for(call, tier, institution)} for these tier rules, with one
    query for the extensions: the dashboard's."""
    extended = {
        (row["call_id"], row["tier"]): row["until"]
        for row in _extensions_of(institution)
        .filter(call_id__in={rule.call_id for rule in rules})
        .values("call_id", "tier")
        .annotate(until=Max("until"))
        .order_by()
    }
    return {(rule.call_id, rule.tier): _extended(rule, extended.get((rule.call_id, rule.tier))) for rule in rules}


def deadline_for(call, tier, institution):
    extended = _extensions_of(institution).filter(call_id=call.pk, tier=tier).aggregate(until=Max("until"))["until"]
    return _extended(call.tier_rule(tier), extended)


def effective_deadline(application):
    return deadline_for(application.call, application.tier, application.institution)


def authority_deadline(call, tier, authority):
    """The tier's deadline for an authority's batch, with the authority's own extension."""
    extended = DeadlineExtension.objects.filter(authority_id=authority.pk, call_id=call.pk, tier=tier).aggregate(
        until=Max("until")
    )["until"]
    return _extended(call.tier_rule(tier), extended)


def batch_deadline(call, tier, authority, institutions):
    """When an authority's batch can still be sent: its own deadline, or later while every
    member's institution still has an extension open. An extension granted to an institution
    carries its applications through its authority's batch (decision 0009)."""
    own = authority_deadline(call, tier, authority)
    institutions = list(institutions)
    if not institutions:
        return own
    return max(own, min(deadline_for(call, tier, institution) for institution in institutions))
