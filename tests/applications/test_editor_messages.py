"""A refused value is explained once, at its field (decision 0017)."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.applications.test_views import editor_post

pytestmark = pytest.mark.django_db

# The editor's note beside a refused value (decision 0014): the value is held, not lost.
HELD = "此项未保存：您输入的内容仍在上面，改正后会自动保存。"


@pytest.fixture
def host_client(client):
    host = factories.staff()
    client.force_login(host)
    client.host = host
    return client


def block(page, name):
    """The messages shown under one field, as texts."""
    found = re.search(rf'id="msgs-{name}"[^>]*>((?:<div class="msg [^"]+"[^>]*>[^<]*</div>)*)', page)
    return re.findall(r">([^<]*)</div>", found[1])


@pytest.mark.parametrize("autosave", [True, False])
def test_an_end_before_the_start_of_a_new_draft_says_only_that(host_client, autosave):
    application = factories.draft(actor=host_client.host)  # nothing saved yet: no end date
    headers = {"HTTP_HX_REQUEST": "true"} if autosave else {}
    response = host_client.post(
        reverse("applications:edit", args=[application.pk]),
        editor_post(application, start_date="2026-09-10", end_date="2026-09-01"),
        **headers,
    )
    assert block(response.content.decode(), "end_date") == ["结束日期早于开始日期，请检查办班时间。", HELD]
    # Without a typed end date, the check about the saved (empty) value is what the field says.
    page = host_client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert block(page, "end_date") == ["请填写“办班结束日期”。"]


def test_a_base_batch_of_0_says_one_thing(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    response = host_client.post(
        reverse("applications:edit", args=[application.pk]),
        editor_post(application, base_status="national", base_batch="0"),
        HTTP_HX_REQUEST="true",
    )
    assert block(response.content.decode(), "base_batch") == ["批次应为正整数（第1批起），如 10。", HELD]
