"""The delivery list pages cost the same queries for one row as for many.

(The programme list and the trainee list are in test_views.py.)
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from yanxiu.core import clock
from yanxiu.delivery.domain import attendance, certificates, enrolment, personal_data, programmes
from yanxiu.reference.models import TrainingCostStandard

from .helpers import add_trainees, host_of, open_enrolment, planned

pytestmark = pytest.mark.django_db


def attended(programme, trainees):
    """Approve the trainees and record every half-day with all of them present."""
    host = host_of(programme)
    enrolment.review(programme, trainees, host, approve=True)
    approved = list(programme.trainees.filter(state="approved"))
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in approved], host)


def test_the_change_requests(client):
    officer = factories.province_officer()

    def request_change(code):
        programme = planned(authority_code=code, officer=officer)
        programme.changes.create(
            changes={"venue": ["甲", "乙"]},
            reason="场地调整",
            requested_by=host_of(programme),
            requested_at=clock.now(),
        )
        return programme

    request_change("350100-RS")
    client.force_login(officer)
    url = reverse("delivery:changes")
    one = count_queries(client, url)
    decided = request_change("350200-RS").changes.get()
    programmes.decide_change(decided, officer, approve=True, note="同意")
    request_change("350300-RS")
    request_change("350500-RS")
    assert count_queries(client, url) == one
    assert len(client.get(url).context["changes"]) == 4


def test_the_cost_standards(client):
    factories.call_2026()
    first = TrainingCostStandard.objects.order_by("pk").first()
    kept = [
        (s.standard, s.training_class, s.total_per_person_day)
        for s in TrainingCostStandard.objects.exclude(pk=first.pk)
    ]
    TrainingCostStandard.objects.exclude(pk=first.pk).delete()
    client.force_login(factories.province_officer())
    url = reverse("delivery:cost_standards")
    one = count_queries(client, url)
    TrainingCostStandard.objects.bulk_create(
        TrainingCostStandard(standard=standard, training_class=training_class, total_per_person_day=total)
        for standard, training_class, total in kept
    )
    assert len(kept) >= 3
    assert count_queries(client, url) == one
    assert len(client.get(url).context["standards"]) == len(kept) + 1


def test_attendance_for_a_half_day(client, clock):
    programme = planned()
    clock("2026-09-06T09:00:00+08:00")
    attended(programme, add_trainees(programme, 1))
    client.force_login(host_of(programme))
    day, half = attendance.half_days(programme)[0]
    url = f"{reverse('delivery:attendance', args=[programme.pk])}?date={day:%Y-%m-%d}&half_day={half}"
    client.get(url)  # the first visit creates the call's delivery settings
    one = count_queries(client, url)
    attended(programme, add_trainees(programme, 9, start=2))
    assert count_queries(client, url) == one
    context = client.get(url).context
    assert (len(context["rows"]), len(context["summaries"])) == (10, 10)


def test_the_certificates(client, clock):
    programme = planned()
    host = host_of(programme)
    clock("2026-09-06T09:00:00+08:00")
    attended(programme, add_trainees(programme, 1))
    certificates.issue(programme, host)
    client.force_login(host)
    url = reverse("delivery:certificates", args=[programme.pk])
    one = count_queries(client, url)
    attended(programme, add_trainees(programme, 9, start=2))
    certificates.issue(programme, host)
    assert count_queries(client, url) == one
    assert len(client.get(url).context["certificates"]) == 10


def test_the_access_log(client):
    programme = planned()
    host = host_of(programme)
    trainees = add_trainees(programme, 3)
    personal_data.reveal(host, programme, trainees[:1], "核对身份")
    client.force_login(host)
    url = reverse("delivery:access_log", args=[programme.pk])
    one = count_queries(client, url)
    officer = factories.province_officer()
    for n in range(5):
        personal_data.reveal(officer if n % 2 else host, programme, trainees, "导出花名册")
    assert count_queries(client, url) == one
    assert len(client.get(url).context["entries"]) == 6


def test_the_public_programme_list(client):
    open_enrolment(planned())
    url = reverse("delivery_public:list")
    one = count_queries(client, url)
    for code in ("350200-RS", "350300-RS", "350500-RS"):
        open_enrolment(planned(authority_code=code))
    assert count_queries(client, url) == one
    assert len(client.get(url).context["programmes"]) == 4
