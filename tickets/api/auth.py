"""Who is calling and how often: personal tokens (``Authorization: Bearer``), the
role checks of supportdesk.roles, and the per-token rate limit."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from supportdesk import roles
from supportdesk.models import ApiToken
from supportdesk.tokens import token_for


class BearerTokenAuthentication(BaseAuthentication):
    """A personal token acts as its user: same role, same inboxes."""

    def authenticate(self, request: Request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None  # not ours: the session may still apply
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as “Authorization: Bearer <token>”.")
        token = token_for(parts[1].decode("latin-1"))
        if token is None:
            raise AuthenticationFailed("Unknown or revoked token.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes unauthenticated requests 401 (not 403) with this challenge.
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token."}


class TokenRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests per token (per user for the pages' session calls),
    counted in the shared cache; past it a 429 with Retry-After."""

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request: Request, view) -> str:
        if isinstance(request.auth, ApiToken):
            who = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            who = f"user:{request.user.pk}"
        else:
            who = f"ip:{self.get_ident(request)}"
        return f"throttle:api:{who}"


def require_role(request: Request, *names: str) -> None:
    """403 unless the caller holds one of ``names`` (as ``roles.role_required``)."""
    if not roles.has_role(request.user, *names):
        who = " or ".join(f"{name.lower()}s" for name in names)
        raise PermissionDenied(f"This is for {who}.")
