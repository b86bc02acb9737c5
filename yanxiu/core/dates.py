"""Dates as Chinese official documents write them: the one place that spells a date.

Python code calls these functions; templates use the `cn_date` filter (core/templatetags/yanxiu.py).
"""

from datetime import datetime

from django.utils import timezone


def chinese_date(day):
    """2026年1月16日. A datetime is written as its local day; no date gives ""."""
    if not day:
        return ""
    if isinstance(day, datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment, seconds=False):
    """2026年1月16日 14:05 (local time; with `seconds`, 14:05:09). No moment gives ""."""
    if not moment:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{chinese_date(local)} {local:%H:%M:%S}" if seconds else f"{chinese_date(local)} {local:%H:%M}"


def iso_datetime(moment):
    """2026-01-16 14:05 (local time): a moment in a spreadsheet cell. No moment gives ""."""
    if not moment:
        return ""
    return f"{timezone.localtime(moment) if timezone.is_aware(moment) else moment:%Y-%m-%d %H:%M}"


def iso_period(start, end):
    """2026-09-01至2026-09-04: a period in a spreadsheet cell, sortable and unambiguous."""
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"


def chinese_period(start, end):
    """2026年6月15日—6月20日: the year is written once when both days are in it."""
    if not start or not end:
        return chinese_date(start) or chinese_date(end)
    if start == end:
        return chinese_date(start)
    if start.year == end.year:
        return f"{chinese_date(start)}—{end.month}月{end.day}日"
    return f"{chinese_date(start)}—{chinese_date(end)}"


def chinese_deadline(day):
    """2026年1月16日24时: a deadline runs to the end of its day."""
    return f"{chinese_date(day)}24时"
