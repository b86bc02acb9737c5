"""The demo on any day: seeded on a clock set to several days of the year, a newcomer finds
an open call with an application at every step, a programme open for enrolment, one running
and one ready to close (decision 0009)."""

from datetime import date, datetime, time

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import shared_world
from yanxiu.applications.domain.deadlines import deadline_for
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.calls.models import Call
from yanxiu.delivery.domain.enrolment import enrolment_is_open
from yanxiu.delivery.enums import ProgrammeState
from yanxiu.delivery.models import Certificate
from yanxiu.demo.today import seed_today
from yanxiu.demo.world import seed

pytestmark = pytest.mark.django_db

DAYS = [
    date(2026, 1, 3),
    date(2026, 3, 1),
    date(2026, 6, 15),
    date(2026, 11, 20),
    date(2026, 12, 1),
    date(2027, 12, 30),
]


def _ten_o_clock(today):
    return timezone.make_aware(datetime.combine(today, time(10, 0)))


@pytest.fixture(scope="module", params=DAYS, ids=str)
def seeded_on(request):
    """(day, what seed_today made): the demo seeded on a clock set to that day, once for the
    module's tests of the day (tests/conftest.py's shared_world: each test rolls back to it)."""
    today = request.param

    def build():
        with override_settings(YANXIU_FIXED_NOW=_ten_o_clock(today).isoformat()):
            seed()
            return today, seed_today(today)

    yield from shared_world(request, build)


def test_the_demo_seeded_on_any_day_has_every_step(settings, client, seeded_on):
    today, made = seeded_on
    settings.YANXIU_FIXED_NOW = _ten_o_clock(today).isoformat()
    now = _ten_o_clock(today)

    call = made["open_call"]
    assert call.is_open
    steps = [a.state for a in made["steps"]]
    assert steps == [S.DRAFT, S.SUBMITTED, S.RETURNED, S.AUTHORITY_APPROVED, S.FORWARDED]
    draft = made["steps"][0]
    assert deadline_for(call, "provincial", draft.institution) > now

    enrolling, running, closing = made["enrolling"], made["running"], made["ready_to_close"]
    for programme in (enrolling, running, closing):
        programme.refresh_from_db()
        assert programme.state == ProgrammeState.PREPARING
        assert programme.end_date <= programme.call.completion_date
    assert enrolling.start_date > today
    assert enrolment_is_open(enrolling)
    assert running.start_date <= today <= running.end_date
    check_in = running.check_ins.get()
    assert (check_in.date, check_in.half_day, check_in.is_open) == (today, "am", True)
    assert running.trainees.filter(attendance__date=today, attendance__present=True).count() == 5
    assert closing.end_date < today
    assert closing.trainees.filter(state="approved").count() == 32
    assert closing.trainees.first().attendance.exists()
    assert Certificate.objects.filter(trainee__programme=closing).count() > 0

    listing = client.get(reverse("delivery_public:list")).content.decode()
    assert enrolling.application.title in listing
    # decision 0026: a 公示 under way and a change request waiting for the office
    assert made["change"].state == "pending"
    assert (
        made["publicity"].published_at
        <= now
        <= timezone.make_aware(datetime.combine(made["publicity"].ends_on, time(23, 59)))
    )
    shown = client.get(reverse("selection_public:publicity")).content.decode()
    assert made["publicity"].items[0]["title"] in shown
    assert client.get(reverse("delivery_public:programme", args=[enrolling.pk])).status_code == 200


def test_the_demo_of_the_day_is_added_once(settings, seeded_on):
    today, made = seeded_on
    settings.YANXIU_FIXED_NOW = _ten_o_clock(today).isoformat()
    assert made
    assert seed_today(today) == {}
    assert Call.objects.filter(year=2026).count() == 1
