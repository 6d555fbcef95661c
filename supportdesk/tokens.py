"""Personal API tokens: make one (shown once), find the user of one, revoke.

A token is 32 random bytes: a plain SHA-256 of it is enough to store (nobody can
brute-force that much entropy), and it lets the lookup be one indexed equality."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from supportdesk.models import ApiToken

PREFIX = "sdk_"
# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the secret (never stored)."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:80] or "API token",
        key_hash=hash_token(raw),
        prefix=raw[: len(PREFIX) + 6],
    )
    return token, raw


def token_for(raw: str) -> ApiToken | None:
    """The live token ``raw`` names, its user loaded; None when unknown or the
    user is deactivated. Records the use (at most once a minute)."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_token(*, user, token_id: int) -> bool:
    """Delete one of ``user``'s own tokens; False when they have no such token."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
