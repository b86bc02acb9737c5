"""An application's history costs the same queries for one entry as for many.

(The dashboard and the inbox are in test_views.py.)
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.applications.test_views import editor_post
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


# --- the deadline surge's three requests (issue 26) ---------------------------------------------

ROWS = ["schedulesession", "lecturer", "topicclaim", "topicarea", "tierrule", "deadlineextension"]


def _reads(captured, table):
    return sum(bool(re.search(rf'^SELECT .*FROM "\w+_{table}"', q["sql"])) for q in captured)


def _writes(captured, table):
    return sum(bool(re.match(rf'(INSERT INTO|DELETE FROM|UPDATE) "\w+_{table}"', q["sql"])) for q in captured)


def test_the_editor_reads_each_part_of_the_application_once(client):
    """Its forms' rows, the checks and the deadline banner share one read of each."""
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    client.force_login(host)
    url = reverse("applications:edit", args=[application.pk])
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    assert "专题1" in page.content.decode()  # the schedule's rows are on the page
    # the topic areas: the scope form's list; the claims read theirs in the same query
    assert {t: _reads(captured, t) for t in ROWS} == dict.fromkeys(ROWS, 1)
    longer = factories.complete("provincial", actor=host, days=5)
    assert count_queries(client, reverse("applications:edit", args=[longer.pk])) == len(captured)


def test_an_autosave_replaces_only_the_rows_that_change_and_reads_them_once(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    client.force_login(host)
    url = reverse("applications:edit", args=[application.pk])
    data = editor_post(application, purpose="新的研修目的。")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="saved"' in response.content.decode()
    application.refresh_from_db()
    assert application.purpose == "新的研修目的。"
    tables = ["schedulesession", "lecturer", "topicclaim"]
    assert {t: _writes(captured, t) for t in tables} == dict.fromkeys(tables, 0)  # only the purpose changed
    assert {t: _reads(captured, t) for t in tables} == dict.fromkeys(tables, 1)  # under the lock; the checks too
    assert _reads(captured, "deadlineextension") == 1
    assert not [q for q in captured if q["sql"].startswith("SELECT 1 AS")]  # no existence checks of choices

    # a changed schedule is replaced, and the checks read the new rows from the save
    data = editor_post(application, **{"sessions-0-topic": "新的专题"})
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert 'data-testid="saved"' in response.content.decode()
    assert _writes(captured, "schedulesession") == 2  # deleted and inserted
    assert _writes(captured, "lecturer") == 0
    assert _reads(captured, "schedulesession") == 1
    assert application.sessions.first().topic == "新的专题"


def test_a_submission_reads_what_its_checks_need_once_on_the_locked_row(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    client.force_login(host)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("applications:act", args=[application.pk, "submit"]), {"reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "submitted"
    read = ["schedulesession", "lecturer", "topicclaim", "tierrule", "deadlineextension", "warningreason"]
    assert {t: _reads(captured, t) for t in read} == dict.fromkeys(read, 1)
    assert _reads(captured, "call") == 0  # read with the application
    assert _writes(captured, "auditentry") == 1
