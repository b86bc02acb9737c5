"""Who may manage the yearly calls (django-rules): the province office edits, copies and opens them,
and also reads a call that is neither open nor has applications (next year's draft)."""

from yanxiu.accounts.rules import is_province_officer, permission

permission("calls.manage_calls", is_province_officer, "只有省人社厅经办人可以管理年度通知。")
