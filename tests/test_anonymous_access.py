"""No page forgets its login check: every URL, anonymous, GET and POST."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.urlwalk import fill, walk

# Pages that must answer an anonymous visitor.
PUBLIC = {"login", "admin:login", "healthz"}
# Forgot password: for people who cannot sign in (tests/test_password_reset.py).
PASSWORD_RESET = {
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def login_urls() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def anonymous_routes():
    for route in walk():
        path = fill(route)
        if path is not None and route.name not in PUBLIC | PASSWORD_RESET:
            yield pytest.param(path, id=route.name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(anonymous_routes()))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, path, method):
    response = getattr(client, method)(path)

    if response.status_code in (404, 405):
        return
    assert response.status_code == 302, f"{method.upper()} {path} gave {response.status_code}"
    assert response["Location"].startswith(login_urls()), response["Location"]


def test_sweep_sees_the_project_urls():
    names = {route.name for route in walk()}

    assert {"home", "search", "password_change", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PASSWORD_RESET))
def test_password_reset_pages_answer_anonymous(client, name):
    route = next(route for route in walk() if route.name == name)

    response = client.get(fill(route), follow=True)

    assert response.status_code == 200
    assert not response.redirect_chain or "/accounts/login/" not in response.redirect_chain[-1][0]
