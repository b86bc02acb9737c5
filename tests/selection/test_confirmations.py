"""Irreversible actions ask first, saying what will happen and to how many (issue 12)."""

import pytest
from django.urls import reverse

from tests import factories
from tests.reviews import factories as rf
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome

pytestmark = pytest.mark.django_db


def _staged_under_review(submitted_reviews):
    application = rf.forwarded()
    officer = factories.province_officer()
    review_round = rf.review_round(officer=officer, name="第一轮评审", reviews_per_application=2)
    tasks = [rf.assign(review_round, application, rf.expert()) for _ in range(2)]
    for task in tasks[:submitted_reviews]:
        rf.submit(task)
    decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    return application, officer, review_round


@pytest.mark.parametrize(("submitted", "warned"), [(1, True), (2, False)])
def test_publishing_warns_when_a_review_round_of_those_applications_is_incomplete(client, submitted, warned):
    application, officer, _ = _staged_under_review(submitted)
    client.force_login(officer)
    page = client.post(reverse("selection:publish", args=[application.call_id])).content.decode()
    assert "将发布2026年1项遴选结果" in page
    assert "省级普通项目：1项" in page
    assert ("评审轮次“第一轮评审”尚未完成：这些申报的评审已交1/2份。" in page) == warned
    assert Application.objects.get(pk=application.pk).state == S.FORWARDED


def test_the_pool_shows_every_rounds_result(client):
    application, officer, _first = _staged_under_review(2)
    second = rf.review_round(officer=officer, name="第二轮评审", reviews_per_application=1)
    rf.assign(second, application, rf.expert())
    client.force_login(officer)
    page = client.get(reverse("selection:pool", args=[application.call_id])).content.decode()
    assert "第一轮评审：" in page
    assert "第1名" in page
    assert "第二轮评审：" in page
    assert "评审中（0/1份）" in page
