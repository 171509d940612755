"""The one trusted source of the client's address (docs/adr/0011-client-address.md).

Rate limits (django-ratelimit), the sign-in lockout (django-axes), the audit trail
(django-auditlog) and the lookup logs all take the address from `client_ip(request)`.

- No proxy configured (`PROXY_COUNT=0`, no `TRUSTED_PROXIES`): the socket's address,
  `REMOTE_ADDR`. `X-Forwarded-For` and every other client-supplied header are ignored.
- Behind `PROXY_COUNT` proxies, each of which appends the address it received the request from to
  `X-Forwarded-For`: the entry that the outermost proxy wrote, i.e. the `PROXY_COUNT`-th from the
  right, picked by django-ipware. Whatever a client writes into the header itself stands to the left
  of it and is never read.
- `TRUSTED_PROXIES` (networks): the header is believed only when the connection comes from one of
  them; a request that reaches the web server directly is counted by its own socket address.
  `PROXY_COUNT` without them believes the header from any peer: allowed here, refused in
  production by `check --deploy` (osms.E001, osms/core/checks.py).

With too few entries in the header (a proxy that does not append), the socket's address is used:
never an address the client could have chosen.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ipware import get_client_ip

_HEADER = "HTTP_X_FORWARDED_FOR"


@functools.cache
def _trusted_networks(networks: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(network.strip(), strict=False) for network in networks if network.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _proxies() -> tuple[int, tuple]:
    networks = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    count = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    if count < 0:
        raise ImproperlyConfigured("PROXY_COUNT must be 0 or more.")
    if networks and count == 0:
        count = 1  # trusted networks name at least the proxy that connects to us
    return count, networks


def _from_trusted_peer(peer: str, networks: tuple) -> bool:
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address as far as the configured proxies vouch for it ('' when unknown)."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    count, networks = _proxies()
    if count == 0 or not request.META.get(_HEADER) or not _from_trusted_peer(peer, networks):
        return peer
    # ipware counts the proxies *between* the client's entry and the last one in the header; the
    # outermost proxy's own entry is the client's, so one proxy in front means ipware's count 0.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=count - 1,
        request_header_order=[_HEADER],
        strict=False,
    )
    return address or peer


def ratelimit_ip(request: HttpRequest) -> str:
    """settings.RATELIMIT_IP_META_KEY: django-ratelimit needs an address, never an empty string."""
    return client_ip(request) or "0.0.0.0"  # noqa: S104  # nosec B104 # a bucket for an unknown address, not a bind


def axes_ip(request: HttpRequest) -> str | None:
    """settings.AXES_CLIENT_IP_CALLABLE."""
    return client_ip(request) or None
