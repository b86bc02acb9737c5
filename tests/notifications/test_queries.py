"""The inbox costs the same queries for one message as for many."""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from yanxiu.notifications.service import notify

pytestmark = pytest.mark.django_db


def test_the_inbox(client):
    host = factories.staff()
    client.force_login(host)
    notify([host], "申报已退回", "请修改后重新提交。", link=reverse("applications:dashboard"))
    url = reverse("notifications:inbox")
    one = count_queries(client, url)
    for n in range(9):
        notify([host, factories.staff()], f"提醒{n}", "截止日期将至。")
    assert count_queries(client, url) == one
    assert [m.subject for m in client.get(url).context["inbox"]][-1:] == ["申报已退回"]
    assert len(client.get(url).context["inbox"]) == 10
