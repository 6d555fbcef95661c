"""Run by tests/test_demo_sqlite.py in a subprocess with DATABASE_URL=sqlite:///...:
every role's main pages on the demo database, as `make demo` serves them.
Prints one JSON line: {url: [status, checks that failed]}."""

import json
import os
import sys
from html import escape

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from tickets.models import Ticket  # noqa: E402
from tickets.tags.services import add_tags  # noqa: E402


def walk(username: str, urls: list[tuple[str, list[str]]], headers=None) -> dict:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    results = {}
    for url, expected in urls:
        response = client.get(url, headers=headers or {})
        text = response.content.decode(errors="replace")
        key = f"{username} {url}" + (" (htmx)" if headers else "")
        missing = [e for e in expected if escape(e) not in text]
        results[key] = [response.status_code, missing]
    return results


def main() -> None:
    agent = User.objects.filter(groups__name="Agent", inboxes__slug="general").first()
    ticket = Ticket.objects.filter(inbox__slug="general", status="open").order_by("-id").first()
    first = ticket.messages.order_by("created_at").first()
    tag = add_tags(ticket, names=["walked-demo"], by=agent)[0]
    agent_pages = [
        ("/", []),
        ("/tickets/", []),
        ("/tickets/?view=all", [ticket.subject[:30]]),
        ("/tickets/?sort=due", []),
        (f"/tickets/?view=all&tag={tag}", [ticket.subject[:30]]),
        (f"/tickets/{ticket.pk}/", [ticket.subject[:30], first.body_text[:30], tag]),
        (f"/tickets/{ticket.pk}/?q=credits", []),
        ("/tickets/reports/", []),
        ("/search/?q=credits", []),
        ("/articles/", []),
    ]
    results = {}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        results |= walk(agent.username, agent_pages)
        results |= walk(
            agent.username,
            [(f"/tickets/{ticket.pk}/", [first.body_text[:30]])],
            headers={"HX-Request": "true", "HX-Target": "thread"},
        )
        manager = User.objects.filter(groups__name="Manager").first().username
        results |= walk(manager, [(u, []) for u, _ in agent_pages if "?q=" not in u])
        editor = User.objects.filter(groups__name="Editor").first().username
        results |= walk(editor, [("/", []), ("/articles/", [])])
    print(json.dumps(results))


main()
