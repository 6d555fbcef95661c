"""fetch_mail against a real IMAP server (Dovecot) on loopback."""

import pytest
from django.core.management import call_command

from tickets.mail.imap import fetch_all, fetch_mailbox
from tickets.models import ImapMailbox, InboundEmail, Message


def mail(n: int) -> bytes:
    return (
        f"From: ana@customer.example\r\nTo: support@example.com\r\nSubject: Mail {n}\r\n"
        f"Message-ID: <imap-{n}@customer.example>\r\n\r\nBody {n}\r\n"
    ).encode()


@pytest.fixture
def mailbox(dovecot, support, monkeypatch):
    user = dovecot.new_user()
    monkeypatch.setenv("TEST_IMAP_PASSWORD", dovecot.password)
    box = ImapMailbox.objects.create(
        inbox=support,
        host="127.0.0.1",
        port=dovecot.port,
        security=ImapMailbox.Security.PLAIN,
        username=user,
        password_env="TEST_IMAP_PASSWORD",
    )
    box.user = user
    return box


def restarted(box: ImapMailbox) -> ImapMailbox:
    """The mailbox as a freshly started process sees it: only what the database holds."""
    fresh = ImapMailbox.objects.get(pk=box.pk)
    fresh.user = box.user
    return fresh


def subjects() -> list[str]:
    return sorted(Message.objects.values_list("ticket__subject", flat=True))


def test_fetch_files_new_mail_and_remembers_where_it_stopped(dovecot, mailbox):
    dovecot.deliver(mailbox.user, mail(1))
    dovecot.deliver(mailbox.user, mail(2))

    report = fetch_mailbox(mailbox)

    assert report.error == ""
    assert [r.status for r in report.results] == ["processed", "processed"]
    assert subjects() == ["Mail 1", "Mail 2"]
    box = restarted(mailbox)
    assert box.last_uid == 2
    assert box.uidvalidity
    assert InboundEmail.objects.filter(source="imap:general").count() == 2


def test_a_restart_neither_skips_nor_repeats(dovecot, mailbox):
    dovecot.deliver(mailbox.user, mail(1))
    fetch_mailbox(mailbox)
    dovecot.deliver(mailbox.user, mail(2))

    again = fetch_mailbox(restarted(mailbox))
    nothing_new = fetch_mailbox(restarted(mailbox))

    assert len(again.results) == 1
    assert nothing_new.results == []
    assert subjects() == ["Mail 1", "Mail 2"]


def test_a_crash_before_recording_the_uid_repeats_nothing(dovecot, mailbox):
    dovecot.deliver(mailbox.user, mail(1))
    dovecot.deliver(mailbox.user, mail(2))
    fetch_mailbox(mailbox)
    ImapMailbox.objects.filter(pk=mailbox.pk).update(last_uid=1)  # UID 2 filed, not recorded

    report = fetch_mailbox(restarted(mailbox))

    assert [r.status for r in report.results] == ["duplicate"]
    assert Message.objects.count() == 2


def test_a_new_uidvalidity_reads_the_folder_again_without_repeats(dovecot, mailbox):
    mailbox.folder = "Support"
    mailbox.save()
    dovecot.deliver(mailbox.user, mail(1), folder="Support")
    dovecot.deliver(mailbox.user, mail(2), folder="Support")
    fetch_mailbox(mailbox)
    old_validity = restarted(mailbox).uidvalidity
    # The folder is rebuilt: same mail plus one new, UIDs start over.
    dovecot.drop_folder(mailbox.user, "Support")
    for n in (1, 2, 3):
        dovecot.deliver(mailbox.user, mail(n), folder="Support")

    report = fetch_mailbox(restarted(mailbox))

    assert report.uidvalidity_changed
    assert restarted(mailbox).uidvalidity != old_validity
    assert sorted(r.status for r in report.results) == ["duplicate", "duplicate", "processed"]
    assert subjects() == ["Mail 1", "Mail 2", "Mail 3"]


def test_mail_in_an_inboxs_mailbox_naming_no_inbox_lands_there(dovecot, mailbox, billing):
    """Bcc'd to support: its headers name no inbox, its mailbox does."""
    raw = mail(1).replace(b"To: support@example.com", b"To: friend@else.example")
    dovecot.deliver(mailbox.user, raw)

    [result] = fetch_mailbox(mailbox).results

    assert result.status == "processed"
    assert Message.objects.get().ticket.inbox == mailbox.inbox


def test_the_command_and_the_task_poll_every_enabled_mailbox(dovecot, mailbox, capsys):
    from tickets.mail.imap import fetch_mail

    dovecot.deliver(mailbox.user, mail(1))
    call_command("fetch_mail")
    dovecot.deliver(mailbox.user, mail(2))

    lines = fetch_mail.call()

    assert "1 new" in capsys.readouterr().out
    assert lines == [f"{mailbox}: 1 new"]
    ImapMailbox.objects.update(enabled=False)
    assert fetch_all() == []


def test_a_wrong_password_is_reported_and_kept(dovecot, mailbox, monkeypatch):
    # Last in the file: Dovecot slows down logins from an address after a failure.
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "wrong")

    report = fetch_mailbox(mailbox)

    assert "AUTHENTICATIONFAILED" in report.error or "failed" in report.error.lower()
    assert restarted(mailbox).last_error == report.error
