"""Who may do what in expert review: small predicates (django-rules)."""

import rules

from yanxiu.accounts.rules import is_expert, is_institution_staff, is_province_officer


@rules.predicate
def is_assigned_expert(user, assignment):
    return bool(is_expert(user) and assignment.expert_id == user.pk)


rules.add_perm("reviews.manage_rounds", is_province_officer)
rules.add_perm("reviews.review_assignment", is_assigned_expert)
rules.add_perm("reviews.declare_conflict", is_assigned_expert)
# The expert pool (专家库): the records, contacts, import/export, and matching applicants' avoidance requests.
rules.add_perm("reviews.manage_expert_pool", is_province_officer)

__all__ = ["is_assigned_expert", "is_expert", "is_institution_staff", "is_province_officer"]
