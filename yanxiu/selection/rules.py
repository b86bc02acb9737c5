"""Who may select, publish and grant extensions (django-rules)."""

from yanxiu.accounts.rules import is_province_officer, permission

permission("selection.select", is_province_officer, "只有省人社厅经办人可以进行遴选。")
permission("selection.publish", is_province_officer, "只有省人社厅经办人可以发布遴选结果。")
permission("selection.record_ministry_answer", is_province_officer, "只有省人社厅经办人可以登记人社部的结果。")
permission("selection.view_plan", is_province_officer, "只有省人社厅经办人可以查看和填写年度计划。")
permission("selection.grant_extension", is_province_officer, "只有省人社厅经办人可以延长申报期限。")
permission("selection.publicise", is_province_officer, "只有省人社厅经办人可以发布公示。")
permission("selection.record_objection", is_province_officer, "只有省人社厅经办人可以登记和处理公示期间的异议。")
