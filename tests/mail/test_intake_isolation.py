"""No mail can stop intake: a batch with poisoned mails in the middle files every
good mail, leaves nothing "received", and quarantines the poisoned ones with
their reasons, through each source (pipe, IMAP against Dovecot, webhook).
tests/mail/test_intake_sqlite.py runs the same batch on SQLite."""

import imaplib

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.mail.conftest import CORPUS, corpus
from tests.mail.test_imap import mailbox  # noqa: F401 - the Dovecot mailbox fixture
from tests.mail.test_webhook import URL, basic_auth, mailgun, signed_post  # noqa: F401
from tickets.mail import imap, inbound
from tickets.models import ImapMailbox, InboundEmail, Message, Ticket

# In delivery order; the poisoned ones sit between good ones. NULs (encoded or raw,
# in Subject, Message-ID, From or the body) are stripped and the mail filed.
BATCH = [
    ("plain.eml", "filed"),
    ("nul-subject.eml", "filed"),
    ("garbage.eml", "unreadable"),
    ("nul-message-id.eml", "filed"),
    ("unroutable.eml", "no recipient is an inbox address"),
    ("nul-raw-headers.eml", "filed"),
    ("long-sender.eml", "sender address longer than 254 characters"),
    ("nul-body.eml", "filed"),
    ("no-from.eml", "no sender address in From"),
    ("nested-multipart.eml", "filed"),
]
SUBJECTS = {
    "plain.eml": "Video stops at 90%",
    "nul-subject.eml": "NUL in subject",
    "nul-message-id.eml": "Message-ID with a NUL",
    "nul-raw-headers.eml": "Raw NUL in the header",
    "nul-body.eml": "NUL in the body",
    "nested-multipart.eml": "Screenshots attached",
}


def assert_batch_filed(rows: list[InboundEmail], *, raw=corpus, bcc_routes=False) -> None:
    """``rows``: the stored mails in BATCH order; ``raw(name)``: the bytes the source
    delivered; ``bcc_routes``: the source names the inbox (an IMAP mailbox is one)."""
    assert len(rows) == len(BATCH)
    assert not InboundEmail.objects.filter(status=InboundEmail.Status.RECEIVED).exists()
    for row, (name, expected) in zip(rows, BATCH, strict=True):
        assert bytes(row.raw) == raw(name), name
        if name == "unroutable.eml" and bcc_routes:
            expected = "filed"
        if expected == "filed":
            assert row.status == InboundEmail.Status.PROCESSED, (name, row.reason)
            # ASCII only: what Dovecot serves for a raw NUL (0x80) is no character of ours.
            ascii_subject = "".join(c for c in row.ticket.subject if c.isascii())
            assert ascii_subject == SUBJECTS.get(name, "Wrong address"), name
        else:
            assert row.status == InboundEmail.Status.QUARANTINED, name
            assert expected in row.reason, (name, row.reason)
    body = Message.objects.get(ticket__subject="NUL in the body")
    assert body.body_text.replace("\ufffd", "") == "The export stops at row 4096."
    assert "\x00" not in body.body_html and "4096</b>" in body.body_html
    assert Ticket.objects.count() == 6 + bcc_routes


def test_the_pipe_files_a_poisoned_batch(support, tmp_path, capsys):
    files = [str(CORPUS / name) for name, _ in BATCH]

    call_command("ingest_email", *files)

    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == len(BATCH)
    assert "4 message(s) quarantined" in err
    assert_batch_filed(list(InboundEmail.objects.order_by("pk")))


def test_imap_files_a_poisoned_batch_and_moves_past_it(dovecot, mailbox):  # noqa: F811
    for name, _ in BATCH:
        dovecot.deliver(mailbox.user, corpus(name))

    report = imap.fetch_mailbox(mailbox)

    assert report.error == ""
    assert len(report.results) == len(BATCH)
    box = ImapMailbox.objects.get(pk=mailbox.pk)
    assert box.last_uid == len(BATCH)
    assert box.last_error == ""
    # Exactly what the server handed out (Dovecot turns a NUL byte into 0x80).
    served = dict(zip([n for n, _ in BATCH], served_mail(dovecot, mailbox.user), strict=True))
    assert_batch_filed(
        list(InboundEmail.objects.order_by("pk")), raw=served.__getitem__, bcc_routes=True
    )


