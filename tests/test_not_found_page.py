"""The demo (DEBUG on) answers a 404 with our page, not Django's list of URL patterns."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.urls import path


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


@login_not_required
def broken_view(request):
    raise RuntimeError("the demo broke")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_debug_keeps_the_traceback_page_for_server_errors(client, db, settings):
    settings.DEBUG = True
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert "the demo broke" in response.content.decode()  # Django's traceback page
