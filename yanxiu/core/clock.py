"""The system's notion of "now".

Every rule that depends on the date (deadlines, days left) asks this module,
never `timezone.now()` directly, so that tests and the demo can set the clock:
`settings.YANXIU_FIXED_NOW` pins it for a whole process (tests, a demo server),
and `frozen_at(moment)` sets it for a block of code (the demo data walks through
a year of the call that way).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("yanxiu_frozen_now", default=None)


def _aware(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def now() -> datetime:
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    fixed = getattr(settings, "YANXIU_FIXED_NOW", "")
    if fixed:
        return _aware(fixed)
    return timezone.now()


def today():
    return timezone.localdate(now())


@contextmanager
def frozen_at(moment):
    """Within the block, `now()` is `moment` (a datetime or ISO 8601 text; naive means
    local time). Blocks nest; leaving one gives back the clock as it was."""
    token = _frozen.set(_aware(moment))
    try:
        yield
    finally:
        _frozen.reset(token)


def days_left(deadline_end, at=None):
    """Whole days from today (or the day of `at`) to the deadline day; negative once it has passed."""
    return (timezone.localdate(deadline_end) - timezone.localdate(at or now())).days


def wall_now() -> datetime:
    """The real time, for sessions and credentials (idle logout, password age).

    The business clock above may be pinned to a date (demos, tests); a session
    must still end after 30 real minutes. Tests freeze this one with the
    `wall_clock` fixture.
    """
    return timezone.now()