def served_mail(dovecot, user: str) -> list[bytes]:
    conn = imaplib.IMAP4("127.0.0.1", dovecot.port)
    conn.login(user, dovecot.password)
    conn.select("INBOX", readonly=True)
    _, data = conn.uid("FETCH", "1:*", "(BODY.PEEK[])")
    conn.logout()
    return [part[1] for part in data if isinstance(part, tuple)]


def test_the_webhook_answers_2xx_for_each_mail_of_a_poisoned_batch(client, support):
    statuses = []
    for name, _ in BATCH:
        # A form field is text: the garbage's undecodable bytes arrive replaced.
        data = signed_post(corpus(name).decode("utf-8", errors="replace").encode())
        data["recipient"] = "desk@relay.example"  # the headers route (or not)
        statuses.append(client.post(URL, data, **basic_auth()).status_code)

    assert statuses == [200] * len(BATCH)
    rows = list(InboundEmail.objects.order_by("pk"))
    # anymail hands over the message it parsed, written back out (LF line ends).
    assert_batch_filed(rows, raw=lambda name: bytes(rows[[n for n, _ in BATCH].index(name)].raw))
    assert b"NUL in the body" in bytes(rows[7].raw)


def test_a_failure_whose_message_holds_a_nul_is_quarantined_with_it(support, monkeypatch):
    """PostgreSQL errors quote the refused value: the reason must still be storable."""
    original = inbound.file_message

    def refuse_watches(parsed, inbox):
        if "NUL" in parsed.subject:
            raise ValueError("refused value 'NUL\x00in subject'")
        return original(parsed, inbox)

    monkeypatch.setattr(inbound, "file_message", refuse_watches)

    results = [inbound.ingest(corpus(n), source="t") for n in ("nul-subject.eml", "plain.eml")]

    assert [r.status for r in results] == ["quarantined", "processed"]
    row = InboundEmail.objects.get(pk=results[0].inbound_id)
    assert row.reason == "could not be filed: ValueError: refused value 'NULin subject'"
    assert row.subject == "NUL in subject"


def test_when_the_quarantine_record_is_refused_the_mail_is_quarantined_bare(support, monkeypatch):
    original = inbound.save_state
    refused = []

    def refuse_details_once(row, **kwargs):
        if row.subject and not refused:
            refused.append(row.subject)
            raise inbound.IntegrityError("value refused")
        return original(row, **kwargs)

    monkeypatch.setattr(inbound, "save_state", refuse_details_once)

    result = inbound.ingest(corpus("unroutable.eml"), source="t")

    row = InboundEmail.objects.get(pk=result.inbound_id)
    assert row.status == InboundEmail.Status.QUARANTINED
    assert row.reason.startswith("no recipient is an inbox address")
    assert "its details could not be stored: IntegrityError" in row.reason
    assert bytes(row.raw) == corpus("unroutable.eml")


def test_mail_that_cannot_be_stored_stops_only_its_mailbox_before_its_uid(
    dovecot,
    mailbox,  # noqa: F811
    billing,
    monkeypatch,
):
    other_user = dovecot.new_user()
    other = ImapMailbox.objects.create(
        inbox=billing, host="127.0.0.1", port=dovecot.port,
        security=ImapMailbox.Security.PLAIN, username=other_user,
        password_env="TEST_IMAP_PASSWORD",
    )  # fmt: skip
    for name in ("plain.eml", "latin1.eml", "nested-multipart.eml"):
        dovecot.deliver(mailbox.user, corpus(name))
    dovecot.deliver(other_user, corpus("plain.eml").replace(b"support@", b"billing@"))
    original = inbound.store

    def disk_full_for_latin1(raw, **kwargs):
        if b"iso-8859-1" in raw:
            raise OSError("No space left on device")
        return original(raw, **kwargs)

    monkeypatch.setattr(inbound, "store", disk_full_for_latin1)

    reports = imap.fetch_all()

    assert [len(r.results) for r in reports] == [1, 1]
    assert "No space left on device" in reports[0].error
    assert ImapMailbox.objects.get(pk=mailbox.pk).last_uid == 1  # the next poll retries UID 2
    assert "No space left" in ImapMailbox.objects.get(pk=mailbox.pk).last_error
    assert ImapMailbox.objects.get(pk=other.pk).last_error == ""
    monkeypatch.setattr(inbound, "store", original)

    again = imap.fetch_mailbox(ImapMailbox.objects.get(pk=mailbox.pk))

    assert again.error == ""
    assert [r.status for r in again.results] == ["processed", "processed"]
    assert ImapMailbox.objects.get(pk=mailbox.pk).last_error == ""


