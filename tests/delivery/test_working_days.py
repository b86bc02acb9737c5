"""Closing deadlines in working days (decision 0026): the call's period, an authority's own, the unit per call."""

from datetime import date

import pytest

from tests.delivery.helpers import planned
from yanxiu.delivery.domain import programmes
from yanxiu.delivery.models import AuthorityClosingPeriod
from yanxiu.notifications.models import Message
from yanxiu.notifications.reminders import send_deadline_reminders
from yanxiu.reference.domain.workdays import Unit

pytestmark = pytest.mark.django_db


def test_the_default_is_ten_working_days_after_the_class():
    programme = planned()  # ends Fri 2026-09-04
    assert str(programmes.closing_period(programme)) == "10个工作日"
    assert programmes.closing_deadline(programme) == date(2026, 9, 18)


def test_an_authority_with_its_own_period_gives_its_hosts_fifteen_working_days():
    programme = planned()
    AuthorityClosingPeriod.objects.create(
        call=programme.call, authority=programme.institution.authority, days=15, note="须附办班照片和优秀论文"
    )
    # 10 days end on Fri 18 September; then Sun 20 (调休), 21, 22, 23, 24
    assert programmes.closing_deadline(programme) == date(2026, 9, 24)


def test_a_call_may_count_its_period_in_calendar_days():
    programme = planned()
    settings = programmes.settings_for(programme.call)
    settings.closing_days, settings.closing_unit = 30, Unit.CALENDAR
    settings.save()
    programme = type(programme).objects.get(pk=programme.pk)
    assert programmes.closing_deadline(programme) == date(2026, 10, 4)
    assert programmes.closing_status(programme, date(2026, 10, 7))["lateness"] == "逾期3天"


def test_the_reminder_counts_working_days_left(clock):
    programme = planned()
    host = programme.application.created_by
    clock("2026-09-11T08:00:00+08:00")  # Friday: 14, 15, 16, 17, 18 left
    send_deadline_reminders()
    assert not Message.objects.filter(recipient=host, subject__contains="结业材料").exists()
    clock("2026-09-15T08:00:00+08:00")  # Tuesday: 16, 17, 18 left
    send_deadline_reminders()
    sent = Message.objects.get(recipient=host, subject__contains="结业材料")
    assert "还有3个工作日" in sent.body
