"""Conditional GET on list pages: unchanged data answers 304; any audited write or staged decision changes the ETag."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.reviews import factories as rf
from yanxiu.applications.domain import workflow
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Decision, Outcome

pytestmark = pytest.mark.django_db


def revalidate(client, url, etag):
    return client.get(url, headers={"if-none-match": etag})


def test_the_intake_list_answers_304_until_an_audited_write():
    from django.test import Client

    client = Client()
    officer = f.province_officer()
    application = f.complete("provincial", actor=f.staff(f.institution()))
    workflow.perform(application, "submit", application.created_by)
    client.force_login(officer)
    url = reverse("applications:inbox")
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert revalidate(client, url, etag).status_code == 304
    assert client.get(url + "?tier=national").status_code == 200  # another query, another copy
    workflow.perform(application, "withdraw", application.created_by)  # an audited change
    again = revalidate(client, url, etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_another_user_never_matches_the_copy_of_the_first(client):
    officer, other = f.province_officer(), f.province_officer()
    client.force_login(officer)
    url = reverse("applications:inbox")
    etag = client.get(url)["ETag"]
    client.force_login(other)
    assert revalidate(client, url, etag).status_code == 200


def test_staging_a_decision_changes_the_pool_etag(client):
    application = rf.forwarded()
    officer = f.province_officer()
    client.force_login(officer)
    url = reverse("selection:pool", args=[application.call_id])
    etag = client.get(url)["ETag"]
    assert revalidate(client, url, etag).status_code == 304
    decisions.stage(application, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    assert revalidate(client, url, etag).status_code == 200


def test_a_review_changes_the_ranking_etag(client):
    review_round = rf.review_round(reviews_per_application=1)
    task = rf.assign(review_round, rf.forwarded(), rf.expert())
    client.force_login(review_round.created_by)
    url = reverse("reviews:results", args=[review_round.pk])
    etag = client.get(url)["ETag"]
    assert revalidate(client, url, etag).status_code == 304
    rf.submit(task)
    assert revalidate(client, url, etag).status_code == 200


def test_the_public_list_is_paginated_and_revalidates(client):
    url = reverse("delivery_public:list")
    first = client.get(url)
    assert first.status_code == 200
    assert revalidate(client, url, first["ETag"]).status_code == 304


def test_the_rendered_page_is_kept_under_its_etag_and_the_csrf_cookie(client, settings):
    """Another GET with the same data, user and CSRF secret gets the kept bytes (an unaudited
    write behind the system's back does not show); any audited write renders afresh."""
    settings.YANXIU_PAGE_CACHE = True
    officer = f.province_officer()
    application = f.complete("provincial", actor=f.staff(f.institution()))
    workflow.perform(application, "submit", application.created_by)
    client.force_login(officer)
    url = reverse("applications:inbox")
    client.get(url)  # sets the CSRF cookie
    first = client.get(url).content.decode()
    assert application.title in first
    type(application).objects.filter(pk=application.pk).update(title="未经审计的改名")
    assert client.get(url).content.decode() == first  # kept
    other_tab = Client()
    other_tab.force_login(officer)
    other_tab.get(url)
    assert "未经审计的改名" in other_tab.get(url).content.decode()  # another CSRF secret: its own render
    record(officer, action="test", label="测试")  # any audited write
    assert "未经审计的改名" in client.get(url).content.decode()


def test_without_a_csrf_cookie_nothing_is_kept(client, settings):
    settings.YANXIU_PAGE_CACHE = True
    url = reverse("delivery_public:list")
    client.get(url)
    client.cookies.clear()
    from django.core.cache import cache

    before = len(getattr(cache, "_cache", {}))
    client.get(url)
    assert len(getattr(cache, "_cache", {})) == before


def test_a_change_made_in_the_admin_changes_the_etag(client):
    """The admin writes no audit entry but a LogEntry, in its transaction: that moves the version on."""
    from django.contrib.admin.models import CHANGE, LogEntry

    from yanxiu.organisations.models import Institution

    officer = f.province_officer()
    institution = f.institution()
    client.force_login(officer)
    url = reverse("applications:inbox")
    etag = client.get(url)["ETag"]
    assert revalidate(client, url, etag).status_code == 304
    Institution.objects.filter(pk=institution.pk).update(name="改名后的单位")  # not audited: no new ETag
    assert revalidate(client, url, etag).status_code == 304
    LogEntry.objects.log_actions(user_id=officer.pk, queryset=[institution], action_flag=CHANGE, single_object=True)
    assert revalidate(client, url, etag).status_code == 200


def test_the_unread_count_in_the_header_is_part_of_the_version(client):
    """A message that arrives without an audited write (a daily reminder), or one that is read,
    changes what every page's header shows: the page is rendered again, not answered 304."""
    from yanxiu.notifications.service import notify

    officer = f.province_officer()
    client.force_login(officer)
    url = reverse("applications:inbox")
    etag = client.get(url)["ETag"]
    assert revalidate(client, url, etag).status_code == 304
    notify([officer], "截止提醒", "还有3天截止。")
    fresh = revalidate(client, url, etag)
    assert fresh.status_code == 200
    assert fresh.context["unread_message_count"] == 1
    etag = fresh["ETag"]
    message = officer.messages.get()
    assert client.post(reverse("notifications:read", args=[message.pk])).status_code == 302
    read = revalidate(client, url, etag)
    assert read.status_code == 200
    assert read.context["unread_message_count"] == 0
    assert revalidate(client, url, read["ETag"]).status_code == 304


def test_the_pool_version_counts_the_calls_staged_decisions_and_no_published_one():
    first, second = rf.forwarded(), rf.forwarded()
    officer = f.province_officer()
    assert decisions.staged_summary(first.call_id)[0] == 0
    decisions.stage(first, Outcome.PROVINCIAL_ORDINARY, actor=officer)
    decisions.stage(second, Outcome.PROVINCIAL_DEMONSTRATION, actor=officer)
    staged = Decision.objects.filter(published_at__isnull=True)
    count, last, top = decisions.staged_summary(first.call_id)
    assert (count, top) == (2, max(staged.values_list("pk", flat=True)))
    assert last is not None
    assert decisions.staged_summary(first.call_id + 1)[0] == 0  # another call's pool
    staged.filter(application=second).update(published_at=clock.now())
    assert decisions.staged_summary(first.call_id)[0] == 1
