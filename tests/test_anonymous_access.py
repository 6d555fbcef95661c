"""No page forgets its login check: every URL, anonymous, GET and POST."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.urlwalk import fill, walk

# Pages that must answer an anonymous visitor: sign-in, and the public help
# center with its contact form (issue 14), which never show anything internal
# (tests/test_help_center_sweep.py).
PUBLIC = {"login", "admin:login", "sitemap", "healthz", "favicon"}
# The customer's own ticket opens by its signed link alone (tests/customer/).
PUBLIC_NAMESPACES = ("help:", "contact:", "customer:")
# Forgot password: for people who cannot sign in (tests/test_password_reset.py).
PASSWORD_RESET = {
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def is_public(name: str) -> bool:
    return name in PUBLIC | PASSWORD_RESET or name.startswith(PUBLIC_NAMESPACES)


# The JSON API answers 401 (problem details, a Bearer challenge), not a redirect:
# a token client has no session to sign in with. Its docs page is a page.
API_PAGES = {"api:docs"}


def login_urls() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def anonymous_routes():
    for route in walk():
        path = fill(route)
        if path is not None and not is_public(route.name):
            yield pytest.param(path, route.name, id=route.name)


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "name"), list(anonymous_routes()))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, path, name, method):
    response = getattr(client, method)(path)

    if name.startswith("api:") and name not in API_PAGES:
        assert response.status_code == 401, f"{method.upper()} {path} gave {response.status_code}"
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        return
    if response.status_code in (404, 405):
        return
    assert response.status_code == 302, f"{method.upper()} {path} gave {response.status_code}"
    assert response["Location"].startswith(login_urls()), response["Location"]


def test_sweep_sees_the_project_urls():
    names = {route.name for route in walk()}

    assert {"home", "search", "password_change", "admin:index"} <= names
    assert {"help:home", "help:article", "help:search", "contact:form", "sitemap"} <= names


def public_routes():
    for route in walk():
        path = fill(route)
        if path is not None and is_public(route.name) and not route.name.startswith("admin:"):
            yield pytest.param(path, id=route.name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(public_routes()))
@pytest.mark.parametrize("method", ["get", "post"])
def test_public_pages_answer_without_sign_in(client, path, method, general_inbox):
    response = getattr(client, method)(path)

    assert response.status_code != 500, f"{method.upper()} {path}"
    location = response.get("Location", "")
    assert not location.startswith(login_urls()), f"{method.upper()} {path} -> {location}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PASSWORD_RESET))
def test_password_reset_pages_answer_anonymous(client, name):
    route = next(route for route in walk() if route.name == name)

    response = client.get(fill(route), follow=True)

    assert response.status_code == 200
    assert not response.redirect_chain or "/accounts/login/" not in response.redirect_chain[-1][0]
