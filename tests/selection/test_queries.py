"""The selection pages cost the same queries for one row as for many."""

from datetime import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.delivery.helpers import planned
from tests.queries import count_queries
from tests.reviews import factories as rf
from yanxiu.applications.models import Application
from yanxiu.calls.domain.calls import copy_call
from yanxiu.core import clock
from yanxiu.organisations.models import DeadlineExtension
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome

from .test_selection import forwarded

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    officer = factories.province_officer()
    client.force_login(officer)
    return officer


def test_the_pool_with_staged_decisions_and_review_results(client, officer):
    review_round = rf.review_round(officer=officer, reviews_per_application=1)
    expert = rf.expert(domains=[])

    def add(count, stage_first):
        for i in range(count):
            application = forwarded(authority_code="350500-RS")
            rf.submit(rf.assign(review_round, application, expert))
            if stage_first and i == 0:
                decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)

    add(1, stage_first=True)
    url = reverse("selection:pool", args=[review_round.call_id])
    one = count_queries(client, url)
    add(5, stage_first=True)
    assert count_queries(client, url) == one
    rows = client.get(url).context["rows"]
    assert (len(rows), sum(1 for _, staged, _ in rows if staged), sum(1 for *_, score in rows if score)) == (6, 2, 6)


def test_the_ministry_page_with_candidates_and_fallbacks(client, officer):
    def add(count):
        for _ in range(count):
            for answer in (True, False):
                application = forwarded("national", "350500-RS")
                decisions.stage(application, Outcome.NATIONAL_CANDIDATE, actor=officer)
                decisions.publish(application.call, actor=officer, without_publicity="（测试）不经公示")
                if not answer:
                    decisions.record_ministry_answer(
                        Application.objects.get(pk=application.pk), selected=False, actor=officer
                    )

    add(1)
    url = reverse("selection:ministry", args=[factories.call_2026().pk])
    one = count_queries(client, url)
    add(3)
    assert count_queries(client, url) == one
    context = client.get(url).context
    assert (len(context["candidates"]), len(context["fallen_back"])) == (4, 4)


def test_the_annual_plan(client, officer):
    planned(officer=officer)
    planned("national", Outcome.NATIONAL_CANDIDATE, authority_code="350200-RS", officer=officer)
    url = reverse("selection:plan", args=[factories.call_2026().pk])
    one = count_queries(client, url)
    for code in ("350300-RS", "350400-RS", "350500-RS"):
        planned(authority_code=code, officer=officer)
        planned(outcome=Outcome.PROVINCIAL_DEMONSTRATION, authority_code=code, officer=officer)
        planned("national", Outcome.NATIONAL_CANDIDATE, authority_code=code, officer=officer)
    assert count_queries(client, url) == one
    sections = client.get(url).context["sections"]
    assert sum(len(section.rows) for section in sections) == 11


def test_the_calls_index(client, officer):
    call = factories.call_2026()
    url = reverse("selection:index")
    one = count_queries(client, url)
    for year in (2027, 2028, 2029):
        copy_call(call, year)
    assert count_queries(client, url) == one
    assert len(client.get(url).context["calls"]) == 4


def test_the_extensions_list(client, officer):
    call = factories.call_2026()

    def grant(institution=None, authority=None):
        DeadlineExtension.objects.create(
            call=call,
            tier="national",
            institution=institution,
            authority=authority,
            until=datetime(2026, 1, 20, 18, tzinfo=clock.now().tzinfo),
            reason="系统故障补报",
            granted_by=officer,
        )

    grant(institution=factories.institution())
    url = reverse("selection:extensions")
    one = count_queries(client, url)
    for code in ("350200-RS", "350300-RS"):
        grant(institution=factories.institution(code))
        grant(authority=factories.authority(code))
    assert count_queries(client, url) == one
    assert len(client.get(url).context["extensions"]) == 5
