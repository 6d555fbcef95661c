"""Rate limits for anonymous writes, counted in the shared cache.

Clients are known by a keyed hash of their IP address (or of an email
address): the cache never holds the address itself, and nothing is stored in
the database about who voted or wrote.
"""

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from supportdesk.accounts.client_ip import client_ip


def client_key(request: HttpRequest) -> str:
    """A hash of the client's address, read as sign-in protection reads it (only the
    forwarded hops our own proxies added count), so customers behind the TLS proxy
    are not all one client."""
    return salted_hmac("help-center-client", client_ip(request), algorithm="sha256").hexdigest()[
        :32
    ]


def email_key(email: str) -> str:
    return salted_hmac("help-center-email", email.strip().lower(), algorithm="sha256").hexdigest()[
        :32
    ]


def allow(kind: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one more ``kind`` for ``key``; False once over ``limit`` in the window.

    The window starts at the first hit (``cache.add``) and is not extended by
    later ones, so a client over the limit is let in again when it ends."""
    name = f"throttle:{kind}:{key}"
    cache.add(name, 0, seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds)
        count = 1
    return count <= limit


def used(kind: str, key: str) -> int:
    """How many ``kind`` ``key`` has counted in its current window (counts none)."""
    return cache.get(f"throttle:{kind}:{key}", 0)
