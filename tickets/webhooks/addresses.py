"""Webhook URLs may not reach our own network (SSRF): a URL whose host resolves to a
loopback, private, link-local or otherwise non-public address is refused, when it
is saved and again before each delivery (a name may resolve elsewhere later).
``WEBHOOK_ALLOW_PRIVATE_URLS`` lifts it (debug, the tests' local receivers)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url(url: str) -> None:
    """Raise ValidationError unless ``url`` is http(s) to a public address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError("Use an http:// or https:// URL with a host name.")
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as error:
        raise ValidationError(f"{parts.hostname} does not resolve ({error}).") from error
    private = sorted({info[4][0] for info in found if not is_public(info[4][0])})
    if private:
        raise ValidationError(
            f"{parts.hostname} points to a private or loopback address ({', '.join(private)}): "
            "webhooks only go to public addresses."
        )
