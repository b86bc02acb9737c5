"""Who may confirm an institution's declarations (django-rules)."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer


@rules.predicate
def is_its_authority(user, institution):
    return bool(is_authority_reviewer(user) and institution.authority_id == user.authority_id)


rules.add_perm("organisations.list_institutions", is_authority_reviewer)
rules.add_perm("organisations.confirm_training_invoice", is_its_authority)


@rules.predicate
def is_registrations_authority(user, registration):
    return bool(is_authority_reviewer(user) and registration.institution.authority_id == user.authority_id)


# An institution's own registration is decided by the authority it chose (decision 0023).
rules.add_perm("organisations.decide_registration", is_registrations_authority)


@rules.predicate
def is_registrations_administrator(user, registration):
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_org_admin
        and user.institution_id is not None
        and registration.institution_id == user.institution_id
    )


# A refused registration is sent again by the institution's administrator (decision 0023).
rules.add_perm("organisations.resubmit_registration", is_registrations_administrator)
