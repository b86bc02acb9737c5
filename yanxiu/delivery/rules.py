"""Who may do what with a programme (django-rules): one permission per action.

Views ask `has_perm("delivery.<action>", programme)`, templates
`{% has_perm "delivery.<action>" user programme as can %}` (no state checks in
templates: `is_preparing` is part of the rule)."""

import rules

from yanxiu.accounts.rules import has_an_organisation, is_institution_staff, is_province_officer, permission
from yanxiu.applications.rules import is_host_staff

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

# who runs the programme; the state is each domain function's, refused with its reason
permission("delivery.run_programme", is_host, "只有承办单位经办人可以办理本单位的项目。")
# an application's budget and, later, its final accounts (money.save_accounts; the state is the domain's)
permission("delivery.fill_accounts", is_host_staff, "只有承办单位经办人可以填写本单位的经费。")
permission("delivery.list_programmes", has_an_organisation, "您的角色没有要实施的项目。")
permission("delivery.change_arrangements", host_while_preparing, "只有承办单位经办人可以在开班前修改开班安排。")
permission("delivery.publish_enrolment", host_while_preparing, "只有承办单位经办人可以在开班前发布招生通知。")
permission("delivery.view_trainees", sees_trainees, "只有承办单位和省人社厅可以查看学员名单。")
permission("delivery.review_enrolment", host_while_preparing, "只有承办单位经办人可以在开班前审核报名。")
permission("delivery.import_roster", host_while_preparing, "只有承办单位经办人可以在开班前导入名册。")
permission("delivery.record_attendance", host_while_preparing, "只有承办单位经办人可以记录考勤。")
permission("delivery.upload_closing_file", host_while_preparing, "只有承办单位经办人可以在结业前上传结业材料。")
permission("delivery.edit_final_accounts", host_while_preparing, "只有承办单位经办人可以在结业前填写经费决算。")
permission("delivery.issue_certificates", is_host, "只有承办单位经办人可以颁发结业证书。")
permission("delivery.decide_change", is_province_officer, "只有省人社厅经办人可以审批开班安排变更。")
permission("delivery.enter_cost_standards", is_province_officer, "只有省人社厅经办人可以录入培训费标准。")
permission("delivery.change_delivery_settings", is_province_officer, "只有省人社厅经办人可以修改实施与结业设置。")
permission("delivery.submit_closing", host_while_preparing, "只有承办单位经办人可以提交结业材料。")
# the office's decisions on the closing (PROGRAMME_WORKFLOW names them)
permission("delivery.return_closing", is_officer, "只有省人社厅经办人可以退回。")
permission("delivery.confirm_completion", is_officer, "只有省人社厅经办人可以确认完成情况。")
permission("delivery.mark_not_completed", is_officer, "只有省人社厅经办人可以认定完成情况。")
permission("delivery.open_check_in", host_while_preparing, "只有承办单位经办人可以在开班期间开启扫码签到。")
permission("delivery.view_certificate_register", is_province_officer, "只有省人社厅经办人可以查看证书登记簿。")
