"""Reminders before the closing documents of a programme are due (see notifications.reminders)."""

from django.urls import reverse

from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.notifications.reminders import remind_once, reminder
from yanxiu.reference.domain import workdays

from ..enums import ProgrammeState
from ..models import Programme
from .programmes import closing_deadline, closing_period, host_staff


@reminder
def closing_reminders(days_before):
    """Hosts whose class is over and whose closing documents are due."""
    today, sent = clock.today(), 0
    running = Programme.objects.filter(state=ProgrammeState.PREPARING, end_date__lt=today).select_related(
        "application", "application__call"
    )
    for programme in running:
        due, period = closing_deadline(programme), closing_period(programme)
        left = workdays.days_left(today, due, period.unit)
        if left in days_before:
            sent += remind_once(
                f"closing:{programme.pk}:{left}",
                host_staff(programme),
                f"【项目实施】提醒：“{programme.application}”的结业材料将于{chinese_date(due)}截止提交",
                f"请在{chinese_date(due)}前提交总结报告、学员名册、经费决算、照片和满意度测评（还有{workdays.Period(left, period.unit)}）。",
                reverse("delivery:closing", args=[programme.pk]),
            )
    return sent
