"""Who may do what with an application: one permission per action, from small predicates (django-rules).

Views ask `user.has_perm("applications.<action>", application)`; templates
`{% has_perm "applications.<action>" user application as can %}`. Each workflow
transition names its permission (domain/workflow.py), which the engine asks."""

import rules

from yanxiu.accounts.rules import is_authority_reviewer, is_institution_staff, is_province_officer, permission


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

permission("applications.create_application", is_institution_staff, "只有承办单位经办人可以新建申报。")
permission("applications.see_application", may_view)
permission("applications.edit_application", may_edit, "只有本单位经办人可以修改草稿或退回修改的申报。")
# the host's editor (fields, tables, attachments); the state is the editor's, refused with its reason
permission("applications.use_editor", is_host_staff, "只有承办单位经办人可以修改申报。")
# a national application fallen back to provincial: dates and recruitment (the state is the domain's)
permission("applications.adjust_after_fallback", is_host_staff, "只有承办单位经办人可以调整本单位的申报。")
permission(
    "applications.list_applications",
    is_authority_reviewer | is_province_officer,
    "您的角色没有可查看的申报列表。",
)
# the province's intake: every authority's applications, with the authority column and filter
permission("applications.list_every_authority", is_province_officer)
# one per transition (domain/workflow.py names it; yanxiu/workflow.py asks it); the state and guards are the workflow's
permission("applications.submit_application", is_host_staff, "只有承办单位经办人可以提交本单位的申报。")
permission("applications.withdraw_application", is_host_staff, "只有承办单位经办人可以撤回本单位的申报。")
permission("applications.return_application", is_reviewing_authority, "只有该单位的主管部门可以退回。")
permission("applications.approve_application", is_reviewing_authority, "只有该单位的主管部门可以审核。")
permission("applications.decline_application", is_reviewing_authority, "只有该单位的主管部门可以审核。")
permission(
    "applications.reopen_application",
    is_reviewing_authority_and_not_batched,
    "只有该单位的主管部门可以撤销，且申报不在已报送的批次中。",
)
# done through another object's operation (Transition.via): the batch, the publication, the ministry's answer
permission("applications.forward_application", is_reviewing_authority, "只有该单位的主管部门可以报送。")
permission("applications.recall_application", is_province_officer, "只有省人社厅可以退回批次。")
permission("applications.decide_application", is_province_officer, "只有省人社厅可以作出遴选决定。")
permission("applications.record_ministry_answer", is_province_officer, "只有省人社厅可以登记人社部的结果。")
