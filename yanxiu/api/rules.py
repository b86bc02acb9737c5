"""Who may hold API tokens: those the API serves (their organisation's data, or an expert's).
The three administrators work in the admin site and on the audit page; the API gives them nothing."""

from yanxiu.accounts.rules import has_an_organisation, is_expert, is_institution_staff, is_province_officer, permission

permission("api.hold_tokens", has_an_organisation | is_expert)  # refused with tokens.NO_TOKENS
# a token that outlives the login; the deciding roles' tokens end with it (decision 0019)
permission("api.hold_lasting_tokens", is_institution_staff | is_expert)
# the whole year's data, for the ministry's platform
permission("api.export_call", is_province_officer, "只有省人社厅可以导出整年数据。")
