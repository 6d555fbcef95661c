"""The demo (DEBUG on) answers a 404 with our page, not Django's list of URL patterns."""

import pytest


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_url_shows_our_page(client, db, settings, debug):
    settings.DEBUG = debug

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing here" in html
    assert "URLconf" not in html
    assert "Content-Security-Policy" in response.headers


def test_missing_ticket_in_debug_shows_our_page_in_the_frame(client, general_agent, settings):
    settings.DEBUG = True
    client.force_login(general_agent)

    response = client.get("/tickets/987654/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing here" in html
    assert 'class="sidebar"' in html  # signed in: the page keeps the app's frame
    assert "Page not found at" not in html
