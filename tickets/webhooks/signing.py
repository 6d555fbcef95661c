"""The signature on every delivery: HMAC-SHA256 of "<timestamp>.<body>" with the
webhook's secret, sent as ``X-SupportDesk-Signature: t=<timestamp>,v1=<hex>``
(docs/api.md shows the receiver's side; ``verify`` is that same check)."""

import hashlib
import hmac
import time

HEADER = "X-SupportDesk-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header's value for ``body``, signed now (or at ``timestamp``)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within the tolerance
    (an old signature replayed later fails)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
