"""Periodic jobs of this app (run by `manage.py scheduler`, yanxiu.operations)."""

from datetime import time

from yanxiu.operations.domain.schedule import Daily, periodic

from .reminders import send_deadline_reminders


@periodic("deadline_reminders", "截止日期提醒", Daily(time(7, 0)))
def deadline_reminders():
    return f"已发送 {send_deadline_reminders()} 条提醒。"
