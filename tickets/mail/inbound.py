"""The inbound pipeline every source calls: ``ingest(raw, source=...)``.

1. store the raw bytes in their own committed row (InboundEmail), so whatever
   fails later the mail is kept and can be retried;
2. parse (tickets.mail.parse), 3. route (routing), 4. thread (threading);
5. deduplicate on Message-ID per inbox: a partial unique constraint on the
   processed rows (no look-up first: duplicates are rare, and the constraint
   is the only check that holds under concurrency), so of two copies filed,
   even at once, one wins and the other is recorded as a duplicate;
6. automatic mail (auto-replies, bounces, lists) is filed without reopening
   anything and never gets our acknowledgement.

Anything that cannot be parsed, routed or filed ends in quarantine with its
reason; ``process`` runs again on retry. No mail can stop intake: once its raw
bytes are stored, ``ingest`` returns whatever happens (a failure while filing,
even while quarantining, ends as a quarantined row with its reason), so a batch
goes on to the next mail. It raises only when the raw bytes could not be stored,
so the source keeps the mail (the MTA retries, IMAP does not move past it, a
webhook answers 5xx). Call ``ingest`` outside a transaction (the commands and
webhooks do) so step 1 really commits on its own.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from supportdesk import audit
from supportdesk.metrics import MAIL_INTAKE, source_kind
from tickets import services
from tickets.attachments import program_problem
from tickets.mail import outbound, routing, threading
from tickets.mail.parse import (
    ParsedAttachment,
    ParsedMail,
    ParseError,
    clean_body,
    clean_line,
    parse,
)
from tickets.mail.quotes import split_reply
from tickets.models import Attachment, InboundEmail, Inbox, Message, Ticket

log = logging.getLogger(__name__)
DEDUP_CONSTRAINT = "inbound_unique_message_per_inbox"
MAX_ADDRESS = 254  # RFC 5321's limit, and Customer.email's
ACKS_PER_HOUR = 3  # acknowledgements per sender address
# Everything but the raw bytes, which are written once and never again.
# The first key of the per-mail advisory locks ("SD"): ours, apart from any other user's.
LOCK_SPACE = 0x5344

STATE_FIELDS = [
    "status", "reason", "processed_at", "message_id_header", "sender", "subject", "inbox",
    "message", "ticket",
]  # fmt: skip


@dataclass
class IngestResult:
    inbound_id: int
    status: str
    reason: str = ""
    ticket_id: int | None = None
    message_id: int | None = None
    new_ticket: bool = False

    def __str__(self) -> str:
        if self.status == InboundEmail.Status.PROCESSED:
            what = "new ticket" if self.new_ticket else "added to ticket"
            return f"mail {self.inbound_id}: {what} #{self.ticket_id}"
        return f"mail {self.inbound_id}: {self.status}" + (
            f" ({self.reason})" if self.reason else ""
        )


def ingest(
    raw: bytes,
    *,
    source: str,
    envelope: list[str] | None = None,
    inboxes: list[Inbox] | None = None,
) -> IngestResult:
    """File one raw mail; ``envelope`` adds recipients a provider or mailbox reported
    (kept with the mail, so a retry routes it alike). A caller filing a batch (one
    IMAP poll) may pass ``inboxes`` (load_inboxes()) once. Raises only when the raw
    mail could not be stored."""
    return process(store(raw, source=source, envelope=envelope), inboxes=inboxes)


def store(raw: bytes, *, source: str, envelope: list[str] | None = None) -> InboundEmail:
    """Step 1: the raw bytes, committed on their own (one INSERT in autocommit)."""
    return InboundEmail.objects.create(
        raw=bytes(raw),
        source=clean_line(source)[:40],
        # jsonb refuses \u0000 too.
        envelope=[clean_line(str(address))[:255] for address in envelope or []],
    )


def load_inboxes() -> list[Inbox]:
    return list(Inbox.objects.order_by("position", "name", "pk"))


def process(inbound: InboundEmail, *, inboxes: list[Inbox] | None = None) -> IngestResult:
    """Parse, route and file a stored mail. Never raises: what fails is quarantined
    with its reason, and when even that cannot be written (the database is gone)
    the row stays "received" for ``process_leftovers``."""
    with working_on(inbound.pk) as mine:
        if not mine:
            return IngestResult(
                inbound_id=inbound.pk,
                status=InboundEmail.Status.RECEIVED,
                reason="being filed by another process",
            )
        result = _process_safely(inbound, inboxes)
    MAIL_INTAKE.labels(source_kind(inbound.source), str(result.status)).inc()
    return result


@contextmanager
def working_on(inbound_pk: int) -> Iterator[bool]:
    """Whether this process may file the mail now: a PostgreSQL session lock per mail,
    which the server drops with the connection, so a process that died or lost the
    database midway never blocks the mail for long (SQLite, the demo, has one writer)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = [LOCK_SPACE, inbound_pk % 2**31]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except DatabaseError:  # the connection is gone, and the lock with it
                pass


