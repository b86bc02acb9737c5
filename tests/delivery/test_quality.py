"""A host's quality score (decision 0027, docs/delivery.md): the formula at its edges, the
stored figure with its sources, and the lists that show it with constant queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries, page
from tests.reviews import factories as rf
from tests.selection.test_selection import forwarded
from yanxiu.applications.domain import workflow
from yanxiu.delivery.domain import quality, survey
from yanxiu.organisations.models import HostQuality, ProgrammeRecord

from .helpers import certified

pytestmark = pytest.mark.django_db


def part(value):
    return (Decimal(value), {})


@pytest.mark.parametrize(
    ("found", "score"),
    [
        ({}, None),  # no data at all: no score, never a zero
        ({"survey": part(100), "attendance": part(100), "completion": part(100), "closing": part(100)}, Decimal(100)),
        ({"survey": part(0), "attendance": part(0), "completion": part(0), "closing": part(0)}, Decimal(0)),
        # 30·80 + 20·90 + 30·50 + 20·100 = 7700 over 100
        ({"survey": part(80), "attendance": part(90), "completion": part(50), "closing": part(100)}, Decimal(77)),
        # only the past years on record: the score is theirs alone
        ({"completion": part(50)}, Decimal(50)),
        # the parts that have data, weights renormalised: (20·90 + 30·50) / 50 = 66
        ({"attendance": part(90), "completion": part(50)}, Decimal(66)),
        # rounded half up to one decimal: (30·75 + 20·100 + 30·50) / 80 = 71.875
        ({"survey": part(75), "attendance": part(100), "completion": part(50)}, Decimal("71.9")),
    ],
)
def test_the_score_is_the_weighted_mean_of_the_parts_with_data(found, score):
    assert quality.score_of(found) == score


def test_the_score_is_kept_with_its_sources(clock):
    programme, (first, second) = certified(clock, 2)  # every half-day present
    for trainee, score in ((first, 5), (second, 3)):
        scores = {"content": score, "lecturers": score, "organisation": score, "overall": score}
        survey.answer(programme, mobile=trainee.mobile, id_last4=trainee.id_number[-4:], scores=scores)
    institution = programme.institution
    ProgrammeRecord.objects.create(institution=institution, year=2024, title="往年一", completed=True)
    ProgrammeRecord.objects.create(institution=institution, year=2025, title="往年二", completed=False)
    stored = quality.refresh(institution.pk)
    assert stored.score == Decimal("71.9")  # survey 75, attendance 100, completion 50, no closing yet
    assert stored.summary == (
        "满意度75.0（方案设计4.0、组织实施4.0、教学保障4.0、研修效果4.0；2份测评）；"
        "出勤率100.0%（16/16人次半天）；按计划完成1/2项（2024—2025年）"
    )
    assert stored.sources["completion"] == {
        "score": "50.0",
        "total": "2",
        "completed": "1",
        "first": "2024",
        "last": "2025",
    }
    assert quality.refresh_all() == 1
    assert HostQuality.objects.get().score == Decimal("71.9")


def test_an_institution_without_any_record_has_no_score():
    institution = factories.institution()
    stored = quality.refresh(institution.pk)
    assert (stored.score, stored.summary) == (None, "暂无往年办班记录")


def test_the_intake_list_shows_the_score_with_constant_queries(client):
    authority = factories.authority()
    client.force_login(factories.reviewer(authority))

    def submitted(completed):
        institution = factories.institution()
        host = factories.staff(institution)
        application = factories.complete("provincial", actor=host)
        workflow.perform(application, "submit", host)
        ProgrammeRecord.objects.create(institution=institution, year=2025, title="往年", completed=completed)
        quality.refresh(institution.pk)

    submitted(True)
    one = count_queries(client, reverse("applications:inbox"))
    for completed in (False, True, True):
        submitted(completed)
    assert count_queries(client, reverse("applications:inbox")) == one
    text = page(client, reverse("applications:inbox"))
    assert text.count('data-quality="100.0" title="按计划完成1/1项（2025年）">质量评分 100.0<') == 3
    assert text.count('data-quality="0.0"') == 1


def test_the_pool_and_the_experts_page_show_the_score(client):
    officer = factories.province_officer()
    review_round = rf.review_round(officer=officer, reviews_per_application=1)
    expert = rf.expert(domains=[])

    def add():
        application = forwarded(authority_code="350500-RS")
        ProgrammeRecord.objects.create(institution=application.institution, year=2025, title="往年", completed=True)
        quality.refresh(application.institution_id)
        return rf.assign(review_round, application, expert)

    task = add()
    client.force_login(officer)
    url = reverse("selection:pool", args=[review_round.call_id])
    one = count_queries(client, url)
    for _ in range(3):
        add()
    assert count_queries(client, url) == one
    assert page(client, url).count('data-quality="100.0" title="按计划完成1/1项（2025年）">质量评分 100.0<') == 4
    client.force_login(expert)
    html = page(client, reverse("reviews:task", args=[task.pk]))
    assert "承办质量评分：<strong>100.0</strong>（按计划完成1/1项（2025年））" in html
