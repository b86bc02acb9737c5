"""Credit-hour arithmetic, attendance per half-day and who earns a certificate."""

from datetime import date
from decimal import Decimal

import pytest

from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import attendance, programmes

from .helpers import add_trainees, host_of, planned

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("present", "per_day", "hours"),
    [
        (0, 8, Decimal("0")),
        (1, 8, Decimal("4")),
        (7, 8, Decimal("28")),
        (8, 8, Decimal("32")),
        (3, 7, Decimal("10.5")),
        (3, Decimal("7.5"), Decimal("11")),  # 11.25 rounds down to the half hour
    ],
)
def test_credit_hours_are_half_a_days_hours_per_half_day(present, per_day, hours):
    assert attendance.credit_hours(present, per_day) == hours


def test_attendance_decides_hours_and_certificates(clock):
    programme = planned()  # 2026-09-01 to 09-04
    host = host_of(programme)
    first, second = add_trainees(programme, 2)
    from yanxiu.delivery.domain.enrolment import review

    review(programme, [first, second], host, approve=True)
    clock("2026-09-05T09:00:00+08:00")
    slots = attendance.half_days(programme)
    assert len(slots) == 8
    for day, half in slots[:5]:
        attendance.record_attendance(programme, day, half, [first.pk] + ([second.pk] if half == "am" else []), host)
    settings = programmes.settings_for(programme.call)
    assert (settings.credit_hours_per_day, settings.min_attendance_percent) == (Decimal(8), 80)
    summary = {s.trainee.pk: s for s in attendance.summaries(programme)}
    assert (
        summary[first.pk].present,
        summary[first.pk].recorded,
        summary[first.pk].credit_hours,
        summary[first.pk].eligible,
    ) == (5, 5, Decimal("20"), True)
    # second: three mornings of five recorded half-days = 60% < 80%
    assert (summary[second.pk].present, summary[second.pk].credit_hours, summary[second.pk].eligible) == (
        3,
        Decimal("12"),
        False,
    )


def test_attendance_cannot_be_recorded_outside_the_class_or_in_advance(clock):
    programme = planned()
    host = host_of(programme)
    with pytest.raises(Refused, match="不在研修班的日期内"):
        attendance.record_attendance(programme, date(2026, 9, 5), "am", [], host)
    with pytest.raises(Refused, match="不能提前记录考勤"):
        attendance.record_attendance(programme, date(2026, 9, 1), "am", [], host)
