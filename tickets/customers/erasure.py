"""Erasure on request: everything personal about one customer goes, for good.

Their tickets stay as anonymous rows (subject "[erased]", the thread's messages
emptied but kept), so the report's counts and the resolutions' figures do not
change; what identifies or quotes them is removed: message text and mail
headers, attachments and their files, the raw mail as received, their account
context, the payloads of webhook deliveries about their tickets, audit lines
naming their address, and the address and name on the customer row itself.
(Customers hold no stored tokens: the contact form's receipts are signed, not
kept.) Other packages that keep customer data subscribe with
``on_customer_erased``. The erasure is audited without the address.
"""

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from supportdesk import audit
from supportdesk.models import AuditEvent
from tickets.models import (
    Attachment,
    Customer,
    CustomerContext,
    InboundEmail,
    Message,
    Resolution,
    Ticket,
    WebhookDelivery,
)

log = logging.getLogger(__name__)
ERASED = "[erased]"

# listener(customer, ticket_ids) -> rows it erased; called inside the erasure's
# transaction, before the customer row loses its address.
Eraser = Callable[[Customer, list[int]], int]
_erasers: list[Eraser] = []


def on_customer_erased(eraser: Eraser) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


@dataclass
class Erasure:
    customer_id: int
    tickets: int = 0
    messages: int = 0
    attachments: int = 0
    raw_mails: int = 0
    contexts: int = 0
    webhook_payloads: int = 0
    audit_lines: int = 0
    other: int = 0
    files: list[str] = field(default_factory=list, repr=False)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k not in {"files", "customer_id"}}

    def summary(self) -> str:
        return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in self.counts().items() if v)


def find_customer(email: str) -> Customer | None:
    """The customer with this address, case-insensitively (managers only: all of them)."""
    address = email.strip().lower()
    if not address or "\x00" in address or len(address) > 254:
        return None
    return Customer.objects.alias(address=Lower("email")).filter(address=address).first()


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # logged: the row is gone already, the sweep can be rerun by hand
            log.exception("erasure: could not delete %s", name)


@transaction.atomic
def erase_customer(customer: Customer, *, by, request=None) -> Erasure:
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    email = customer.email
    erasure = Erasure(customer_id=customer.pk)
    ticket_ids = list(Ticket.objects.filter(customer=customer).values_list("pk", flat=True))
    erasure.tickets = len(ticket_ids)

    attachments = Attachment.objects.filter(ticket_id__in=ticket_ids)
    erasure.files = [name for name in attachments.values_list("file", flat=True) if name]
    erasure.attachments = attachments.delete()[1].get(Attachment._meta.label, 0)

    messages = Message.objects.filter(ticket_id__in=ticket_ids)
    raw = Q(ticket_id__in=ticket_ids) | Q(message__ticket_id__in=ticket_ids)
    if email:
        raw |= Q(sender__icontains=email)
    erasure.raw_mails = (
        InboundEmail.objects.filter(raw).delete()[1].get(InboundEmail._meta.label, 0)
    )
    # Rows kept (reports count replies and customer messages), words gone.
    erasure.messages = messages.update(
        body_text=ERASED, body_html="", quoted_text="", sender_email="", sender_name="",
        automatic="", message_id="", in_reply_to="", references="", delivery_error="",
        copied="",
    )  # fmt: skip
    # After the messages: the search trigger rebuilds each document from them.
    Ticket.objects.filter(pk__in=ticket_ids).update(subject=ERASED, preview="")
    Resolution.objects.filter(ticket_id__in=ticket_ids).exclude(note="").update(note="")
    erasure.webhook_payloads = WebhookDelivery.objects.filter(ticket_id__in=ticket_ids).update(
        payload={"erased": True}, error=""
    )
    erasure.contexts = CustomerContext.objects.filter(customer=customer).delete()[0]
    if email:
        naming = AuditEvent.objects.filter(Q(target__icontains=email) | Q(detail__icontains=email))
        erasure.audit_lines = naming.update(target=ERASED, detail=ERASED)
    for eraser in _erasers:
        erasure.other += eraser(customer, ticket_ids)

    customer.email = f"erased-{customer.pk}@erased.invalid"
    customer.name = ""
    customer.save(update_fields=["email", "name"])
    audit.record(
        "customer_erased", by=by, target=f"customer {customer.pk}", detail=erasure.summary(),
        request=request,
    )  # fmt: skip
    # Files last, once nothing can roll back: a rollback keeps rows and files alike.
    files = list(erasure.files)
    transaction.on_commit(lambda: _delete_files(files))
    return erasure
