"""The client's address, the one way every part of the system reads it.

Behind a reverse proxy every request comes from the proxy, which names the
visitor in a header (nginx: `X-Real-IP $remote_addr`). Anyone can send that
header, so it is believed only when the request comes from a proxy listed in
YANXIU_TRUSTED_PROXIES (addresses or networks); otherwise the address is the
connection's own (REMOTE_ADDR). Used by the login limit (django-axes), the
audit trail and the public pages' rate limit.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "unknown"


@lru_cache(maxsize=16)
def _networks(proxies):
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _parse(value):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    ip = _parse(address) if isinstance(address, str) else address
    if ip is None:
        return False
    return any(ip in network for network in _networks(tuple(getattr(settings, "YANXIU_TRUSTED_PROXIES", ()))))


def client_ip(request) -> str:
    """The visitor's address as a string ("unknown" if there is none).

    A header chain (X-Forwarded-For: client, proxy1, proxy2) is read from the
    right: the first address that is not a trusted proxy is the client.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    header = getattr(settings, "YANXIU_CLIENT_IP_HEADER", "")
    if remote is None:
        return UNKNOWN
    if not header or not is_trusted_proxy(remote):
        return str(remote)
    chain = [_parse(item) for item in request.META.get(header, "").split(",") if item.strip()]
    for ip in reversed(chain):
        if ip is None:
            break  # a malformed entry: nothing to its left can be believed
        if not is_trusted_proxy(ip):
            return str(ip)
    else:
        if chain:  # every hop is one of ours: the first one is the client
            return str(chain[0])
    return str(remote)


def client_ip_or_none(request):
    """client_ip, or None when there is no address (django-axes stores it in an IP column)."""
    address = client_ip(request)
    return None if address == UNKNOWN else address
