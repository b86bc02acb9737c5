"""An application's history costs the same queries for one entry as for many.

(The dashboard and the inbox are in test_views.py.)
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_the_detail_page_reads_each_part_of_the_application_once(client):
    """The checks (and the diff after a return) read the schedule, lecturers, topic claims and the
    host's record: the page reads each once (issue 13), for one row of each or many."""
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    client.force_login(host)
    url = reverse("applications:detail", args=[application.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    tables = ["schedulesession", "lecturer", "topicclaim", "programmerecord", "warningreason"]
    reads = {t: sum(bool(re.search(rf'FROM "\w+_{t}"', q["sql"])) for q in captured) for t in tables}
    assert reads == dict.fromkeys(tables, 1)
    longer = factories.complete("provincial", actor=host, days=5)  # ten sessions instead of eight
    assert count_queries(client, reverse("applications:detail", args=[longer.pk])) == count_queries(client, url)
