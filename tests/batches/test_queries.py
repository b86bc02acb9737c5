"""The batch pages cost the same queries for one row as for many."""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from tests.reviews import factories as rf
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW

pytestmark = pytest.mark.django_db


def approved_in(authority_code, count):
    return [rf.approved("provincial", authority_code)[0] for _ in range(count)]


def test_the_batch_list_for_the_province(client):
    officer = factories.province_officer()
    client.force_login(officer)
    rf.forwarded(authority_code="350100-RS")
    url = reverse("batches:list")
    one = count_queries(client, url)
    for code in ("350200-RS", "350500-RS", "350600-RS"):
        rf.forwarded(authority_code=code)
    assert count_queries(client, url) == one
    assert len(client.get(url).context["batches"]) == 4


def test_the_batch_list_for_an_authority(client):
    first = rf.forwarded(authority_code="350100-RS")
    reviewer = factories.reviewer(first.institution.authority)
    client.force_login(reviewer)
    url = reverse("batches:list")
    one = count_queries(client, url)
    for _ in range(3):
        rf.forwarded(authority_code="350100-RS")
    assert count_queries(client, url) == one
    assert len(client.get(url).context["batches"]) == 4


def test_a_draft_batch_with_its_members_and_pool(client):
    application, reviewer = rf.approved("provincial", "350100-RS")
    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    operations.set_members(batch, [application], actor=reviewer)
    approved_in("350100-RS", 1)
    client.force_login(reviewer)
    url = reverse("batches:detail", args=[batch.pk])
    one = count_queries(client, url)
    more = approved_in("350100-RS", 6)
    operations.set_members(batch, [application, *more[:3]], actor=reviewer)
    assert count_queries(client, url) == one
    context = client.get(url).context
    assert (len(context["members"]), len(context["pool"])) == (4, 4)


def sent_batch(count, authority_code):
    """A batch of `count` approved applications, with its scans, sent to the province."""
    applications = approved_in(authority_code, count)
    reviewer = factories.reviewer(applications[0].institution.authority)
    batch = operations.create_batch(call=applications[0].call, tier="provincial", actor=reviewer)
    operations.set_members(batch, applications, actor=reviewer)
    operations.upload_scan(batch, application=None, uploaded=rf.scan("汇总表.pdf"), ext=".pdf", actor=reviewer)
    for application in batch.applications.all():
        operations.upload_scan(
            batch, application=application, uploaded=rf.scan("申报表.pdf"), ext=".pdf", actor=reviewer
        )
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    return batch


def test_a_sent_batch_for_the_province(client):
    """One batch of one application and one of five: the same queries."""
    small, large = sent_batch(1, "350100-RS"), sent_batch(5, "350200-RS")
    client.force_login(factories.province_officer())
    one = count_queries(client, reverse("batches:detail", args=[small.pk]))
    assert count_queries(client, reverse("batches:detail", args=[large.pk])) == one
    assert len(client.get(reverse("batches:detail", args=[large.pk])).context["members"]) == 5


def test_the_ranking(client):
    applications = approved_in("350100-RS", 1)
    reviewer = factories.reviewer(applications[0].institution.authority)
    client.force_login(reviewer)
    url = reverse("batches:ranking", args=[applications[0].call_id, "provincial"])
    one = count_queries(client, url)
    approved_in("350100-RS", 5)
    assert count_queries(client, url) == one
    assert len(client.get(url).context["pool"]) == 6
