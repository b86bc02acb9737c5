"""Working days (工作日): the one calendar every deadline stated in working days counts on.

A day is a working day by, in this order:
1. the office's own entry (`CalendarDay`, editable in `/admin/` or by `import_reference calendar`);
2. the `chinese-calendar` package's data (statutory holidays and 调休 from the State Council's yearly
   notice; a new release each year, pinned in requirements);
3. for a year neither knows: Monday to Friday (`is_known(year)` says so, and pages warn).

Periods are counted with a unit per call (`Unit.WORKING` by default, or `Unit.CALENDAR`):
`add(start, n)` is the n-th working day after `start` (start not counted); `period_end(start, n)` the
last day of a period of n working days that starts on `start` (counted when it is a working day);
`late_by(deadline, day)` how many working days `day` is past `deadline` (a rest day counts as the
working day that follows it).
"""

from dataclasses import dataclass
from datetime import timedelta

import chinese_calendar
from chinese_calendar.constants import holidays as _package_holidays
from django.db import models

from ..models import CalendarDay

PACKAGE_YEARS = range(min(_package_holidays).year, max(_package_holidays).year + 1)
# A period of n working days never spans more than this many calendar days (the longest break is
# 春节's 9 days); reading the office's entries for this window is one query per count.
_WINDOW = 31


class Unit(models.TextChoices):
    WORKING = "working", "工作日"
    CALENDAR = "calendar", "自然日"


@dataclass(frozen=True)
class Period:
    """A number of days in a unit: `Period(10)` is 10 working days."""

    days: int
    unit: str = Unit.WORKING

    def __str__(self):
        return f"{self.days}{'个工作日' if self.unit == Unit.WORKING else '天'}"


def is_known(year):
    """Whether the year's holidays are known (the package's or the office's entries)."""
    return year in PACKAGE_YEARS or CalendarDay.objects.filter(date__year=year, is_workday=False).exists()


class _Calendar:
    """The office's entries over [first, last], read once; the package and weekdays beyond them."""

    def __init__(self, first, last):
        self.entries = dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_workday"))

    def is_workday(self, day):
        if day in self.entries:
            return self.entries[day]
        if day.year in PACKAGE_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5


def is_workday(day):
    return _Calendar(day, day).is_workday(day)


def add(start, days, unit=Unit.WORKING):
    """The day `days` working (or calendar) days after `start`; `start` itself is not counted."""
    if unit == Unit.CALENDAR:
        return start + timedelta(days=days)
    calendar = _Calendar(start, start + timedelta(days=days * 2 + _WINDOW))
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += calendar.is_workday(day)
    return day


def next_workday(day, calendar=None):
    """`day` if it is a working day, else the first working day after it."""
    calendar = calendar or _Calendar(day, day + timedelta(days=_WINDOW))
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def period_end(start, days, unit=Unit.WORKING):
    """The last day of a period of `days` that starts on `start` (公示期: the start day is day one when it
    is a working day; on a rest day the period starts with the next working day)."""
    if unit == Unit.CALENDAR:
        return start + timedelta(days=days - 1)
    calendar = _Calendar(start, start + timedelta(days=days * 2 + _WINDOW))
    return add(next_workday(start, calendar) - timedelta(days=1), days, unit)


def late_by(deadline, day, unit=Unit.WORKING):
    """How many days `day` is past `deadline` (0 when not past). In working days, a day past the
    deadline that is a rest day counts as the working day after it, so it is never late by 0."""
    if day <= deadline:
        return 0
    if unit == Unit.CALENDAR:
        return (day - deadline).days
    calendar = _Calendar(deadline, day + timedelta(days=_WINDOW))
    last = next_workday(day, calendar)
    count, current = 0, deadline
    while current < last:
        current += timedelta(days=1)
        count += calendar.is_workday(current)
    return count


def days_left(today, deadline, unit=Unit.WORKING):
    """Days from `today` to `deadline` (0 on the deadline day; negative once past)."""
    if today > deadline:
        return -late_by(deadline, today, unit)
    if unit == Unit.CALENDAR:
        return (deadline - today).days
    calendar = _Calendar(today, deadline)
    return sum(calendar.is_workday(today + timedelta(days=i + 1)) for i in range((deadline - today).days))
