"""Who may rate and who reads the figures (django-rules)."""

import rules

from yanxiu.accounts.rules import is_institution_staff, is_province_officer, permission


@rules.predicate
def is_applicant(user, application):
    """Staff of the institution that applied (the applicant of a provincial form, the host of a national one)."""
    return bool(is_institution_staff(user) and application.institution_id == user.institution_id)


permission("ratings.rate_application", is_applicant, "只有申报单位可以评价本单位已办结的申报。")
permission("ratings.list_own_matters", is_institution_staff, "只有承办单位经办人可以查看本单位可评价的事项。")
permission("ratings.view_figures", is_province_officer, "只有省人社厅经办人可以查看好差评统计。")
