"""Run by tests/mail/test_intake_sqlite.py in a subprocess whose DATABASE_URL is a
SQLite file (the demo's database): set up the inboxes, feed mail through one
source, and print every stored mail as JSON.

    python tests/mail/sqlite_intake.py setup
    python tests/mail/sqlite_intake.py imap PORT USER PASSWORD
    python tests/mail/sqlite_intake.py webhook FILE...
    python tests/mail/sqlite_intake.py retry PK
    python tests/mail/sqlite_intake.py rows
"""

import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

assert connection.vendor == "sqlite", connection.vendor


def setup() -> None:
    from tickets.models import Inbox

    Inbox.objects.update_or_create(
        slug="general",
        defaults={"name": "General", "address": "support@example.com",
                  "reply_from": "support@example.com", "position": 0},
    )  # fmt: skip
    Inbox.objects.update_or_create(
        slug="billing",
        defaults={"name": "Billing", "address": "billing@example.com",
                  "reply_from": "billing@example.com", "position": 1},
    )  # fmt: skip


def imap(port: str, user: str, password: str) -> None:
    from tickets.mail.imap import fetch_all
    from tickets.models import ImapMailbox, Inbox

    os.environ["SQLITE_IMAP_PASSWORD"] = password
    ImapMailbox.objects.create(
        inbox=Inbox.objects.get(slug="general"), host="127.0.0.1", port=int(port),
        security=ImapMailbox.Security.PLAIN, username=user, password_env="SQLITE_IMAP_PASSWORD",
    )  # fmt: skip
    [report] = fetch_all()
    print(json.dumps({"error": report.error, "last_uid": ImapMailbox.objects.get().last_uid}))


def webhook(files: list[str]) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.mail.test_webhook import basic_auth, signed_post

    setup_test_environment()
    client = Client()
    statuses = []
    for name in files:
        data = signed_post(Path(name).read_bytes().decode("utf-8", errors="replace").encode())
        data["recipient"] = "desk@relay.example"
        statuses.append(client.post("/mail/inbound/mailgun/", data, **basic_auth()).status_code)
    print(json.dumps({"statuses": statuses}))


def retry(pk: str) -> None:
    from tickets.mail.inbound import retry
    from tickets.models import InboundEmail

    result = retry(InboundEmail.objects.get(pk=int(pk)))
    print(json.dumps({"status": result.status, "reason": result.reason}))


def rows() -> None:
    from tickets.models import InboundEmail

    print(json.dumps([
        {"pk": row.pk, "status": row.status, "reason": row.reason,
         "sha256": hashlib.sha256(bytes(row.raw)).hexdigest(),
         "subject": row.ticket.subject if row.ticket else None,
         "body": row.message.body_text if row.message else None}
        for row in InboundEmail.objects.select_related("ticket", "message").order_by("pk")
    ]))  # fmt: skip


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"setup": setup, "imap": imap, "retry": retry, "rows": rows}.get(
        command, lambda *a: webhook(list(a))
    )(*args)
