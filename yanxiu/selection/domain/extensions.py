"""Deadline extensions granted by the province office (decision 0009).

An extension is for one institution or one authority and one tier. It may not
run past the call's completion date (a programme applied for later could not
be run). Granting it is audited and announced to everybody it concerns: for an
institution, its staff and its authority's reviewers (whose batch it must pass
through); for an authority, its reviewers and the staff of its institutions.
"""

from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yanxiu.accounts.models import Role, User
from yanxiu.audit.log import record
from yanxiu.calls.enums import Tier
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.notifications.service import notify
from yanxiu.organisations.models import DeadlineExtension


def latest_allowed(call):
    """An extension ends at the latest at the end of the call's completion date."""
    return timezone.make_aware(datetime.combine(call.completion_date, time.max))


def concerned(extension):
    if extension.institution_id:
        return User.objects.filter(
            role=Role.INSTITUTION_STAFF, institution_id=extension.institution_id, is_active=True
        ) | User.objects.filter(
            role=Role.AUTHORITY_REVIEWER, authority_id=extension.institution.authority_id, is_active=True
        )
    return User.objects.filter(
        role=Role.AUTHORITY_REVIEWER, authority_id=extension.authority_id, is_active=True
    ) | User.objects.filter(
        role=Role.INSTITUTION_STAFF, institution__authority_id=extension.authority_id, is_active=True
    )


def grant(*, call, tier, until, reason, actor, institution=None, authority=None):
    if not actor.has_perm("selection.grant_extension"):
        raise Refused("只有省人社厅经办人可以批准延期。")
    if bool(institution) == bool(authority):
        raise Refused("请在承办单位和主管部门中选择且只选择一个。", errors={"institution": "请选择其一。"})
    if tier not in Tier.values:
        raise Refused("级别不正确。", errors={"tier": "级别不正确。"})
    rule = call.tier_rule(tier)
    if until <= rule.deadline_end:
        raise Refused("延期时间应晚于原截止时间。", errors={"until": "延期时间应晚于原截止时间。"})
    if until > latest_allowed(call):
        message = f"延期不能晚于办班完成截止日期{chinese_date(call.completion_date)}（通知二（一））。"
        raise Refused(message, errors={"until": message})
    reason = (reason or "").strip()
    if not reason:
        raise Refused("请填写延期理由。", errors={"reason": "请填写延期理由。"})
    with transaction.atomic():
        extension = DeadlineExtension.objects.create(
            call=call,
            tier=tier,
            institution=institution,
            authority=authority,
            until=until,
            reason=reason[:300],
            granted_by=actor,
        )
        record(extension, action="grant_extension", label="批准延期", actor=actor, reason=extension.reason)
        who = institution.name if institution else authority.name
        local = timezone.localtime(until)
        body = (
            f"省人社厅批准{who}{call.year}年{rule.get_tier_display()}项目延期申报，"
            f"延期至{chinese_date(local.date())}{local:%H:%M}。理由：{extension.reason}"
        )
        if institution:
            body += (
                f"\n该单位在延期内提交并经{institution.authority.name}审核通过的申报，可随主管部门的批次在延期内报送。"
            )
        notify(concerned(extension), f"【研修申报】{who}：延期申报", body, reverse("applications:dashboard"))
    return extension
