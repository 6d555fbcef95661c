"""The one per-user settings page; the shortcuts switch (WCAG 2.1.4)."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tickets.models import AgentSettings

PAGE = "/settings/"
ALL_ON = {
    "shortcuts_enabled": "on",
    "notify_assigned": "on",
    "notify_customer_reply": "on",
    "notify_mention": "on",
    "notify_sla": "on",
}


def test_agent_sees_every_setting(client, general_agent):
    client.force_login(general_agent)

    html = client.get(PAGE).content.decode()

    for name in [*ALL_ON, "email_notifications", "away"]:
        assert f'name="{name}"' in html


def test_editor_sees_only_shortcuts(client, editor):
    client.force_login(editor)

    html = client.get(PAGE).content.decode()

    assert 'name="shortcuts_enabled"' in html
    assert 'name="notify_assigned"' not in html and 'name="away"' not in html


def test_saving_keeps_one_row_per_user(client, general_agent):
    client.force_login(general_agent)

    client.post(PAGE, {**ALL_ON, "email_notifications": "on", "away": "on"})
    response = client.post(PAGE, {**ALL_ON, "notify_sla": ""})

    assert response.status_code == 302
    prefs = AgentSettings.objects.get(user=general_agent)
    assert (prefs.notify_sla, prefs.email_notifications, prefs.away) == (False, False, False)
    assert AgentSettings.objects.count() == 1


def shortcuts_on(html: str) -> bool:
    return 'data-shortcuts="off"' not in html and 'id="shortcuts"' in html


def test_turning_shortcuts_off_removes_the_key_handler(client, general_agent):
    client.force_login(general_agent)
    assert shortcuts_on(client.get("/tickets/").content.decode())

    client.post(PAGE, {})  # everything unticked

    html = client.get("/tickets/").content.decode()
    # app.js registers no keydown handler on a body marked off; the help dialog is gone.
    assert 'data-shortcuts="off"' in html and 'id="shortcuts"' not in html
    client.post(PAGE, {"shortcuts_enabled": "on"})
    assert shortcuts_on(client.get("/tickets/").content.decode())


@pytest.mark.django_db
def test_shortcuts_stay_off_in_a_new_sign_in():
    user = UserFactory(username="kim")
    AgentSettings.objects.create(user=user, shortcuts_enabled=False)
    client = Client()

    client.post("/accounts/login/", {"username": "kim", "password": PASSWORD})

    assert 'data-shortcuts="off"' in client.get("/").content.decode()


def test_app_js_skips_the_handler_when_off():
    from pathlib import Path

    script = Path("supportdesk/static/supportdesk/app.js").read_text()
    guard = script.index('if (document.body.dataset.shortcuts === "off") return;')

    assert guard < script.index('document.addEventListener("keydown"')
