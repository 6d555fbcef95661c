"""ingest_email (files and stdin), send_queued_mail and bench_ingest."""

import io
import json
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.mail.conftest import CORPUS, corpus
from tickets.models import InboundEmail, Message, Ticket
from tickets.services import add_reply


def test_ingest_email_files_prints_what_became_of_each(support, capsys):
    call_command("ingest_email", str(CORPUS / "plain.eml"), str(CORPUS / "unroutable.eml"))

    out, err = capsys.readouterr()
    filed = InboundEmail.objects.get(status=InboundEmail.Status.PROCESSED)
    assert f"plain.eml: mail {filed.pk}: new ticket #{filed.ticket_id}" in out
    assert "unroutable.eml: mail" in out and "quarantined (no recipient" in out
    assert "1 message(s) quarantined" in err


def test_ingest_email_reads_stdin(support, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(corpus("latin1.eml"))))

    call_command("ingest_email")

    assert "-: mail" in capsys.readouterr().out
    assert InboundEmail.objects.get().source == "cli"
    assert Ticket.objects.get().subject == "Problème de facturation"


def test_ingest_email_missing_file_is_a_clear_error(support):
    with pytest.raises(CommandError, match="nope.eml: No such file"):
        call_command("ingest_email", "nope.eml")


def test_send_queued_mail_enqueues_stale_replies_only(support, agent):
    from tests.factories import TicketFactory

    ticket = TicketFactory(inbox=support)
    old = add_reply(ticket, body_text="Old", by=agent, at=timezone.now() - timedelta(hours=1))
    add_reply(ticket, body_text="New", by=agent)

    call_command("send_queued_mail", stdout=io.StringIO())

    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [old.pk]


def test_bench_ingest_prints_a_table_and_json(db, capsys):
    call_command("bench_ingest", messages=16, warmup=0)

    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["messages"] == 16
    assert summary["ingest_per_s"] > 0
    assert summary["status_quarantined"] == 2  # the unroutable ones
    assert lines[0].split() == ["kind", "count", "ms/msg"]
    assert Message.objects.filter(kind=Message.Kind.CUSTOMER).count() == 14
