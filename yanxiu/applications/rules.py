"""Who may do what with an application: one permission per action, from small predicates (django-rules).

Views ask `user.has_perm("applications.<action>", application)`; templates
`{% has_perm "applications.<action>" user application as can %}`. The
workflow's transitions use the same predicates (domain/workflow.py)."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer, is_institution_staff, is_province_officer


@rules.predicate
def is_host_staff(user, application):
    return bool(is_institution_staff(user) and application.institution_id == user.institution_id)


@rules.predicate
def is_reviewing_authority(user, application):
    return bool(is_authority_reviewer(user) and application.institution.authority_id == user.authority_id)


@rules.predicate
def is_not_in_a_sent_batch(user, application):
    return application.batch_id is None or application.batch.is_editable


@rules.predicate
def is_editable(user, application):
    return application.is_editable


is_reviewing_authority_and_not_batched = is_reviewing_authority & is_not_in_a_sent_batch
may_view = is_host_staff | is_reviewing_authority | is_province_officer
may_edit = is_host_staff & is_editable

rules.add_perm("applications.create_application", is_institution_staff)
rules.add_perm("applications.see_application", may_view)
rules.add_perm("applications.edit_application", may_edit)
rules.add_perm("applications.attach_application", may_edit)
rules.add_perm("applications.list_applications", is_authority_reviewer | is_province_officer)
# one per manual transition (domain/workflow.py); the state and guards are the workflow's
rules.add_perm("applications.submit_application", is_host_staff)
rules.add_perm("applications.withdraw_application", is_host_staff)
rules.add_perm("applications.return_application", is_reviewing_authority)
rules.add_perm("applications.approve_application", is_reviewing_authority)
rules.add_perm("applications.decline_application", is_reviewing_authority)
rules.add_perm("applications.reopen_application", is_reviewing_authority_and_not_batched)
