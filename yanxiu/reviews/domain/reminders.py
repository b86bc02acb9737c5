"""Reminders before a review round's deadline (see notifications.reminders)."""

from django.urls import reverse

from yanxiu.accounts.models import User
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.notifications.reminders import remind_once, reminder

from ..enums import AssignmentState
from ..models import Assignment, ReviewRound


@reminder
def review_reminders(days_before):
    """Experts with tasks not yet handed in, before the round's deadline."""
    now, sent = clock.now(), 0
    for review_round in ReviewRound.objects.all():
        left = clock.days_left(review_round.deadline_end, now)
        if left not in days_before:
            continue
        pending = (
            Assignment.objects.filter(round=review_round, state=AssignmentState.ASSIGNED)
            .values_list("expert_id", flat=True)
            .distinct()
        )
        for expert_id in pending:
            sent += remind_once(
                f"review:{review_round.pk}:{left}:{expert_id}",
                User.objects.filter(pk=expert_id, is_active=True),
                f"【专家评审】提醒：{review_round.name}将于{chinese_date(review_round.deadline)}截止（还有{left}天）",
                "您还有未提交的评审任务，请在截止前完成评分。",
                reverse("reviews:mine"),
            )
    return sent
