"""Attendance and final accounts leave an audit entry with what they changed; reads write nothing (issue 21)."""

from decimal import Decimal

import pytest

from yanxiu.audit.models import AuditEntry
from yanxiu.delivery.domain import attendance, enrolment, money, programmes, survey
from yanxiu.delivery.models import DeliverySettings, SurveyResponse

from ..factories import call_2026
from .helpers import add_trainees, host_of, planned

pytestmark = pytest.mark.django_db


def test_attendance_records_who_was_marked_present_before_and_after(clock):
    programme = planned()  # 2026-09-01 to 09-04
    host = host_of(programme)
    first, second = add_trainees(programme, 2)
    enrolment.review(programme, [first, second], host, approve=True)
    clock("2026-09-05T09:00:00+08:00")
    day, half = attendance.half_days(programme)[0]
    attendance.record_attendance(programme, day, half, [first.pk], host)
    attendance.record_attendance(programme, day, half, [first.pk, second.pk], host)
    entries = AuditEntry.objects.for_object(programme).filter(action="record_attendance").order_by("pk")
    assert [(e.actor, e.action_label, e.data) for e in entries] == [
        (
            host,
            "记录考勤",
            {"date": "2026-09-01", "half_day": half, "before": {"present": None}, "after": {"present": [first.pk]}},
        ),
        (
            host,
            "记录考勤",
            {
                "date": "2026-09-01",
                "half_day": half,
                "before": {"present": [first.pk]},
                "after": {"present": sorted([first.pk, second.pk])},
            },
        ),
    ]


def test_final_accounts_record_the_amounts_that_changed(clock):
    programme = planned()
    host = host_of(programme)
    clock("2026-09-06T09:00:00+08:00")
    application = programme.application
    fields = {"teachers": Decimal(3000), "accommodation": Decimal(1000)}
    money.save_accounts(application, "final", host, fields=fields, lectures=[])
    money.save_accounts(application, "final", host, fields={**fields, "accommodation": Decimal(1200)}, lectures=[])
    first, second = AuditEntry.objects.for_object(application).filter(action="save_accounts_final").order_by("pk")
    assert (first.actor, first.action_label) == (host, "填写经费决算")
    assert (first.data["before"]["teachers"], first.data["after"]["teachers"]) == (None, "3000.00")
    assert second.data == {"before": {"accommodation": "1000.00"}, "after": {"accommodation": "1200.00"}}


def test_reading_a_calls_delivery_settings_writes_nothing():
    call = call_2026()
    DeliverySettings.objects.filter(call=call).delete()
    settings = programmes.settings_for(call)
    assert (settings.pk, settings.closing_days, DeliverySettings.objects.filter(call=call).exists()) == (
        None,
        DeliverySettings._meta.get_field("closing_days").default,
        False,
    )


def test_a_survey_answer_is_recorded_without_its_scores():
    programme = planned()
    [trainee] = add_trainees(programme, 1)
    enrolment.review(programme, [trainee], host_of(programme), approve=True)
    scores = {key: 5 for key, _ in SurveyResponse.QUESTIONS}
    survey.answer(programme, mobile=trainee.mobile, id_last4=trainee.id_number[-4:], scores=scores, comment="很好")
    [entry] = AuditEntry.objects.for_object(programme).filter(action="answer_survey")
    assert (entry.actor, entry.action_label, entry.data) == (None, "提交满意度测评", {"trainee": trainee.pk})
