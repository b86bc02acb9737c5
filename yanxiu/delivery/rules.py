"""Who may do what with a programme (django-rules): one permission per action.

Views ask `has_perm("delivery.<action>", programme)`, templates
`{% has_perm "delivery.<action>" user programme as can %}` (no state checks in
templates: `is_preparing` is part of the rule)."""

import rules

from yanxiu.accounts.rules import has_an_organisation, is_institution_staff, is_province_officer

from .enums import ProgrammeState


@rules.predicate
def is_host(user, programme):
    return bool(is_institution_staff(user) and programme.application.institution_id == user.institution_id)


@rules.predicate
def is_preparing(user, programme):
    return programme.state == ProgrammeState.PREPARING


is_officer = is_province_officer
sees_trainees = is_host | is_province_officer  # whole ID numbers, logged (domain/personal_data.py)
host_while_preparing = is_host & is_preparing

rules.add_perm("delivery.list_programmes", has_an_organisation)
rules.add_perm("delivery.change_arrangements", host_while_preparing)
rules.add_perm("delivery.publish_enrolment", host_while_preparing)
rules.add_perm("delivery.view_trainees", sees_trainees)
rules.add_perm("delivery.review_enrolment", host_while_preparing)
rules.add_perm("delivery.import_roster", host_while_preparing)
rules.add_perm("delivery.record_attendance", host_while_preparing)
rules.add_perm("delivery.open_check_in", host_while_preparing)
rules.add_perm("delivery.upload_closing_file", host_while_preparing)
rules.add_perm("delivery.edit_final_accounts", host_while_preparing)
rules.add_perm("delivery.issue_certificates", is_host)
rules.add_perm("delivery.decide_change", is_province_officer)
rules.add_perm("delivery.view_certificate_register", is_province_officer)
rules.add_perm("delivery.enter_cost_standards", is_province_officer)
rules.add_perm("delivery.change_delivery_settings", is_province_officer)
rules.add_perm("delivery.submit_closing", host_while_preparing)
