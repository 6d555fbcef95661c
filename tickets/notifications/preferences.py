"""The one per-user settings page: shortcuts, which notifications, email, away.

The shortcuts choice is also kept in the session (``shortcuts_off``), set at
sign-in and on save, so pages read it without a query (base.html)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supportdesk.roles import is_agent, is_manager
from tickets.models import AgentSettings

SESSION_KEY = "shortcuts_off"
NOTIFY_FIELDS = [
    "notify_assigned",
    "notify_customer_reply",
    "notify_mention",
    "notify_sla",
    "email_notifications",
]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AgentSettings
        fields = ["shortcuts_enabled", *NOTIFY_FIELDS, "away"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Each role sees only what applies to it.
        if not (is_agent(user) or is_manager(user)):
            for name in NOTIFY_FIELDS:
                del self.fields[name]
        if not is_agent(user):
            del self.fields["away"]


def remember_shortcuts(request: HttpRequest, prefs: AgentSettings | None) -> None:
    if prefs is not None and not prefs.shortcuts_enabled:
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


def on_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (tickets.apps): carry the shortcuts choice into the session."""
    if request is not None and hasattr(request, "session"):
        remember_shortcuts(request, AgentSettings.objects.filter(user=user).first())


@require_http_methods(["GET", "POST"])
def user_settings(request: HttpRequest) -> HttpResponse:
    prefs = AgentSettings.for_user(request.user)
    data = request.POST if request.method == "POST" else None  # all unticked is still a POST
    form = SettingsForm(data, instance=prefs, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        remember_shortcuts(request, prefs)
        messages.success(request, "Settings saved.")
        return redirect("user_settings")
    return render(request, "notifications/settings.html", {"form": form, "prefs": prefs})
