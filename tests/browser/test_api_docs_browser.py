"""/api/docs/ renders the API from our own files: no request leaves the server."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}


def test_api_docs_render_without_leaving_the_server(page: Page, live_server, transactional_db):
    user = UserFactory(role=AGENT)
    page.context.add_cookies([_session_cookie(live_server, user)])
    outside: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("SupportDesk API")
    expect(page.get_by_text("/api/v1/tickets/{number}/solve/")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert errors == []


def _session_cookie(live_server, user) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
