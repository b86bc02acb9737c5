"""The client address: a header is believed only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from yanxiu.core.net import client_ip


@pytest.fixture
def behind_nginx(settings):
    settings.YANXIU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.YANXIU_TRUSTED_PROXIES = ["127.0.0.1", "10.1.0.0/16"]


def request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_configured_header_the_connection_address_counts(settings):
    settings.YANXIU_CLIENT_IP_HEADER = ""
    assert client_ip(request(REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="1.2.3.4")) == "203.0.113.5"


def test_the_header_from_a_trusted_proxy_names_the_client(behind_nginx):
    assert client_ip(request(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"
    assert client_ip(request(REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="203.0.113.6")) == "203.0.113.6"


def test_a_visitor_cannot_choose_their_address_by_sending_the_header(behind_nginx):
    assert client_ip(request(REMOTE_ADDR="198.51.100.7", HTTP_X_REAL_IP="10.0.0.1")) == "198.51.100.7"


def test_a_forwarded_chain_is_read_from_the_right_past_the_trusted_proxies(behind_nginx, settings):
    settings.YANXIU_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 10.1.0.4"}
    assert client_ip(request(**meta)) == "203.0.113.9"  # 6.6.6.6 is what the client claimed


def test_a_malformed_header_falls_back_to_the_proxy(behind_nginx):
    assert client_ip(request(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="not-an-address")) == "127.0.0.1"


def test_the_public_rate_limit_ignores_a_header_from_an_untrusted_address(client, settings, db):
    from tests.delivery.helpers import open_enrolment, planned
    from yanxiu.delivery import public_views

    settings.YANXIU_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl-net"}}
    programme = open_enrolment(planned())
    url = f"/p/programmes/{programme.pk}/"
    for n in range(public_views.POSTS_PER_HOUR):
        client.post(url, {}, HTTP_X_REAL_IP=f"10.0.0.{n}", REMOTE_ADDR="198.51.100.7")
    # A new header value each time does not give the visitor a new limit.
    assert client.post(url, {}, HTTP_X_REAL_IP="10.0.9.9", REMOTE_ADDR="198.51.100.7").status_code == 429
