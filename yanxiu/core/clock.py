"""The system's notion of "now".

Every rule that depends on the date (deadlines, days left) asks this module,
never `timezone.now()` directly, so tests and demos can pin the clock.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    fixed = getattr(settings, "YANXIU_FIXED_NOW", "")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    return timezone.now()


def today():
    return timezone.localdate(now())


def days_left(deadline_end, at=None):
    """Whole days from today (or the day of `at`) to the deadline day; negative once it has passed."""
    return (timezone.localdate(deadline_end) - timezone.localdate(at or now())).days
