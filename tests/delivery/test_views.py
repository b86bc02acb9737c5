"""Scoping, constant query counts on list pages, and the public enrolment page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from yanxiu.delivery.models import Trainee

from .helpers import add_trainees, host_of, open_enrolment, planned, trainee_data

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_programme_list_keeps_a_constant_query_count(client):
    officer = factories.province_officer()
    planned(officer=officer)
    client.force_login(officer)
    one = queries(client, "/delivery/")
    planned("provincial", authority_code="350200-RS", officer=officer)
    planned("provincial", authority_code="350500-RS", officer=officer)
    assert queries(client, "/delivery/") == one


def test_the_trainee_list_keeps_a_constant_query_count(client):
    programme = planned()
    add_trainees(programme, 1)
    client.force_login(host_of(programme))
    client.get(f"/delivery/{programme.pk}/trainees/")  # the first visit creates the call's delivery settings
    one = queries(client, f"/delivery/{programme.pk}/trainees/")
    add_trainees(programme, 10, start=2)
    assert queries(client, f"/delivery/{programme.pk}/trainees/") == one


def test_another_institution_cannot_open_the_programme(client):
    programme = planned()
    client.force_login(factories.staff())
    assert client.get(f"/delivery/{programme.pk}/").status_code == 404
    client.force_login(factories.reviewer(factories.authority("350200-RS")))
    assert client.get(f"/delivery/{programme.pk}/").status_code == 404


def test_the_public_page_lists_open_programmes_and_takes_enrolments_without_login(client):
    programme = planned()
    assert "人工智能赋能制造业高级研修班" not in client.get("/p/programmes/").content.decode()
    open_enrolment(programme)
    assert "人工智能赋能制造业高级研修班" in client.get("/p/programmes/").content.decode()
    data = {**trainee_data(5), "consent": "on", "is_grassroots": "on"}
    response = client.post(f"/p/programmes/{programme.pk}/", data)
    assert response.status_code == 302
    assert Trainee.objects.get().name == "学员5"
    # The same ID again gets the same answer as a first enrolment: nothing tells it is already enrolled.
    again = client.post(f"/p/programmes/{programme.pk}/", {**data, "name": "冒名者"})
    assert (again.status_code, again["Location"]) == (302, response["Location"])
    assert list(Trainee.objects.values_list("name", flat=True)) == ["学员5"]
    thanks = client.get(response["Location"]).content.decode()
    assert "已报名" not in thanks
    bad = client.post(f"/p/programmes/{programme.pk}/", {**data, "id_number": "350102198001010110"}).content.decode()
    assert "身份证号校验位不正确，请核对。" in bad


def test_the_public_form_needs_the_csrf_token():
    from django.test import Client

    programme = open_enrolment(planned())
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/p/programmes/{programme.pk}/", trainee_data(1)).status_code == 403
    assert not Trainee.objects.exists()


def test_public_posts_are_rate_limited(client, settings):
    from yanxiu.delivery import public_views

    programme = open_enrolment(planned())
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
    statuses = [
        client.post(f"/p/programmes/{programme.pk}/", {}).status_code for _ in range(public_views.POSTS_PER_HOUR + 1)
    ]
    assert statuses[-2:] == [200, 429]


def test_behind_a_proxy_each_visitor_has_their_own_limit(client, settings):
    from yanxiu.delivery import public_views

    settings.YANXIU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl-proxy"}}
    programme = open_enrolment(planned())
    url = f"/p/programmes/{programme.pk}/"
    for _ in range(public_views.POSTS_PER_HOUR):
        client.post(url, {}, HTTP_X_REAL_IP="10.0.0.1", REMOTE_ADDR="127.0.0.1")
    assert client.post(url, {}, HTTP_X_REAL_IP="10.0.0.1", REMOTE_ADDR="127.0.0.1").status_code == 429
    assert client.post(url, {}, HTTP_X_REAL_IP="10.0.0.2", REMOTE_ADDR="127.0.0.1").status_code == 200
