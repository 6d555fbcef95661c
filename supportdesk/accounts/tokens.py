"""The user's own settings: personal API tokens (list, create — shown once — and revoke)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from supportdesk.tokens import create_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="What uses it, e.g. “billing sync script”.", label="Name"
    )


# The new token rides in the session from the POST to the page after the redirect,
# and is removed as it is shown: a reload neither shows it again nor makes another.
NEW_TOKEN = "new_api_token"


@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, raw = create_token(user=request.user, name=form.cleaned_data["name"])
        request.session[NEW_TOKEN] = raw
        return redirect("api_tokens")
    created = request.session.pop(NEW_TOKEN, None)
    tokens = request.user.api_tokens.all()
    status = 400 if form.is_bound else 200
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "created": created},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    if revoke_token(user=request.user, token_id=token_id):
        messages.success(request, "Token revoked: it no longer works.")
    else:
        messages.error(request, "No such token.")
    return redirect("api_tokens")
