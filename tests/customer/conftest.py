import re

import pytest

from tests.factories import MessageFactory, TicketFactory
from tickets.models import Message, Ticket
from tickets.portal import links


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def ticket(general_inbox, general_agent):
    ticket = TicketFactory(
        inbox=general_inbox, status=Ticket.Status.OPEN, subject="Video stops at 90%",
        customer__email="ana@customer.example", customer__name="Ana Lima",
    )  # fmt: skip
    MessageFactory(ticket=ticket, body_text="My video stops at 90% with an error.")
    MessageFactory(
        ticket=ticket, kind=Message.Kind.REPLY, author=general_agent,
        body_text="Please try **once more** in a minute.",
    )  # fmt: skip
    MessageFactory(
        ticket=ticket, kind=Message.Kind.NOTE, author=general_agent,
        body_text="Known render farm outage NOTEQX",
    )  # fmt: skip
    return ticket


@pytest.fixture
def token(ticket) -> str:
    return links.issue_link(ticket)


def page_url(token: str, action: str = "") -> str:
    return f"/help/tickets/{token}/" + (f"{action}/" if action else "")


def link_in(text: str) -> str:
    """The token of the first customer link in a mail's text."""
    return re.search(r"/help/tickets/([A-Za-z0-9_-]{43})/", text)[1]
