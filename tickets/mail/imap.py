"""Polling each inbox's IMAP mailbox (``manage.py fetch_mail``, or the task).

The mailbox is opened read-only and mail is never deleted or flagged: we only
remember how far we got. Per mailbox: UIDVALIDITY and the last UID whose mail
is safely stored (``ingest`` commits the raw bytes before we move on). A
restart resumes after the last UID; a crash between storing a mail and
recording its UID fetches it again, and deduplication on Message-ID keeps one
message. When the server reports a new UIDVALIDITY (the mailbox was rebuilt,
so the old UIDs mean nothing) we read the whole folder again, and
deduplication again keeps what we already have.

One bad mail never stops a poll: ``ingest`` files or quarantines it and we move
on. Only a mail that cannot even be stored stops its mailbox's poll (before its
UID, so the next poll tries it again); the error is kept on the mailbox
(``last_error``, shown to managers on the quarantine page) and the other
mailboxes are still read.
"""

import contextlib
import imaplib
import logging
import os
import ssl
from dataclasses import dataclass, field

from django.tasks import task
from django.utils import timezone

from tickets.mail.inbound import IngestResult, ingest, load_inboxes, process_leftovers
from tickets.models import ImapMailbox

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30


@dataclass
class FetchReport:
    mailbox: str
    results: list[IngestResult] = field(default_factory=list)
    error: str = ""
    uidvalidity_changed: bool = False

    def __str__(self) -> str:
        if self.error:
            return f"{self.mailbox}: error: {self.error}"
        note = " (UIDVALIDITY changed: folder read again)" if self.uidvalidity_changed else ""
        return f"{self.mailbox}: {len(self.results)} new{note}"


def connect(mailbox: ImapMailbox) -> imaplib.IMAP4:
    if mailbox.security == ImapMailbox.Security.SSL:
        return imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(),
            timeout=TIMEOUT_SECONDS,
        )  # fmt: skip
    conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    if mailbox.security == ImapMailbox.Security.STARTTLS:
        conn.starttls(ssl_context=ssl.create_default_context())
    return conn


def fetch_mailbox(mailbox: ImapMailbox) -> FetchReport:
    report = FetchReport(mailbox=str(mailbox))
    password = os.environ.get(mailbox.password_env, "")
    try:
        conn = connect(mailbox)
        try:
            conn.login(mailbox.username, password)
            read_new_mail(conn, mailbox, report)
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                conn.logout()
    except (imaplib.IMAP4.error, OSError, ValueError) as error:
        report.error = f"{type(error).__name__}: {error}"
    except Exception as error:  # noqa: BLE001 - e.g. the database refused a raw mail
        log.exception("IMAP mailbox %s: poll failed", mailbox.pk)
        report.error = f"{type(error).__name__}: {error}"
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = report.error.replace("\x00", "")
    try:
        mailbox.save(update_fields=["last_polled_at", "last_error"])
    except Exception:  # noqa: BLE001 - the next mailbox may still work
        log.exception("IMAP mailbox %s: could not record the poll", mailbox.pk)
    return report


def read_new_mail(conn: imaplib.IMAP4, mailbox: ImapMailbox, report: FetchReport) -> None:
    status, _ = conn.select(quote(mailbox.folder), readonly=True)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder!r}")
    _, values = conn.response("UIDVALIDITY")
    uidvalidity = int(values[0]) if values and values[0] else None
    if uidvalidity != mailbox.uidvalidity:
        report.uidvalidity_changed = mailbox.uidvalidity is not None
        mailbox.uidvalidity = uidvalidity
        mailbox.last_uid = 0
        mailbox.save(update_fields=["uidvalidity", "last_uid"])
    status, data = conn.uid("SEARCH", None, f"UID {mailbox.last_uid + 1}:*")
    if status != "OK":
        raise imaplib.IMAP4.error("UID SEARCH failed")
    # "n:*" always matches the newest message, even when it is older than n.
    uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > mailbox.last_uid)
    inboxes = load_inboxes() if uids else []
    for uid in uids:
        status, parts = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next((p[1] for p in parts or [] if isinstance(p, tuple)), None)
        if status != "OK" or raw is None:
            continue  # expunged meanwhile
        # The mailbox is its inbox's: that routes mail whose headers name no inbox (Bcc).
        source, envelope = f"imap:{mailbox.inbox.slug}", [mailbox.inbox.address]
        # Returns once the raw mail is stored, however filing went; raises (and the
        # poll stops before this UID) only when it could not be stored.
        report.results.append(ingest(raw, source=source, envelope=envelope, inboxes=inboxes))
        mailbox.last_uid = uid
        mailbox.save(update_fields=["last_uid"])


def quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def fetch_all() -> list[FetchReport]:
    """Poll every enabled mailbox, then finish any mail left half-processed."""
    mailboxes = ImapMailbox.objects.filter(enabled=True).select_related("inbox")
    reports = [fetch_mailbox(mailbox) for mailbox in mailboxes]
    process_leftovers()
    return reports


@task
def fetch_mail() -> list[str]:
    """Poll every enabled IMAP mailbox once (cron ``manage.py fetch_mail`` does the same)."""
    return [str(report) for report in fetch_all()]
