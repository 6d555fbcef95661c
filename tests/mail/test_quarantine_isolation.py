"""The isolation sweep of tests/test_isolation.py over the quarantine URLs, with
quarantined billing mail (raw bytes full of billing secrets) in the database."""

from tests.test_isolation import SECRETS, outsiders, sweep, world  # noqa: F401
from tests.urlwalk import walk
from tickets.models import InboundEmail


def test_quarantined_billing_mail_reaches_no_outsider(world, general_inbox, billing_inbox):  # noqa: F811
    raw = (
        f"From: {SECRETS['email']}\r\nTo: {billing_inbox.address}\r\n"
        f"Subject: {SECRETS['subject']}\r\n\r\n{SECRETS['message']}\r\n"
    ).encode()
    common = {"raw": raw, "sender": SECRETS["email"], "subject": SECRETS["subject"]}
    # Same pk as the billing ticket: the sweep fills every <int:...> with that number.
    InboundEmail.objects.create(
        pk=world.billing_ticket.pk, inbox=billing_inbox, status="quarantined",
        reason="no sender address in From", **common,
    )  # fmt: skip
    InboundEmail.objects.create(
        pk=world.billing_ticket.pk + 1000, status="quarantined", reason="no recipient", **common
    )
    routes = [route for route in walk() if "quarantine" in route.name]

    problems = sweep(world, outsiders(general_inbox), routes)

    assert len(routes) == 4
    assert problems == []
    assert InboundEmail.objects.filter(status="quarantined").count() == 2