def _process_safely(inbound: InboundEmail, inboxes: list[Inbox] | None) -> IngestResult:
    try:
        return _process(inbound, inboxes)
    except Exception as error:  # noqa: BLE001 - no mail may stop the batch
        log.exception("inbound mail %s could not be processed", inbound.pk)
        reason = f"could not be processed: {type(error).__name__}: {error}"
        try:
            return quarantine(inbound, reason)
        except Exception:  # noqa: BLE001 - the database itself failed: try again later
            log.exception("inbound mail %s could not even be quarantined", inbound.pk)
            return IngestResult(
                inbound_id=inbound.pk, status=InboundEmail.Status.RECEIVED, reason=reason
            )


def process_leftovers(*, older_than: timedelta = timedelta(minutes=1)) -> list[IngestResult]:
    """Mail stored but never processed (the process died, the database went away
    midway): process it now. ``fetch_mail`` and ``send_queued_mail`` run this. A mail
    another process is still filing holds its lock (``working_on``) and is skipped,
    and one that process finished meanwhile is no longer "received"."""
    stale = InboundEmail.objects.filter(
        status=InboundEmail.Status.RECEIVED, received_at__lt=timezone.now() - older_than
    ).order_by("received_at", "id")[:100]
    results = []
    for inbound in stale:
        with working_on(inbound.pk) as mine:
            if mine and InboundEmail.objects.filter(pk=inbound.pk, status="received").exists():
                results.append(process(inbound))
    return results


def _process(inbound: InboundEmail, inboxes: list[Inbox] | None) -> IngestResult:
    try:
        parsed = parse(bytes(inbound.raw))
    except ParseError as error:
        return quarantine(inbound, str(error))
    inbound.message_id_header = parsed.message_id[:255]
    inbound.sender = parsed.from_email[:255]
    inbound.subject = parsed.subject[:255]
    inboxes = load_inboxes() if inboxes is None else inboxes
    envelope = parsed.envelope + list(inbound.envelope)
    inbox = routing.route(to=parsed.to, cc=parsed.cc, envelope=envelope, inboxes=inboxes)
    inbound.inbox = inbox
    if inbox is None:
        named = ", ".join(dict.fromkeys(parsed.to + parsed.cc + envelope)) or "none"
        return quarantine(inbound, f"no recipient is an inbox address (recipients: {named})")
    if not parsed.from_email:
        return quarantine(inbound, "no sender address in From")
    if len(parsed.from_email) > MAX_ADDRESS:
        return quarantine(inbound, f"sender address longer than {MAX_ADDRESS} characters")
    ours = {routing.normalise(a) for i in inboxes for a in (i.address, i.reply_from)}
    if routing.normalise(parsed.from_email) in ours:
        # Our own mail coming back (a forward or alias loop): never file it as a customer's.
        return quarantine(inbound, f"sent from our own address {parsed.from_email} (mail loop?)")
    parsed.copied = copied_addresses(parsed, ours)
    try:
        with transaction.atomic():
            message, new_ticket = file_message(parsed, inbox)
            inbound.status = InboundEmail.Status.PROCESSED
            inbound.reason = parsed.automatic
            inbound.processed_at = timezone.now()
            inbound.message = message
            inbound.ticket = message.ticket
            # The unique constraint on processed (inbox, Message-ID): an earlier copy
            # makes this fail, and a concurrent twin waits here for the first to commit,
            # then fails; either way everything this copy filed rolls back.
            save_state(inbound, savepoint=False)
    except IntegrityError as error:
        # PostgreSQL names the constraint; SQLite only says "UNIQUE constraint failed:
        # tickets_inboundemail.inbox_id, ...", so look for the processed twin itself.
        original = processed_twin(inbound)
        if original is None and DEDUP_CONSTRAINT not in str(error):
            return quarantine(inbound, f"could not be filed: {error}")
        return mark_duplicate(inbound, original)
    except NotFiled as why:
        return set_aside(inbound, str(why))
    except Exception as error:  # noqa: BLE001 - nothing may crash the pipeline; raw is kept
        log.exception("inbound mail %s could not be filed", inbound.pk)
        return quarantine(inbound, f"could not be filed: {type(error).__name__}: {error}")
    if new_ticket and may_acknowledge(parsed, message):
        transaction.on_commit(lambda: outbound.send_acknowledgement.enqueue(message.pk))
    return IngestResult(
        inbound_id=inbound.pk,
        status=inbound.status,
        reason=inbound.reason,
        ticket_id=message.ticket_id,
        message_id=message.pk,
        new_ticket=new_ticket,
    )


