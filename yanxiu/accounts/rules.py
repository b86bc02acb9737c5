"""The role predicates every app's rules.py composes (django-rules): one definition each.

Each takes (user, obj=None) so it can be combined with object predicates
(`is_host_staff & is_editable`)."""

import rules

EXPERT = "expert"  # Role.EXPERT (models import rules' layer, not the reverse)


@rules.predicate
def is_institution_staff(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.is_institution_staff)


@rules.predicate
def is_authority_reviewer(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.is_authority_reviewer)


@rules.predicate
def is_province_officer(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.is_province_officer)


@rules.predicate
def is_expert(user, obj=None):
    return bool(user.is_authenticated and user.is_active and user.role == EXPERT)


is_authority_or_province = is_authority_reviewer | is_province_officer
has_an_organisation = is_institution_staff | is_authority_reviewer | is_province_officer
