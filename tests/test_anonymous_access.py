"""No page forgets its login check: every URL, anonymous, GET and POST."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.urlwalk import fill, walk

# Pages that must answer an anonymous visitor.
PUBLIC = {"login", "admin:login"}
# The JSON API answers 401 (problem details, a Bearer challenge), not a redirect:
# a token client has no session to sign in with. Its docs page is a page.
API_PAGES = {"api:docs"}


def login_urls() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def anonymous_routes():
    for route in walk():
        path = fill(route)
        if path is not None and route.name not in PUBLIC:
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
