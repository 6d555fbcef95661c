"""Replies by email, against a real SMTP server (aiosmtpd) on loopback."""

import asyncio
import threading
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import CustomerFactory, TicketFactory
from tests.mail.conftest import corpus
from tickets.mail import outbound
from tickets.mail.inbound import ingest
from tickets.models import Attachment, Message, Ticket
from tickets.services import add_reply, create_ticket, get_or_create_customer


def tasks(name: str) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=f"tickets.mail.outbound.{name}"))


@pytest.fixture
def ticket(support):
    return create_ticket(
        inbox=support,
        customer=get_or_create_customer("ana@customer.example", "Ana"),
        subject="Video stops at 90%",
        body_text="It fails.",
        message_id="<first@customer.example>",
    )


def test_a_reply_is_queued_and_a_task_enqueued_on_commit(
    ticket, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = add_reply(ticket, body_text="Please retry.", by=agent)

    message.refresh_from_db()
    assert message.delivery == Message.Delivery.QUEUED
    assert message.message_id.endswith("@example.com>")
    [task] = tasks("send_message")
    assert task.args_kwargs["args"] == [message.pk]


def test_no_task_before_commit(ticket, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_reply(ticket, body_text="Please retry.", by=agent)

    assert len(callbacks) == 1
    assert tasks("send_message") == []


def test_a_customer_without_email_gets_no_mail(support, agent, django_capture_on_commit_callbacks):
    ticket = TicketFactory(inbox=support, customer=CustomerFactory(email=""))

    with django_capture_on_commit_callbacks(execute=True):
        message = add_reply(ticket, body_text="Called you back.", by=agent)

    assert message.delivery == Message.Delivery.NONE
    assert tasks("send_message") == []


def test_the_reply_arrives_from_the_inbox_with_our_headers(ticket, agent, smtp_server):
    message = add_reply(ticket, body_text="Please retry the render.", by=agent)

    assert outbound.deliver_message(message.pk) == "sent"

    [mail] = smtp_server.messages
    assert mail["From"].addresses[0].addr_spec == "support@example.com"
    assert mail["To"].addresses[0].addr_spec == "ana@customer.example"
    assert mail["Message-ID"] == message.message_id
    assert mail["In-Reply-To"] == "<first@customer.example>"
    assert mail["References"] == "<first@customer.example>"
    assert f"[#{ticket.pk}]" in mail["Subject"]
    assert mail["Auto-Submitted"] is None  # a person wrote it
    assert "Please retry the render." in mail.get_body(("plain",)).get_content()
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.SENT
    assert message.sent_at is not None


def test_files_attached_to_the_reply_go_out_with_it(ticket, agent, smtp_server):
    message = add_reply(ticket, body_text="Here is the receipt.", by=agent)
    attachment = Attachment(
        ticket=ticket, message=message, name="receipt.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("receipt.pdf", ContentFile(b"%PDF-1.4\n"), save=True)

    assert outbound.deliver_message(message.pk) == "sent"

    [mail] = smtp_server.messages
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "receipt.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == b"%PDF-1.4\n"


def test_the_customers_answer_threads_back(ticket, agent, smtp_server):
    message = add_reply(ticket, body_text="Please retry.", by=agent)
    outbound.deliver_message(message.pk)
    [mail] = smtp_server.messages
    answer = (
        f"From: ana@customer.example\r\nTo: support@example.com\r\nSubject: {mail['Subject']}\r\n"
        f"Message-ID: <answer@customer.example>\r\nIn-Reply-To: {mail['Message-ID']}\r\n"
        "\r\nWorked, thanks!\r\n"
    ).encode()

    assert ingest(answer, source="t").ticket_id == ticket.pk


def test_smtp_down_then_back_sends_exactly_once(ticket, agent, smtp_server):
    message = add_reply(ticket, body_text="Please retry.", by=agent)
    smtp_server.stop()

    assert outbound.deliver_message(message.pk) == "retry"

    message.refresh_from_db()
    assert message.delivery == Message.Delivery.QUEUED
    assert message.delivery_attempts == 1
    assert "Connection refused" in message.delivery_error

    smtp_server.start()
    assert outbound.deliver_message(message.pk) == "sent"
    assert outbound.deliver_message(message.pk) == "skipped"  # a spare retry task
    assert len(smtp_server.messages) == 1
    message.refresh_from_db()
    assert (message.delivery, message.delivery_attempts) == (Message.Delivery.SENT, 2)


def test_a_failed_try_enqueues_a_later_retry(
    ticket, agent, smtp_server, django_capture_on_commit_callbacks
):
    message = add_reply(ticket, body_text="Please retry.", by=agent)
    smtp_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        outbound.deliver_message(message.pk)

    [retry] = tasks("send_message")
    assert retry.args_kwargs["args"] == [message.pk]
    assert retry.run_after > timezone.now() + timedelta(seconds=30)


def test_a_reply_waiting_for_its_retry_is_not_enqueued_again(ticket, agent, smtp_server):
    """The cron's re-enqueue is for lost tasks only: an hour-old reply whose first try
    failed a moment ago keeps to its backoff."""
    message = add_reply(ticket, body_text="Please retry.", by=agent,
                        at=timezone.now() - timedelta(hours=1))  # fmt: skip
    smtp_server.stop()
    assert outbound.deliver_message(message.pk) == "retry"  # its retry task not committed

    assert outbound.send_queued() == 0

    assert tasks("send_message") == []
    message.refresh_from_db()
    assert message.delivery_due_at > timezone.now() + timedelta(seconds=30)


def test_a_reply_whose_retry_task_was_lost_is_enqueued_again(ticket, agent, smtp_server):
    message = add_reply(ticket, body_text="Please retry.", by=agent)
    smtp_server.stop()
    outbound.deliver_message(message.pk)  # its retry task is never enqueued: lost
    Message.objects.filter(pk=message.pk).update(
        delivery_due_at=timezone.now() - timedelta(minutes=20)
    )

    assert outbound.send_queued() == 1

    [task] = tasks("send_message")
    assert task.args_kwargs["args"] == [message.pk]
    message.refresh_from_db()
    assert task.run_after == message.delivery_due_at
    assert message.delivery_due_at > timezone.now() - timedelta(minutes=1)


def test_a_spare_task_before_the_retry_is_due_costs_no_attempt(ticket, agent, smtp_server):
    from tickets.mail.outbound import send_message

    message = add_reply(ticket, body_text="Please retry.", by=agent)
    smtp_server.stop()
    assert send_message.call(message.pk) == "retry"  # the first try is due at once

    assert send_message.call(message.pk) == "skipped"  # the next one is not due yet

    message.refresh_from_db()
    assert (message.delivery, message.delivery_attempts) == (Message.Delivery.QUEUED, 1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_after_recovery(ticket, agent, smtp_server, settings):
    """End to end through django-tasks-db's worker: down, then up, one mail."""
    settings.MAIL_SEND_RETRY_SECONDS = 0  # the retry is due at once
    smtp_server.stop()
    message = add_reply(ticket, body_text="Please retry.", by=agent)  # commits: task enqueued
    call_command("db_worker", batch=True, startup_delay=False, max_tasks=1, verbosity=0)
    message.refresh_from_db()
    assert (message.delivery, message.delivery_attempts) == (Message.Delivery.QUEUED, 1)

    smtp_server.start()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    message.refresh_from_db()
    assert message.delivery == Message.Delivery.SENT
    assert len(smtp_server.messages) == 1


def test_after_the_last_attempt_it_is_failed_with_the_error(ticket, agent, smtp_server, settings):
    settings.MAIL_SEND_MAX_ATTEMPTS = 2
    message = add_reply(ticket, body_text="Please retry.", by=agent)
    smtp_server.stop()

    assert outbound.deliver_message(message.pk) == "retry"
    assert outbound.deliver_message(message.pk) == "failed"

    message.refresh_from_db()
    assert message.delivery == Message.Delivery.FAILED
    assert message.delivery_error


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_reply_twice(ticket, agent, smtp_server):
    async def slow_data(server, session, envelope):
        await asyncio.sleep(0.5)  # the first worker holds the row while sending
        smtp_server.handler.envelopes.append(envelope)
        return "250 OK"

    smtp_server.handler.handle_DATA = slow_data
    message = add_reply(ticket, body_text="Please retry.", by=agent)
    start = threading.Barrier(2, timeout=10)
    outcomes = []

    def worker():
        start.wait()
        try:
            outcomes.append(outbound.deliver_message(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(smtp_server.messages) == 1


def test_acknowledgement_for_a_new_ticket_is_marked_automatic(
    support, smtp_server, django_capture_on_commit_callbacks
):
    support.acknowledge_new_tickets = True
    support.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(corpus("plain.eml"), source="t")
    [task] = tasks("send_acknowledgement")
    assert outbound.deliver_acknowledgement(*task.args_kwargs["args"])

    [mail] = smtp_server.messages
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["In-Reply-To"] == "<plain-1@customer.example>"
    assert f"[#{result.ticket_id}]" in mail["Subject"]
    assert mail["From"].addresses[0].addr_spec == "support@example.com"


# A bounce opens no ticket at all (tests/mail/test_quirks.py).
@pytest.mark.parametrize("name", ["auto-reply.eml", "exchange-oof.eml", "mailing-list.eml"])
def test_no_acknowledgement_for_automatic_mail(name, support, django_capture_on_commit_callbacks):
    support.acknowledge_new_tickets = True
    support.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(corpus(name), source="t")

    assert result.new_ticket
    assert tasks("send_acknowledgement") == []


def test_no_acknowledgement_for_a_reply_or_when_off(
    support, ticket, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(corpus("plain.eml"), source="t")  # acknowledgements off
    support.acknowledge_new_tickets = True
    support.save()
    answer = corpus("plain.eml").replace(
        b"<plain-1@customer.example>", b"<plain-2@c>\r\nIn-Reply-To: <first@customer.example>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(answer, source="t")

    assert result.ticket_id == ticket.pk
    assert tasks("send_acknowledgement") == []
    assert Ticket.objects.count() == 2
