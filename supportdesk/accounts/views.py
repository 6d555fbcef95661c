from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supportdesk.accounts.lockouts import current_lockouts, unlock
from supportdesk.roles import MANAGER, role_required


def _limits() -> dict:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE): 429 and what to do."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {"username": username.replace("\x00", "")[:150], **_limits()}
    return render(request, "registration/locked_out.html", context, status=429)


@role_required(MANAGER)
def lockout_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/lockouts.html", {"lockouts": current_lockouts(), **_limits()})


@require_POST
@role_required(MANAGER)
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "").replace("\x00", "")[:255]
    if kind not in {"username", "ip"} or not value:
        messages.error(request, "Choose a username or address to unlock.")
    elif unlock(kind=kind, value=value, by=request.user):
        messages.success(request, f"Unlocked {value}: they can sign in again.")
    else:
        messages.info(request, f"{value} was not locked out.")
    return redirect("lockouts")