def save_state(inbound: InboundEmail, *, savepoint: bool = True) -> None:
    """Save what processing found, whatever characters it holds (in a savepoint, so
    a refused write leaves an outer transaction usable; filing has its own)."""
    for name in ("message_id_header", "sender", "subject"):
        setattr(inbound, name, clean_line(getattr(inbound, name))[:255])
    inbound.reason = clean_body(inbound.reason)[:2000]
    if savepoint and transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            inbound.save(update_fields=STATE_FIELDS)
    else:  # autocommit: a refused UPDATE breaks nothing, and needs no BEGIN/COMMIT
        inbound.save(update_fields=STATE_FIELDS)


def copied_addresses(parsed: ParsedMail, ours: set[str]) -> list[str]:
    """The mail's other recipients, once each: neither ours nor the sender's."""
    skip = ours | {routing.normalise(parsed.from_email)}
    copied = {}
    for address in parsed.to + parsed.cc:
        address = clean_line(address).strip()
        key = routing.normalise(address)
        if "@" in address and len(address) <= MAX_ADDRESS and key not in skip:
            copied.setdefault(key, address)
    return list(copied.values())[:20]


class NotFiled(Exception):
    """Mail deliberately not filed (a delivery report about none of our mails)."""


def may_acknowledge(parsed: ParsedMail, message: Message) -> bool:
    """Acknowledge a person's new ticket, at most ACKS_PER_HOUR times an hour per sender
    (a robot sending plain mail without automatic headers gets a few, not one a mail)."""
    if parsed.automatic or parsed.bounce:
        return False
    ticket = message.ticket
    if not ticket.inbox.acknowledge_new_tickets:
        return False
    since = timezone.now() - timedelta(hours=1)
    recent = Ticket.objects.filter(
        customer_id=ticket.customer_id, channel=Ticket.Channel.EMAIL, created_at__gte=since
    )
    return recent.count() <= ACKS_PER_HOUR


def file_message(parsed: ParsedMail, inbox: Inbox) -> tuple[Message, bool]:
    """Add the mail to its ticket, or open one; (message, whether a ticket was made)."""
    ticket = threading.find_ticket(
        thread_ids=parsed.thread_ids, subject=parsed.subject, sender=parsed.from_email, inbox=inbox
    )
    if ticket is None and parsed.bounce:
        # Backscatter, or a report on mail we never sent: opening a ticket helps nobody.
        raise NotFiled("delivery report about none of our mails in this inbox: no ticket opened")
    customer = services.get_or_create_customer(parsed.from_email, parsed.from_name[:120])
    new_text, quoted_text = split_reply(parsed.text)
    body_text = new_text or ("(attachments only)" if parsed.attachments else "(empty message)")
    headers = {
        "message_id": parsed.message_id[:255],
        "in_reply_to": parsed.in_reply_to[:255],
        "references": " ".join(parsed.references),
        "quoted_text": quoted_text,
        "sender": services.Sender(
            email=parsed.from_email,
            name=parsed.from_name,
            automatic=parsed.automatic,
            copied=tuple(parsed.copied),
        ),
    }
    if ticket is not None:
        message = services.add_customer_message(
            ticket,
            body_text=body_text,
            body_html=parsed.html,
            may_reopen=not parsed.automatic,
            **headers,
        )
        # A closed ticket's follow-up: new when this mail started it.
        new_ticket = message.ticket_id != ticket.pk and not (
            Message.objects.filter(ticket_id=message.ticket_id).exclude(pk=message.pk).exists()
        )
    else:
        ticket, message = services.open_ticket(
            inbox=inbox,
            customer=customer,
            subject=threading.subject_without_token(parsed.subject),
            body_text=body_text,
            body_html=parsed.html,
            channel=Ticket.Channel.EMAIL,
            **headers,
        )
        new_ticket = True
    store_attachments(parsed.attachments, message)
    if parsed.bounced_ids:
        # The reply this report is about did not arrive: say so on the reply itself.
        Message.objects.filter(
            message_id__in=parsed.bounced_ids, kind=Message.Kind.REPLY, ticket__inbox=inbox
        ).update(delivery=Message.Delivery.FAILED, delivery_error="Bounced: see the report.")
    return message, new_ticket


