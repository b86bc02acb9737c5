"""The working-day calendar at its boundaries: 国庆, 春节, a 调休 Saturday, and a year only the office knows."""

from datetime import date

import pytest

from yanxiu.reference.domain import workdays
from yanxiu.reference.domain.workdays import Period, Unit
from yanxiu.reference.importers import import_file
from yanxiu.reference.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_ten_working_days_after_a_class_ending_before_national_day_skip_the_whole_holiday():
    # Ends Wed 2026-09-23: 24; 25–27 off (中秋); 28, 29, 30; 1–7 Oct off; 8, 9, Sat 10 (调休), 12, 13, 14.
    assert workdays.add(date(2026, 9, 23), 10) == date(2026, 10, 14)
    assert workdays.add(date(2026, 9, 23), 10, Unit.CALENDAR) == date(2026, 10, 3)


def test_a_make_up_saturday_counts_and_an_ordinary_saturday_does_not():
    assert workdays.is_workday(date(2026, 10, 10)) is True  # 国庆 调休 Saturday
    assert workdays.is_workday(date(2026, 10, 17)) is False
    # From Fri 9 Oct: Sat 10 is day one, Mon 12 is day two.
    assert workdays.add(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert workdays.add(date(2026, 10, 9), 2) == date(2026, 10, 12)


def test_a_deadline_across_spring_festival():
    # Ends Thu 2026-02-12: 13 (Fri), 14 (Sat, 调休), then 15–23 off, 24, 25, 26, 27, 28 (Sat, 调休), Mar 2…
    assert workdays.add(date(2026, 2, 12), 1) == date(2026, 2, 13)
    assert workdays.add(date(2026, 2, 12), 2) == date(2026, 2, 14)
    assert workdays.add(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert workdays.add(date(2026, 2, 12), 10) == date(2026, 3, 4)


def test_lateness_counts_working_days_and_a_rest_day_as_the_next_working_day():
    deadline = date(2026, 9, 30)  # Wednesday before the holiday
    assert workdays.late_by(deadline, date(2026, 9, 30)) == 0
    assert workdays.late_by(deadline, date(2026, 10, 1)) == 1  # holiday: counts as Thu 8 Oct, the first working day
    assert workdays.late_by(deadline, date(2026, 10, 8)) == 1
    assert workdays.late_by(deadline, date(2026, 10, 10)) == 3  # 8, 9 and the 调休 Saturday
    assert workdays.late_by(deadline, date(2026, 10, 8), Unit.CALENDAR) == 8


def test_days_left_in_working_days():
    assert workdays.days_left(date(2026, 9, 30), date(2026, 10, 9)) == 2  # 8 and 9 October
    assert workdays.days_left(date(2026, 10, 9), date(2026, 10, 9)) == 0
    assert workdays.days_left(date(2026, 10, 12), date(2026, 10, 9)) == -2  # Sat 10 and Mon 12


def test_a_period_of_working_days_starts_on_its_first_working_day():
    assert workdays.period_end(date(2026, 9, 28), 5) == date(2026, 10, 9)  # Mon: 28, 29, 30, 8, 9
    assert workdays.period_end(date(2026, 10, 3), 5) == date(2026, 10, 13)  # starts Thu 8: 8, 9, 10, 12, 13
    assert workdays.period_end(date(2026, 9, 28), 5, Unit.CALENDAR) == date(2026, 10, 2)


def test_a_year_the_package_does_not_know_counts_weekdays_until_the_office_enters_it():
    assert workdays.is_known(2027) is False
    assert workdays.add(date(2027, 9, 30), 1) == date(2027, 10, 1)  # a Friday, for want of the 2027 notice
    import_file("calendar", _csv("date,workday,name\n2027-10-01,否,国庆节\n2027-10-09,是,国庆节调休上班\n"))
    assert workdays.is_known(2027) is True
    assert workdays.add(date(2027, 9, 30), 1) == date(2027, 10, 4)
    assert workdays.is_workday(date(2027, 10, 9)) is True  # a Saturday the office made a working day
    assert CalendarDay.objects.count() == 2


def test_the_office_entry_overrides_the_package():
    CalendarDay.objects.create(date=date(2026, 12, 31), is_workday=False, name="本地安排")
    assert workdays.add(date(2026, 12, 30), 1) == date(2027, 1, 1)  # 2027: weekdays (Fri 1 Jan)


def test_a_period_says_its_unit():
    assert (str(Period(10)), str(Period(3, Unit.CALENDAR))) == ("10个工作日", "3天")


def _csv(text):
    path = __import__("tempfile").NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
    path.write(text)
    path.close()
    return path.name
