"""Arrangements and changes, closing, the office's decision, the overdue flag
and the record next year's rule reads."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests import factories
from yanxiu.applications.domain import editing
from yanxiu.applications.domain.checks import run_checks
from yanxiu.calls.domain.calls import copy_call
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import attendance, closing, enrolment, money, programmes
from yanxiu.delivery.models import Programme, ProgrammeChange
from yanxiu.organisations.models import ProgrammeRecord

from .helpers import add_trainees, host_of, planned

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def test_every_planned_application_gets_one_run_record():
    programme = planned()
    assert (programme.start_date, programme.end_date, programme.venue, programme.capacity) == (
        date(2026, 9, 1),
        date(2026, 9, 4),
        "福州市 福州市会议中心",
        40,
    )
    assert programmes.ensure_programmes() == 0


def test_changing_dates_needs_the_offices_approval_with_history():
    programme = planned()
    host, officer = host_of(programme), factories.province_officer()
    args = {
        "start_date": date(2026, 9, 8),
        "end_date": date(2026, 9, 11),
        "venue": programme.venue,
        "schedule": "",
        "experts": "",
        "capacity": 40,
    }
    with pytest.raises(Refused, match="须填写变更理由"):
        programmes.confirm_arrangements(programme, host, **args)
    change = programmes.confirm_arrangements(programme, host, reason="专家时间冲突", **args)
    assert change.changes == {"start_date": ["2026-09-01", "2026-09-08"], "end_date": ["2026-09-04", "2026-09-11"]}
    assert Programme.objects.get(pk=programme.pk).start_date == date(2026, 9, 1)  # not before approval
    with pytest.raises(Refused, match="只有省人社厅"):
        programmes.decide_change(change, host, approve=True)
    programmes.decide_change(change, officer, approve=True, note="同意")
    programme.refresh_from_db()
    assert (programme.start_date, programme.end_date) == (date(2026, 9, 8), date(2026, 9, 11))
    assert list(ProgrammeChange.objects.values_list("state", flat=True)) == ["approved"]


def test_the_class_must_end_by_the_calls_completion_date():
    programme = planned()
    with pytest.raises(Refused, match="应在2026年11月30日之前完成办班"):
        programmes.confirm_arrangements(
            programme,
            host_of(programme),
            start_date=date(2026, 11, 28),
            end_date=date(2026, 12, 1),
            venue="x",
            schedule="",
            experts="",
            capacity=40,
            reason="推迟",
        )


def ready_to_close(programme, clock):
    """Trainees approved, attendance recorded, final accounts and files uploaded."""
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in trainees], host)
    money.save_accounts(
        programme.application,
        "final",
        host,
        fields={"trainees": 3, "days": 4, "teachers": Decimal(3000), "accommodation": Decimal(1000)},
        lectures=[],
    )
    closing.upload(programme, "closure_report", SimpleUploadedFile("总结.pdf", b"%PDF-1.4 report"), host)
    closing.upload(programme, "photo", SimpleUploadedFile("a.png", PNG), host)
    return host


def test_closing_needs_every_document(clock):
    programme = planned()
    host = host_of(programme)
    clock("2026-09-06T09:00:00+08:00")
    with pytest.raises(Refused) as refusal:
        programmes.perform(programme, "submit_closing", host)
    assert (
        str(refusal.value)
        == "结业材料不完整：未上传总结报告；未上传办班照片；没有录取的学员；未记录考勤；未填写经费决算。"
    )


def test_confirmed_completion_is_recorded_for_next_year(clock):
    programme = planned()
    host = ready_to_close(programme, clock)
    programmes.perform(programme, "submit_closing", host)
    officer = factories.province_officer()
    programmes.perform(programme, "confirm_completion", officer)
    record = ProgrammeRecord.objects.get(institution=programme.institution)
    assert (record.year, record.title, record.completed) == (2026, "人工智能赋能制造业高级研修班", True)


def test_overdue_programmes_are_flagged_and_next_years_call_flags_the_institution(clock, settings):
    programme = planned()
    clock("2026-12-01T08:00:00+08:00")
    call_command("flag_overdue_programmes")
    programme.refresh_from_db()
    assert programme.overdue_flagged_at is not None
    record = ProgrammeRecord.objects.get(institution=programme.institution)
    assert (record.year, record.completed, record.note) == (
        2026,
        False,
        "截至2026年11月30日未完成办班和结业（系统自动标记）",
    )
    assert programmes.flag_overdue() == []  # flagged once
    officer = factories.province_officer()
    programmes.perform(programme, "mark_not_completed", officer, reason="未开班")
    assert ProgrammeRecord.objects.filter(institution=programme.institution).count() == 1
    # Next year: the institution's new application is warned by the rule.
    call_2027 = copy_call(programme.call, 2027)
    call_2027.is_open = True  # the office opens the copy when it is ready
    call_2027.save(update_fields=["is_open"])
    host = host_of(programme)
    clock("2027-01-05T10:00:00+08:00")
    application = editing.create_application(
        call=call_2027, tier="provincial", institution=host.institution, actor=host
    )
    found = [r for r in run_checks(application) if r.code == "institution.previous_completion"]
    assert [r.message for r in found] == [
        "本单位2026年有1个高级研修项目未按计划完成（人工智能赋能制造业高级研修班），原则上不予推荐。如继续申报，请说明情况。"
    ]
