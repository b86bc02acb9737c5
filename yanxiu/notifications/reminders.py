"""Reminders before a deadline, sent by `manage.py send_deadline_reminders` (run daily; safe to rerun).

Each app keeps the reminders for its own deadlines in `<app>/domain/reminders.py`: functions
taking the days before a deadline on which to remind, registered with `@reminder` and returning
how many reminders they sent. `send_deadline_reminders()` finds those modules (as the admin finds
`admin.py`) and runs them all. `remind_once` sends a reminder the first time its key is seen.
"""

from django.db import IntegrityError, transaction
from django.utils.module_loading import autodiscover_modules

from yanxiu.core import clock

from .models import ReminderSent
from .service import notify

REMIND_DAYS_BEFORE = (7, 3, 1)

REMINDERS = []


def reminder(func):
    """Register `func(days_before) -> number sent` with the daily reminders."""
    REMINDERS.append(func)
    return func


def remind_once(key, recipients, subject, body, link=""):
    """Notify `recipients` unless a reminder with `key` was already sent; True if sent.

    The unique key makes it safe to run the command twice the same day."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, sent_at=clock.now())
    except IntegrityError:
        return False
    notify(recipients, subject, body, link)
    return True


def send_deadline_reminders(days_before=REMIND_DAYS_BEFORE):
    """Every reminder due today, from every app; returns how many were sent."""
    autodiscover_modules("domain.reminders")
    return sum(func(days_before) for func in REMINDERS)
