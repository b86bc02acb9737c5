"""The client's address, for logs and rate limits.

REMOTE_ADDR, unless the request comes from a configured trusted proxy
(`YANXIU_TRUSTED_PROXIES`: addresses or networks), in which case the header
that proxy sets (`YANXIU_CLIENT_IP_HEADER`, e.g. HTTP_X_REAL_IP) is read. A
client talking to the server directly cannot choose its address by sending
the header.
"""

import ipaddress

from django.conf import settings


def _networks():
    networks = []
    for item in getattr(settings, "YANXIU_TRUSTED_PROXIES", ()):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            continue
    return networks


def _address(text):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def client_ip(request):
    """The visitor's address as a string, or None when it cannot be read."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    header = getattr(settings, "YANXIU_CLIENT_IP_HEADER", "")
    if remote is not None and header and any(remote in network for network in _networks()):
        # The proxy appends the address it saw last: the right-most entry is the one it vouches for.
        forwarded = [part for part in request.META.get(header, "").split(",") if part.strip()]
        if forwarded:
            claimed = _address(forwarded[-1])
            if claimed is not None:
                return str(claimed)
    return str(remote) if remote is not None else None
