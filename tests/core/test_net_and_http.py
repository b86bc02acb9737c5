"""The client's address (trusted proxies only) and no-store on pages with personal data."""

import pytest
from django.test import RequestFactory

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, open_enrolment, planned
from yanxiu.core.net import client_ip


@pytest.mark.parametrize(
    ("remote", "header", "expected"),
    [
        ("10.0.0.5", "", "10.0.0.5"),  # no proxy header: the peer
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),  # the trusted proxy vouches for the client
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the entry the proxy appended
        ("198.51.100.9", "203.0.113.7", "198.51.100.9"),  # a client sending the header itself: ignored
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("10.1.2.3", "203.0.113.7", "203.0.113.7"),  # a trusted network
    ],
)
def test_client_ip_believes_the_header_only_from_a_trusted_proxy(settings, remote, header, expected):
    settings.YANXIU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.YANXIU_TRUSTED_PROXIES = ["127.0.0.1", "10.1.0.0/16"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_REAL_IP=header)
    assert client_ip(request) == expected


def test_without_a_configured_header_the_peer_address_is_used(settings):
    settings.YANXIU_CLIENT_IP_HEADER = ""
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7")
    assert client_ip(request) == "127.0.0.1"


def _no_store(response):
    return "no-store" in [part.strip() for part in response["Cache-Control"].split(",")]


@pytest.mark.django_db
def test_pages_and_files_with_personal_data_are_not_stored(client):
    programme = open_enrolment(planned())
    [trainee] = add_trainees(programme, 1)
    client.force_login(host_of(programme))
    base = f"/delivery/{programme.pk}"
    for url in [
        f"{base}/trainees/",
        f"{base}/trainees/{trainee.pk}/id/",
        f"{base}/roster.xlsx",
        f"{base}/attendance/",
        f"{base}/certificates/",
        f"{base}/credit-hours.xlsx",
        f"{base}/access-log/",
        f"{base}/sign-in.docx",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    client.logout()
    for url in [f"/p/programmes/{programme.pk}/", f"/p/survey/{programme.survey_token}/", "/p/verify/unknown/"]:
        assert _no_store(client.get(url)), url


@pytest.mark.django_db
def test_a_page_without_personal_data_keeps_the_default(client):
    client.force_login(factories.province_officer())
    assert "no-store" not in client.get("/delivery/").get("Cache-Control", "")


@pytest.mark.django_db
def test_every_generated_file_is_not_stored(client):
    """core.downloads.attachment (附件1/2/3, the plan, exports…) adds no-store itself."""
    from yanxiu.core.downloads import XLSX, attachment

    response = attachment(b"x", "名册.xlsx", XLSX)
    assert _no_store(response)
    assert "private" in response["Cache-Control"]
