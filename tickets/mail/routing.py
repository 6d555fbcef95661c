"""Which inbox a mail belongs to.

The rule, for a mail that names several of our addresses (a reply-all copying
support@ and billing@): the header recipients decide, not the envelope, so
every delivered copy of one mail picks the same inbox and deduplication keeps
one message.

1. the inboxes named in To; if none,
2. the inboxes named in Cc; if none,
3. the envelope: Delivered-To, X-Original-To, and the recipients reported
   beside the mail (a provider webhook's: Bcc, forwarding, aliases; the inbox
   whose IMAP mailbox held it), stored with it for retries;
4. among the inboxes found at the first step that found any, the first by
   inbox position (then name), whatever the order the sender typed them in.

Addresses compare case-insensitively, and plus-addressing is ignored:
``Support+Refunds@example.com`` is ``support@example.com``.
"""

from collections.abc import Iterable

from tickets.models import Inbox


def normalise(address: str) -> str:
    local, _, domain = address.strip().lower().rpartition("@")
    if not local:
        return address.strip().lower()
    return f"{local.split('+', 1)[0]}@{domain}"


def route(
    *, to: Iterable[str], cc: Iterable[str], envelope: Iterable[str], inboxes: list[Inbox]
) -> Inbox | None:
    """The inbox for these recipients (``inboxes`` in position order), or None."""
    by_address = {normalise(inbox.address): inbox for inbox in inboxes}
    for group in (to, cc, envelope):
        named = {normalise(address) for address in group}
        matches = [inbox for address, inbox in by_address.items() if address in named]
        if matches:
            return min(matches, key=lambda inbox: (inbox.position, inbox.name, inbox.pk))
    return None
