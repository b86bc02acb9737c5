"""Reminders before the submission deadline of each tier (see notifications.reminders)."""

from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.notifications.reminders import remind_once, reminder

from ..enums import EDITABLE_STATES, ApplicationState
from ..models import Application

WAITING_FOR_AUTHORITY = (ApplicationState.SUBMITTED, ApplicationState.AUTHORITY_APPROVED)


@reminder
def submission_reminders(days_before):
    """Institutions with unsubmitted applications, and authorities with applications to review
    or to send up, before each tier's deadline of an open call."""
    now, sent = clock.now(), 0
    for call in Call.objects.filter(is_open=True).prefetch_related("tier_rules"):
        for rule in call.tier_rules.all():
            left = clock.days_left(rule.deadline_end, now)
            if left not in days_before:
                continue
            label = (
                f"{call.year}年{rule.get_tier_display()}项目申报将于{chinese_date(rule.deadline)}截止（还有{left}天）"
            )
            of_tier = Application.objects.filter(call=call, tier=rule.tier)
            unfinished = of_tier.filter(state__in=EDITABLE_STATES).values_list("institution_id", flat=True).distinct()
            for institution_id in unfinished:
                sent += remind_once(
                    f"{call.year}:{rule.tier}:{left}:institution:{institution_id}",
                    User.objects.filter(institution_id=institution_id, role=Role.INSTITUTION_STAFF, is_active=True),
                    f"【研修申报】提醒：{label}",
                    f"{label}。本单位还有未提交的申报，请尽快完成并提交主管部门。",
                    reverse("applications:dashboard"),
                )
            waiting = (
                of_tier.filter(state__in=WAITING_FOR_AUTHORITY)
                .values_list("institution__authority_id", flat=True)
                .distinct()
            )
            for authority_id in waiting:
                sent += remind_once(
                    f"{call.year}:{rule.tier}:{left}:authority:{authority_id}",
                    User.objects.filter(authority_id=authority_id, role=Role.AUTHORITY_REVIEWER, is_active=True),
                    f"【研修申报】提醒：{label}",
                    f"{label}。还有待审核或尚未报送的申报，请及时审核并编制批次报送省人社厅。",
                    reverse("applications:inbox"),
                )
    return sent
