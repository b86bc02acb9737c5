"""Sessions end after 30 idle minutes and 8 hours at most (real time, frozen here)."""

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGE = "/messages/"


@pytest.fixture
def signed_in(client, wall_clock):
    user = factories.staff()
    client.post("/login/", {"username": user.username, "password": "pw-for-tests"})
    assert client.get(PAGE).status_code == 200
    return user


def test_29_idle_minutes_keep_the_session(client, wall_clock, signed_in):
    wall_clock.move(minutes=29)
    assert client.get(PAGE).status_code == 200


def test_31_idle_minutes_end_it(client, wall_clock, signed_in):
    wall_clock.move(minutes=31)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={PAGE.replace('/', '%2F')}"
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="session_expired")
    assert (entry.actor, entry.outcome) == (signed_in, "success")
    assert not AuditEntry.objects.filter(action="logout").exists()


def test_activity_keeps_it_alive_up_to_8_hours(client, wall_clock, signed_in):
    for _ in range(16):  # 16 × 29 minutes = 7 h 44 min
        wall_clock.move(minutes=29)
        assert client.get(reverse("accounts:keepalive")).status_code == 204
    wall_clock.move(minutes=15)  # 7 h 59 min
    assert client.get(PAGE).status_code == 200
    wall_clock.move(minutes=2)  # 8 h 1 min
    assert client.get(PAGE).status_code == 302
    assert AuditEntry.objects.get(action="session_expired").reason == "本次登录已超过最长时限，请重新登录。"


def test_an_htmx_request_of_an_expired_session_is_sent_to_the_login_page(client, wall_clock, signed_in):
    wall_clock.move(minutes=31)
    response = client.get(PAGE, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/login/"


def test_the_page_carries_the_limits_for_the_warning_script(client, signed_in):
    page = client.get(PAGE).content.decode()
    assert 'data-session-idle="1800"' in page
    assert 'data-session-warning="60"' in page
    assert 'id="session-warning"' in page


def test_login_and_logout_are_audited(client, signed_in):
    client.post(reverse("logout"))
    login, logout = AuditEntry.objects.filter(action__in=["login", "logout"]).order_by("id")
    assert (login.action, login.actor, login.client_ip, login.outcome) == ("login", signed_in, "127.0.0.1", "success")
    assert (logout.action, logout.actor, logout.client_ip) == ("logout", signed_in, "127.0.0.1")


def test_the_session_row_is_not_rewritten_on_every_request(client, wall_clock, signed_in):
    from django.contrib.sessions.models import Session

    def stored():
        return Session.objects.get(pk=client.session.session_key).session_data

    before = stored()
    wall_clock.move(seconds=10)
    assert client.get(PAGE).status_code == 200
    assert stored() == before  # 10 s later: nothing written
    wall_clock.move(seconds=25)
    assert client.get(PAGE).status_code == 200
    assert stored() != before  # 35 s after the last write: the new last-seen time
