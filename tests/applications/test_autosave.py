"""Autosave answers the save status and only the message blocks that changed (issue 13): the editor
sends back the fingerprints of what it shows (checks_seen); unchanged blocks are left out."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.applications.test_views import editor_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editing(client):
    host = factories.staff()
    client.force_login(host)
    application = factories.complete("provincial", actor=host)
    url = reverse("applications:edit", args=[application.pk])
    page = client.get(url).content.decode()
    seen = re.search(r'id="checks-seen" value="([^"]*)"', page).group(1)
    return client, application, url, seen


def blocks_in(text):
    return set(re.findall(r'id="msgs-([\w]+)" hx-swap-oob', text))


def autosave(client, url, data):
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_an_autosave_that_changes_no_check_sends_no_check(editing):
    client, application, url, seen = editing
    text = autosave(client, url, {**editor_post(application, purpose="另一种说法的研修目的。"), "checks_seen": seen})
    assert 'data-testid="saved"' in text
    assert 'id="version-field"' in text
    assert 'id="checks-seen"' in text
    assert blocks_in(text) == set()
    assert 'id="checks"' not in text


def test_only_the_changed_field_and_the_summary_are_sent(editing):
    client, application, url, seen = editing
    text = autosave(client, url, {**editor_post(application, title=""), "checks_seen": seen})
    assert 'data-testid="saved"' in text
    assert blocks_in(text) == {"title"}
    assert "请填写" in text.split('id="msgs-title"')[1]
    assert 'id="checks" hx-swap-oob="true"' in text  # the summary now lists the error
    # the page now shows the new fingerprints; the same state again sends nothing
    new_seen = re.search(r'id="checks-seen" value="([^"]*)"', text).group(1)
    assert new_seen != seen
    application.refresh_from_db()
    again = autosave(client, url, {**editor_post(application, title=""), "checks_seen": new_seen})
    assert blocks_in(again) == set()
    assert 'id="checks"' not in again
    # and fixing it sends the title's block back (now empty) and the summary
    application.refresh_from_db()
    fixed = autosave(client, url, {**editor_post(application, title="新的研修班名称"), "checks_seen": new_seen})
    assert blocks_in(fixed) == {"title"}
    assert 'id="checks" hx-swap-oob="true"' in fixed


def test_without_fingerprints_every_block_is_sent(editing):
    client, application, url, _seen = editing
    text = autosave(client, url, editor_post(application))
    assert {"title", "purpose", "sessions", "lecturers", "general", "topic_scope"} <= blocks_in(text)
    assert 'id="checks" hx-swap-oob="true"' in text
