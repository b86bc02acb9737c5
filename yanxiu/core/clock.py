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
