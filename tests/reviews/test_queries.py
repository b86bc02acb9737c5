"""List pages keep a constant number of queries as rows grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.reference.models import ProfessionalDomain
from yanxiu.reviews.domain import avoidance
from yanxiu.reviews.domain.operations import declare_conflict

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def populate(review_round, experts, count):
    """`count` applications, each with every expert assigned: one submitted, one conflict, the rest open."""
    for _ in range(count):
        application = rf.forwarded(authority_code="350500-RS")
        tasks = [rf.assign(review_round, application, expert) for expert in experts]
        rf.submit(tasks[0], values=(9, 8, 7, 6, 5))
        declare_conflict(tasks[1], experts[1], reason="利害关系。")


@pytest.fixture
def setup():
    review_round = rf.review_round(reviews_per_application=3)
    experts = [rf.expert(domains=[]) for _ in range(3)]
    return review_round, experts


@pytest.mark.parametrize("name", ["round_assignments", "results", "export"])
def test_round_pages(client, setup, name):
    review_round, experts = setup
    client.force_login(review_round.created_by)
    url = reverse(f"reviews:{name}", args=[review_round.pk])
    populate(review_round, experts, 1)
    one = queries(client, url)
    populate(review_round, experts, 4)
    assert queries(client, url) == one


def test_rounds_list(client, setup):
    review_round, _experts = setup
    client.force_login(review_round.created_by)
    url = reverse("reviews:rounds")
    one = queries(client, url)
    for i in range(4):
        rf.review_round(officer=review_round.created_by, name=f"第{i}轮")
    assert queries(client, url) == one


def test_experts_list(client, setup):
    review_round, experts = setup
    client.force_login(review_round.created_by)
    url = reverse("reviews:experts")
    populate(review_round, experts, 1)
    one = queries(client, url)
    for _ in range(4):
        rf.expert(domains=ProfessionalDomain.objects.all()[:2])
    populate(review_round, experts, 2)
    assert queries(client, url) == one


def test_my_assignments(client, setup):
    review_round, experts = setup
    client.force_login(experts[0])
    url = reverse("reviews:mine")
    populate(review_round, experts, 1)
    one = queries(client, url)
    populate(review_round, experts, 4)
    other = rf.review_round(officer=review_round.created_by, name="第二轮")
    rf.assign(other, rf.forwarded(authority_code="350200-RS"), experts[0])
    assert queries(client, url) == one


def test_expert_pool_with_filters_and_avoidance_requests(client, setup):
    review_round, _experts = setup
    client.force_login(review_round.created_by)
    domain = ProfessionalDomain.objects.get_or_create(name="人工智能")[0]
    pool_url = reverse("reviews:experts") + f"?q=大学&domain={domain.pk}&availability=yes"
    requests_url = reverse("reviews:avoidance_requests")

    def more(n):
        for _ in range(n):
            rf.expert(domains=[domain])
            staff = f.staff(f.institution("350100-RS"))
            draft = f.complete("provincial", actor=staff)
            avoidance.declare(draft, [{"name": "王五", "employer": "厦门大学", "reason": "合作。"}], actor=staff)

    more(1)
    one = (queries(client, pool_url), queries(client, requests_url))
    more(4)
    assert (queries(client, pool_url), queries(client, requests_url)) == one
