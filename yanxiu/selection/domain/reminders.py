"""Reminders before each deadline, sent by a command a scheduler runs daily."""

from django.db import IntegrityError, transaction

from yanxiu.accounts.models import Role, User
from yanxiu.applications.domain.deadlines import days_left
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.notifications.service import notify

from ..models import ReminderSent

REMIND_DAYS_BEFORE = (7, 3, 1)


def _once(key, now):
    """True the first time `key` is seen; the unique key makes it safe to run twice."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, sent_at=now)
        return True
    except IntegrityError:
        return False


def send_deadline_reminders(days_before=REMIND_DAYS_BEFORE):
    """Every reminder due today: submissions, expert reviews, closing documents."""
    return _submission_reminders(days_before) + _review_reminders(days_before) + _closing_reminders(days_before)


def _review_reminders(days_before):
    """Experts with tasks not yet handed in, before the round's deadline."""
    from yanxiu.reviews.enums import AssignmentState
    from yanxiu.reviews.models import Assignment, ReviewRound

    now, sent = clock.now(), 0
    for review_round in ReviewRound.objects.all():
        left = days_left(review_round.deadline_end, now)
        if left not in days_before:
            continue
        pending = (
            Assignment.objects.filter(round=review_round, state=AssignmentState.ASSIGNED)
            .values_list("expert_id", flat=True)
            .distinct()
        )
        for expert_id in pending:
            if _once(f"review:{review_round.pk}:{left}:{expert_id}", now):
                notify(
                    User.objects.filter(pk=expert_id, is_active=True),
                    f"【专家评审】提醒：{review_round.name}将于{chinese_date(review_round.deadline)}截止（还有{left}天）",
                    "您还有未提交的评审任务，请在截止前完成评分。",
                    "/reviews/mine/",
                )
                sent += 1
    return sent


def _closing_reminders(days_before):
    """Hosts whose class is over and whose closing documents are due."""
    from yanxiu.delivery.domain.programmes import closing_deadline, host_staff
    from yanxiu.delivery.enums import ProgrammeState
    from yanxiu.delivery.models import Programme

    now, sent = clock.now(), 0
    for programme in Programme.objects.filter(
        state=ProgrammeState.PREPARING, end_date__lt=clock.today()
    ).select_related("application", "application__call"):
        due = closing_deadline(programme)
        left = (due - clock.today()).days
        if left in days_before and _once(f"closing:{programme.pk}:{left}", now):
            notify(
                host_staff(programme),
                f"【项目实施】提醒：“{programme.application}”的结业材料将于{chinese_date(due)}截止提交",
                f"请在{chinese_date(due)}前提交总结报告、学员名册、经费决算、照片和满意度测评（还有{left}天）。",
                f"/delivery/{programme.pk}/closing/",
            )
            sent += 1
    return sent


def _submission_reminders(days_before):
    now = clock.now()
    sent = 0
    for call in Call.objects.filter(is_open=True).prefetch_related("tier_rules"):
        for rule in call.tier_rules.all():
            left = days_left(rule.deadline_end, now)
            if left not in days_before:
                continue
            label = (
                f"{call.year}年{rule.get_tier_display()}项目申报将于{chinese_date(rule.deadline)}截止（还有{left}天）"
            )
            unfinished = (
                Application.objects.filter(
                    call=call, tier=rule.tier, state__in=[ApplicationState.DRAFT, ApplicationState.RETURNED]
                )
                .values_list("institution_id", flat=True)
                .distinct()
            )
            for institution_id in unfinished:
                if _once(f"{call.year}:{rule.tier}:{left}:institution:{institution_id}", now):
                    users = User.objects.filter(
                        institution_id=institution_id, role=Role.INSTITUTION_STAFF, is_active=True
                    )
                    notify(
                        users,
                        f"【研修申报】提醒：{label}",
                        f"{label}。本单位还有未提交的申报，请尽快完成并提交主管部门。",
                        "/applications/",
                    )
                    sent += 1
            waiting = (
                Application.objects.filter(
                    call=call,
                    tier=rule.tier,
                    state__in=[ApplicationState.SUBMITTED, ApplicationState.AUTHORITY_APPROVED],
                )
                .values_list("institution__authority_id", flat=True)
                .distinct()
            )
            for authority_id in waiting:
                if _once(f"{call.year}:{rule.tier}:{left}:authority:{authority_id}", now):
                    users = User.objects.filter(authority_id=authority_id, role=Role.AUTHORITY_REVIEWER, is_active=True)
                    notify(
                        users,
                        f"【研修申报】提醒：{label}",
                        f"{label}。还有待审核或尚未报送的申报，请及时审核并编制批次报送省人社厅。",
                        "/applications/inbox/",
                    )
                    sent += 1
    return sent
