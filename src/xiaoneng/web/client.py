"""The one rule for a request's client address, used by the audit log, the rate limits and the
sign-in lockout alike.

Behind a reverse proxy every request arrives from the proxy's address. The proxy appends the
address it saw to ``X-Forwarded-For``; only hops listed in ``XIAONENG_TRUSTED_PROXIES`` may
speak for the client. The header is read from the right: each trusted hop vouches for the hop
before it, and the first address that is not a trusted proxy is the client. A header sent by
anyone else (a client talking to the server directly, a proxy not in the list) is ignored, so
nobody can choose the address they are counted or audited under.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "XIAONENG_TRUSTED_PROXIES", ()) or ()))


def _address(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d; count it as the IPv4 one.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as text, or None when the request carries no valid address
    (the test client's ``force_login``, a malformed peer)."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_proxies()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    hops = list(request.META.get("HTTP_X_FORWARDED_FOR", "").split(","))
    client = peer
    for raw in reversed(hops):
        hop = _address(raw)
        if hop is None:
            # A malformed entry ends what the trusted chain can vouch for: the last trusted
            # hop is the best address known.
            break
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)
