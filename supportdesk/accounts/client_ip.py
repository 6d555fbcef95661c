"""The client's address, as far as we can trust it.

Behind the TLS proxy REMOTE_ADDR is the proxy. X-Forwarded-For is a list every
proxy appends to, and the client can write anything into its left end, so we
read only the entries our own proxies added: with ``TRUSTED_PROXY_COUNT`` = N,
the N-th from the right. With 0 (the default) the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote  # did not come through all our proxies: nothing to trust
    return _valid(hops[-trusted]) or remote