def test_the_pipe_exits_tempfail_when_a_mail_cannot_be_stored(support, monkeypatch, capsys):
    original = inbound.store

    def refuse_garbage(raw, **kwargs):
        if raw.startswith(b"\x00"):
            raise OSError("database is read-only")
        return original(raw, **kwargs)

    monkeypatch.setattr(inbound, "store", refuse_garbage)
    files = [str(CORPUS / n) for n in ("plain.eml", "garbage.eml", "latin1.eml")]

    with pytest.raises(CommandError) as raised:
        call_command("ingest_email", *files)

    assert raised.value.returncode == 75  # EX_TEMPFAIL: the MTA tries again later
    out, err = capsys.readouterr()
    assert "garbage.eml: NOT STORED: OSError: database is read-only" in err
    assert InboundEmail.objects.filter(status=InboundEmail.Status.PROCESSED).count() == 2


def test_mail_left_received_is_processed_by_the_next_poll(support):
    from datetime import timedelta

    from django.utils import timezone

    stale = InboundEmail.objects.create(
        raw=corpus("plain.eml"), source="cli", received_at=timezone.now() - timedelta(hours=1)
    )
    fresh = InboundEmail.objects.create(raw=corpus("latin1.eml"), source="cli")

    imap.fetch_all()  # no mailbox configured: still finishes leftovers

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == InboundEmail.Status.PROCESSED
    assert fresh.status == InboundEmail.Status.RECEIVED  # may still be in progress


def test_managers_see_a_mailboxs_error_agents_do_not(client, manager, agent, support):
    support.members.add(agent)
    ImapMailbox.objects.create(
        inbox=support, host="imap.example.com", username="desk", password_env="X",
        last_error="IMAP4.error: [AUTHENTICATIONFAILED] Authentication failed.",
    )  # fmt: skip

    client.force_login(manager)
    as_manager = client.get(reverse("tickets:quarantine")).content.decode()
    client.force_login(agent)
    as_agent = client.get(reverse("tickets:quarantine")).content.decode()

    assert "AUTHENTICATIONFAILED" in as_manager
    assert "desk@imap.example.com/INBOX" in as_manager
    assert "AUTHENTICATIONFAILED" not in as_agent


def test_send_queued_mail_also_finishes_mail_left_received(support):
    """A pipe-only setup runs no fetch_mail; the hourly cron job finishes such mail."""
    import io
    from datetime import timedelta

    from django.utils import timezone

    stale = InboundEmail.objects.create(
        raw=corpus("plain.eml"), source="cli", received_at=timezone.now() - timedelta(hours=1)
    )
    out = io.StringIO()

    call_command("send_queued_mail", stdout=out)

    stale.refresh_from_db()
    assert stale.status == InboundEmail.Status.PROCESSED
    assert f"left unprocessed, now: mail {stale.pk}: new ticket" in out.getvalue()


def test_a_nul_mail_quarantined_before_the_fix_files_on_retry(support):
    """Mail the old code quarantined for its NUL bytes is no longer stuck there."""
    stuck = InboundEmail.objects.create(
        raw=corpus("nul-body.eml"), source="cli", status=InboundEmail.Status.QUARANTINED,
        reason="could not be filed: DataError: PostgreSQL text fields cannot contain NUL",
    )  # fmt: skip

    result = inbound.retry(stuck)

    assert result.status == InboundEmail.Status.PROCESSED
    assert Message.objects.get(pk=result.message_id).body_text == "The export stops at row 4096."


def test_the_sweep_leaves_mail_another_process_is_filing_and_takes_it_when_that_dies(support):
    """The sweep runs a minute after a mail arrived (not ten), because a process still
    filing a mail holds its lock; a process that died (or lost the database) drops it."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    stale = InboundEmail.objects.create(
        raw=corpus("plain.eml"), source="cli", received_at=timezone.now() - timedelta(minutes=2)
    )
    other_process = connection.get_new_connection(connection.get_connection_params())
    other_process.execute("SELECT pg_advisory_lock(%s, %s)", [inbound.LOCK_SPACE, stale.pk])

    assert inbound.process_leftovers() == []
    assert inbound.process(stale).reason == "being filed by another process"
    stale.refresh_from_db()
    assert stale.status == InboundEmail.Status.RECEIVED
    assert Message.objects.count() == 0

    other_process.close()  # the filing process dies: PostgreSQL drops its lock
    [result] = inbound.process_leftovers()

    stale.refresh_from_db()
    assert result.status == stale.status == InboundEmail.Status.PROCESSED
    assert Message.objects.count() == 1
