"""The call's rules in the notice's own words, for institutions (dashboard, editor, notice page).

Every sentence is read from the Call and its TierRule: next year's call says next year's rules.
"""

from yanxiu.core.dates import chinese_date, chinese_deadline


def tier_rule_lines(rule, topic_areas=()):
    """[(label, text)] for one tier of a call, in the order an institution plans a class."""
    call = rule.call
    strict_days = "（硬性要求）" if rule.duration_is_strict else ""
    lines = [
        ("申报表", f"{rule.form_label}《{rule.form_title}》"),
        ("申报截止", chinese_deadline(rule.deadline)),
        ("研修天数", f"{rule.duration_wording}（含报到、返程，{rule.min_days}至{rule.max_days}天）{strict_days}"),
        ("学员人数", rule.trainees_wording),
        ("招收范围", rule.get_recruitment_scope_display()),
        ("办班时间", f"应在{chinese_date(call.completion_date)}之前完成办班"),
    ]
    if topic_areas:
        lines.append(("选题范围", "、".join(area.name for area in topic_areas) + "（至少符合一项）"))
    if rule.authority_quota:
        lines.append(("限报数量", f"每个主管部门限报{rule.authority_quota}项"))
    return lines


def contact_line(call):
    parts = [call.office_name]
    if call.contact_persons:
        parts.append(f"联系人：{call.contact_persons}")
    if call.contact_phones:
        parts.append(f"电话：{call.contact_phones}")
    if call.office_email:
        parts.append(f"邮箱：{call.office_email}")
    return "，".join(parts)
