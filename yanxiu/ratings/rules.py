"""Who may rate and who reads the figures (django-rules)."""

import rules

from yanxiu.accounts.rules import is_institution_staff, is_province_officer


@rules.predicate
def is_applicant(user, application):
    """Staff of the institution that applied (the applicant of a provincial form, the host of a national one)."""
    return bool(is_institution_staff(user) and application.institution_id == user.institution_id)


rules.add_perm("ratings.rate_application", is_applicant)
rules.add_perm("ratings.list_own_matters", is_institution_staff)
rules.add_perm("ratings.view_figures", is_province_officer)
