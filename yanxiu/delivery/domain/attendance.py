"""Attendance per half-day and the credit hours it earns.

A half-day counts once the host has recorded attendance for it. A trainee's
credit hours are half the call's per-day hours for every half-day present;
a certificate needs at least the call's minimum share of the recorded
half-days (DeliverySettings.min_attendance_percent).
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Count, Q

from yanxiu.audit.log import record_change
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused

from ..enums import ATTENDANCE_HALF_DAYS, EnrolmentState
from ..models import Attendance, Trainee
from .programmes import require_host, settings_for


def class_days(programme):
    return [programme.start_date + timedelta(days=n) for n in range(programme.days)]


def half_days(programme):
    return [(d, half.value) for d in class_days(programme) for half in ATTENDANCE_HALF_DAYS]


@transaction.atomic
def record_attendance(programme, day, half_day, present_ids, actor):
    """Record one half-day for every approved trainee: present if listed."""
    require_host(actor, programme)
    _require_recordable(programme, day, half_day)
    trainees = list(Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED))
    present_ids = {int(i) for i in present_ids}
    now = clock.now()
    earlier = Attendance.objects.filter(trainee__programme=programme, date=day, half_day=half_day)
    recorded = dict(earlier.values_list("trainee_id", "present"))
    earlier.delete()
    Attendance.objects.bulk_create(
        Attendance(
            trainee=t, date=day, half_day=half_day, present=t.pk in present_ids, recorded_by=actor, recorded_at=now
        )
        for t in trainees
    )
    # Attendance feeds credit hours and certificates: who marked whom present is kept.
    record_change(
        programme,
        action="record_attendance",
        label="记录考勤",
        actor=actor,
        before={"present": sorted(pk for pk, present in recorded.items() if present)} if recorded else {},
        after={"present": sorted(t.pk for t in trainees if t.pk in present_ids)},
        data={"date": day.isoformat(), "half_day": half_day},
    )
    return sum(1 for t in trainees if t.pk in present_ids)


def _require_recordable(programme, day, half_day):
    if (day, half_day) not in half_days(programme):
        raise Refused(f"{chinese_date(day)}不在研修班的日期内。")
    if day > clock.today():
        raise Refused("不能提前记录考勤。")


@transaction.atomic
def mark_present(programme, day, half_day, trainee, *, recorded_by, actor=None, via="hand"):
    """One trainee present for one half-day: by the host's hand (`actor` the host) or by the
    trainee's own QR check-in (`via="qr"`, no actor; domain/checkin.py has checked the code).
    The half-day becomes recorded: every other approved trainee without a row gets one, absent,
    so the host's list and the credit hours read it like a sheet saved by hand.
    Returns False if the trainee was already present (nothing is written)."""
    if via == "hand":
        require_host(actor, programme)
    _require_recordable(programme, day, half_day)
    if not Trainee.objects.filter(pk=trainee.pk, programme=programme, state=EnrolmentState.APPROVED).exists():
        raise Refused("该学员不是本班录取学员。")
    now = clock.now()
    rows = Attendance.objects.filter(trainee__programme=programme, date=day, half_day=half_day)
    have = set(rows.values_list("trainee_id", flat=True))
    approved = Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).exclude(pk__in=have)
    Attendance.objects.bulk_create(
        [
            Attendance(trainee=t, date=day, half_day=half_day, present=False, recorded_by=recorded_by, recorded_at=now)
            for t in approved
        ],
        ignore_conflicts=True,
    )
    # Conditional on `present=False`: of two scans at once, one writes and the other is told it is done.
    changed = Attendance.objects.filter(trainee=trainee, date=day, half_day=half_day, present=False).update(
        present=True, recorded_by=recorded_by, recorded_at=now
    )
    if not changed:
        return False
    record_change(
        programme,
        action="mark_present",
        label="扫码签到" if via == "qr" else "标记出勤",
        actor=actor,
        before={"present": False},
        after={"present": True},
        data={"trainee": trainee.pk, "date": day.isoformat(), "half_day": half_day, "via": via},
    )
    return True


def present_count(programme, day, half_day):
    return Attendance.objects.filter(trainee__programme=programme, date=day, half_day=half_day, present=True).count()


def credit_hours(present_half_days, hours_per_day):
    """Half a day's hours for every half-day present, rounded down to a half hour (never more than attended)."""
    hours = Decimal(hours_per_day) * Decimal(present_half_days) / 2
    return (hours * 2).quantize(Decimal("1"), rounding=ROUND_DOWN) / 2


@dataclass
class AttendanceSummary:
    trainee: object
    present: int
    recorded: int
    credit_hours: Decimal
    eligible: bool

    @property
    def percent(self):
        return self.present * 100 // self.recorded if self.recorded else 0


def summaries(programme, trainees=None):
    """One AttendanceSummary per approved trainee, in two queries."""
    settings = settings_for(programme.call)
    recorded = Attendance.objects.filter(trainee__programme=programme).values("date", "half_day").distinct().count()
    queryset = (
        trainees if trainees is not None else Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED)
    )
    rows = queryset.annotate(present_count=Count("attendance", filter=Q(attendance__present=True))).order_by("pk")
    result = []
    for t in rows:
        enough = recorded > 0 and t.present_count * 100 >= settings.min_attendance_percent * recorded
        result.append(
            AttendanceSummary(
                t, t.present_count, recorded, credit_hours(t.present_count, settings.credit_hours_per_day), enough
            )
        )
    return result


def sheet(programme, day, half_day):
    """{trainee pk: present} for one half-day (empty if not recorded yet)."""
    return dict(
        Attendance.objects.filter(trainee__programme=programme, date=day, half_day=half_day).values_list(
            "trainee_id", "present"
        )
    )
