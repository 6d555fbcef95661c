"""Filing a contact-form message: the email channel's rules, from a web form."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from articles.models import Article
from tickets import services
from tickets.mail import outbound, threading
from tickets.models import ContactArticle, Inbox, Message, Ticket


@dataclass
class ContactMessage:
    inbox: Inbox
    email: str
    name: str
    subject: str
    message: str
    files: list = field(default_factory=list)
    # Revision ids of the articles shown beside the form.
    shown: list[int] = field(default_factory=list)


@transaction.atomic
def file_contact(contact: ContactMessage) -> tuple[Message, bool]:
    """Add the message to the customer's ticket it continues, or open one in the
    chosen inbox; (message, whether a ticket was made). As for mail, a ``[#123]``
    in the subject continues ticket 123 only for its own customer and inbox."""
    customer = services.get_or_create_customer(contact.email, contact.name[:120])
    ticket = threading.find_ticket(
        thread_ids=[], subject=contact.subject, sender=contact.email, inbox=contact.inbox
    )
    # Our own Message-ID: a reply to the acknowledgement threads back to it.
    message_id = services.new_message_id()
    if ticket is not None:
        message = services.add_customer_message(
            ticket, body_text=contact.message, message_id=message_id
        )
        new_ticket = message.ticket_id != ticket.pk  # a follow-up of a closed ticket
    else:
        ticket, message = services.open_ticket(
            inbox=contact.inbox,
            customer=customer,
            subject=threading.subject_without_token(contact.subject),
            body_text=contact.message,
            channel=Ticket.Channel.WEB,
            message_id=message_id,
        )
        new_ticket = True
    services.attach_files(message, contact.files)
    store_shown(message.ticket_id, contact.shown)
    if new_ticket and contact.inbox.acknowledge_new_tickets:
        transaction.on_commit(lambda: outbound.send_acknowledgement.enqueue(message.pk))
    return message, new_ticket


def store_shown(ticket_id: int, revision_ids: Iterable[int]) -> list[ContactArticle]:
    """Keep the shown articles that were published revisions when stored; ids
    that name anything else (a draft, a made-up number) are dropped."""
    wanted = list(revision_ids)
    published = dict(
        Article.objects.published()
        .filter(published_revision_id__in=wanted)
        .values_list("published_revision_id", "id")
    )
    rows = [
        ContactArticle(ticket_id=ticket_id, article_id=published[r], revision_id=r, position=i)
        for i, r in enumerate(r for r in wanted if r in published)
    ]
    return ContactArticle.objects.bulk_create(rows, ignore_conflicts=True)
