"""An application's history costs the same queries for one entry as for many.

(The dashboard and the inbox are in test_views.py.)
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.queries import count_queries
from yanxiu.applications.domain import workflow

pytestmark = pytest.mark.django_db


def test_the_history_of_an_application(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    workflow.perform(application, "submit", host)
    client.force_login(host)
    url = reverse("applications:history", args=[application.pk])
    one = count_queries(client, url)
    entries = len(client.get(url).context["entries"])
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "return", reviewer, reason="请补充材料。")
    workflow.perform(application, "submit", host)
    workflow.perform(application, "return", factories.reviewer(host.institution.authority), reason="再补充。")
    workflow.perform(application, "submit", host)
    assert count_queries(client, url) == one
    assert len(client.get(url).context["entries"]) == entries + 4
