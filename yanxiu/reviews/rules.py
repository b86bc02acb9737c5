"""Who may do what in expert review: small predicates (django-rules)."""

import rules

from yanxiu.accounts.rules import is_expert, is_institution_staff, is_province_officer, permission
from yanxiu.applications.rules import is_editable, is_host_staff


@rules.predicate
def is_assigned_expert(user, assignment):
    return bool(is_expert(user) and assignment.expert_id == user.pk)


permission("reviews.manage_rounds", is_province_officer, "只有省人社厅经办人可以管理专家评审。")
permission("reviews.review_assignment", is_assigned_expert, "您不是该申报的评审专家。")
permission("reviews.declare_conflict", is_assigned_expert, "您不是该申报的评审专家。")
# The expert pool (专家库): the records, contacts, import/export, and matching applicants' avoidance requests.
permission("reviews.manage_expert_pool", is_province_officer, "只有省人社厅经办人可以管理专家库。")
# An expert's own tasks; an applicant's avoidance request (附件: up to two experts) on its own editable application.
permission("reviews.list_tasks", is_expert, "只有评审专家可以查看评审任务。")
permission("reviews.see_avoidance_requests", is_host_staff, "只有承办单位经办人可以为本单位的申报申请回避专家。")
permission(
    "reviews.request_avoidance",
    is_host_staff & is_editable,
    "只有承办单位经办人可以在申报为草稿或退回修改时提出回避专家。",
)

__all__ = ["is_assigned_expert", "is_expert", "is_institution_staff", "is_province_officer"]
