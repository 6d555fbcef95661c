"""/api/docs/ renders the API from our own files: no request leaves the server."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}


# A strict policy like the site's (Django's CSP with nonces: no inline script or
# style without one). The docs page carries none, so it must work under it.
STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'"
)


def test_api_docs_render_without_leaving_the_server(
    page: Page, live_server, transactional_db, readme_screenshot
):
    user = UserFactory(role=AGENT)
    page.context.add_cookies([_session_cookie(live_server, user)])
    outside: list[str] = []

    def guard(route):
        request = route.request
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in LOCAL:
            if request.resource_type == "document":
                # The page under the strict policy, whatever the server's settings.
                response = route.fetch()
                headers = {**response.headers, "content-security-policy": STRICT}
                route.fulfill(response=response, headers=headers)
            else:
                route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    page.route("**/*", guard)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(live_server.url + "/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("SupportDesk API")
    expect(page.get_by_text("/api/v1/tickets/{number}/solve/")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert errors == []
    assert refused == []
    readme_screenshot(page, "api-docs.png")


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
