"""Who may do what with an application: small predicates (django-rules)."""

import rules


@rules.predicate
def is_host_staff(user, application):
    return bool(
        user.is_authenticated and user.is_institution_staff and application.institution_id == user.institution_id
    )


@rules.predicate
def is_reviewing_authority(user, application):
    return bool(
        user.is_authenticated
        and user.is_authority_reviewer
        and application.institution.authority_id == user.authority_id
    )


@rules.predicate
def is_not_in_a_sent_batch(user, application):
    return application.batch_id is None or application.batch.is_editable


is_reviewing_authority_and_not_batched = is_reviewing_authority & is_not_in_a_sent_batch


@rules.predicate
def is_province_officer(user, application=None):
    return bool(user.is_authenticated and user.is_province_officer)


@rules.predicate
def is_editable(user, application):
    return application.is_editable


rules.add_perm("applications.view_application", is_host_staff | is_reviewing_authority | is_province_officer)
rules.add_perm("applications.edit_application", is_host_staff & is_editable)
