"""Deduplication under concurrency: two workers filing the same mail at once."""

import threading

import pytest
from django.db import connection

from tests.mail.conftest import corpus
from tickets.mail import inbound
from tickets.models import InboundEmail, Message, Ticket
from tickets.services import get_or_create_customer


@pytest.mark.django_db(transaction=True)
def test_two_workers_ingesting_the_same_mail_file_it_once(support, monkeypatch):
    get_or_create_customer("cleo@customer.example", "Cleo")  # no row write the threads share
    both_filed = threading.Barrier(2, timeout=10)
    original = inbound.file_message

    def file_then_wait(parsed, inbox):
        filed = original(parsed, inbox)
        both_filed.wait()  # both filed, neither committed: only the constraint can stop one
        return filed

    monkeypatch.setattr(inbound, "file_message", file_then_wait)
    results, errors = [], []

    def worker(raw: bytes) -> None:
        try:
            results.append(inbound.ingest(raw, source="thread"))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(corpus(name),))
        for name in ("duplicate-a.eml", "duplicate-b.eml")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(r.status for r in results) == ["duplicate", "processed"]
    assert Message.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 2
    duplicate = InboundEmail.objects.get(status=InboundEmail.Status.DUPLICATE)
    assert duplicate.ticket == Ticket.objects.get()


def test_the_same_message_id_in_two_inboxes_is_two_messages(support, billing):
    """Dedup is per inbox: billing's copy of a mail is not support's."""
    raw = corpus("plain.eml")

    first = inbound.ingest(raw, source="t")
    second = inbound.ingest(raw.replace(b"To: support@", b"To: billing@"), source="t")

    assert first.status == second.status == InboundEmail.Status.PROCESSED
    assert Ticket.objects.count() == 2
