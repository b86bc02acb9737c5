"""Who may do what in expert review: small predicates (django-rules)."""

import rules

from yanxiu.accounts.models import Role


@rules.predicate
def is_expert(user):
    return bool(user.is_authenticated and user.is_active and user.role == Role.EXPERT)


@rules.predicate
def is_province_officer(user, obj=None):
    return bool(user.is_authenticated and user.is_province_officer)


@rules.predicate
def is_assigned_expert(user, assignment):
    return bool(is_expert(user) and assignment.expert_id == user.pk)


rules.add_perm("reviews.manage_rounds", is_province_officer)
rules.add_perm("reviews.review_assignment", is_assigned_expert)
