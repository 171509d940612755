"""System checks of the portal's own settings (`manage.py check --deploy`, run by scripts/test-all on the
production settings and by the web container before it starts)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


def _networks() -> list[str]:
    return [str(network).strip() for network in getattr(settings, "TRUSTED_PROXIES", ()) or () if str(network).strip()]


@register(Tags.security, deploy=True)
def proxy_trust_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Behind a proxy, X-Forwarded-For is believed only from the proxies' networks (ADR 0011)."""
    errors: list[CheckMessage] = []
    for network in _networks():
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES holds {network!r}, which is not a network.",
                    hint="Write networks as addresses or CIDR blocks, comma-separated: 172.30.0.0/24,10.0.0.5.",
                    id="osms.E002",
                )
            )
    if int(getattr(settings, "PROXY_COUNT", 0) or 0) > 0 and not _networks():
        errors.append(
            Error(
                "PROXY_COUNT is set but TRUSTED_PROXIES is empty: X-Forwarded-For is believed from any "
                "peer, so whoever reaches the web server around the proxy chooses the address that rate "
                "limits, the sign-in lockout and the audit trail record.",
                hint="Set TRUSTED_PROXIES to the networks the proxies connect from (docker-compose.yml: "
                "the compose network, PORTAL_SUBNET); see docs/adr/0011-client-address.md.",
                id="osms.E001",
            )
        )
    return errors