def store_attachments(attachments: list[ParsedAttachment], message: Message) -> None:
    refused = []
    for part in attachments:
        problem = attachment_problem(part)
        if problem:
            refused.append(f"- {part.name} ({part.content_type}, {size_text(len(part.data))}): "
                           f"{problem}")  # fmt: skip
            continue
        attachment = Attachment(
            ticket_id=message.ticket_id,
            message=message,
            name=part.name,
            content_type=part.content_type[:120],
            size=len(part.data),
        )
        attachment.file.save(part.name, ContentFile(part.data), save=False)
        attachment.save()
    if refused:
        services.add_note(
            message.ticket,
            by=None,
            body_text="Attachments of this mail were not kept as files; they are in the "
            'original mail (the message\'s "Original mail" link):\n' + "\n".join(refused),
        )


def attachment_problem(part: ParsedAttachment) -> str:
    if len(part.data) > settings.MAIL_ATTACHMENT_MAX_BYTES:
        return f"larger than {size_text(settings.MAIL_ATTACHMENT_MAX_BYTES)}"
    if part.content_type.lower() in settings.MAIL_ATTACHMENT_BLOCKED_TYPES:
        return "file type not accepted"
    # Whatever it is labelled or called: the content has the last word.
    return program_problem(part.data, name=part.name, declared_type=part.content_type)


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} kB"


def processed_twin(inbound: InboundEmail) -> InboundEmail | None:
    """The mail already filed with this one's Message-ID in its inbox, if any."""
    return (
        InboundEmail.objects.defer("raw")
        .filter(
            inbox=inbound.inbox,
            message_id_header=inbound.message_id_header,
            status=InboundEmail.Status.PROCESSED,
        )
        .exclude(pk=inbound.pk)
        .first()
    )


def mark_duplicate(inbound: InboundEmail, original: InboundEmail | None) -> IngestResult:
    inbound.status = InboundEmail.Status.DUPLICATE
    inbound.reason = f"same Message-ID as mail {original.pk}" if original else "same Message-ID"
    inbound.processed_at = timezone.now()
    inbound.message = None
    inbound.ticket_id = original.ticket_id if original else None
    save_state(inbound)
    return IngestResult(
        inbound_id=inbound.pk,
        status=inbound.status,
        reason=inbound.reason,
        ticket_id=inbound.ticket_id,
    )


def quarantine(inbound: InboundEmail, reason: str) -> IngestResult:
    inbound.status = InboundEmail.Status.QUARANTINED
    inbound.reason = reason
    inbound.processed_at = timezone.now()
    inbound.message = None
    inbound.ticket = None
    try:
        save_state(inbound)
    except Exception as error:  # noqa: BLE001 - what parsing found cannot be stored: drop it
        log.exception("inbound mail %s: quarantine details refused", inbound.pk)
        inbound.message_id_header = inbound.sender = inbound.subject = ""
        inbound.reason = f"{reason} (its details could not be stored: {type(error).__name__})"
        save_state(inbound)
    return IngestResult(inbound_id=inbound.pk, status=inbound.status, reason=inbound.reason)


def set_aside(inbound: InboundEmail, reason: str) -> IngestResult:
    """Read, and deliberately not filed: discarded with why (the raw copy stays)."""
    inbound.status = InboundEmail.Status.DISCARDED
    inbound.reason = reason
    inbound.processed_at = timezone.now()
    inbound.message = None
    inbound.ticket = None
    save_state(inbound)
    return IngestResult(inbound_id=inbound.pk, status=inbound.status, reason=inbound.reason)


def retry(inbound: InboundEmail) -> IngestResult:
    """Run a quarantined mail through the pipeline again (after a fix)."""
    inbound.status = InboundEmail.Status.RECEIVED
    inbound.reason = ""
    return process(inbound)


def discard(inbound: InboundEmail, *, by=None) -> None:
    """Give up on a quarantined mail; its raw copy stays."""
    inbound.status = InboundEmail.Status.DISCARDED
    inbound.processed_at = timezone.now()
    inbound.save(update_fields=["status", "processed_at"])
    audit.record(
        "quarantine_discarded",
        by=by,
        target=f"mail #{inbound.pk}",
        detail=f"{inbound.sender or '(unknown sender)'}: {inbound.subject or '(no subject)'}"[
            :500
        ],
    )
