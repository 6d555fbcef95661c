"""Applying a macro: its reply (placeholders filled), the article it carries
(recorded as a sent link, exactly like Insert), then its status, priority,
category and tags, all in one transaction: the whole macro or nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.macros.placeholders import render_placeholders
from tickets.models import Macro, Message, Ticket
from tickets.services import (
    _status_locked,
    ensure_editable,
    send_reply,
    set_category,
    set_priority,
    set_status,
)
from tickets.tags.services import add_tags


@dataclass(frozen=True)
class Applied:
    reply: Message | None
    tags: list[str]


def macro_text(macro: Macro, *, ticket: Ticket, agent) -> str:
    """The reply the macro sends: its body with placeholders filled, then the
    article's published text (what Insert would put in)."""
    parts = [render_placeholders(macro.body, ticket=ticket, agent=agent).strip()]
    if macro.article_id and macro.article.is_published:
        parts.append(macro.article.published_revision.body.strip())
    return "\n\n".join(part for part in parts if part)


@transaction.atomic
def apply_macro(ticket: Ticket, *, macro: Macro, by) -> Applied:
    """Apply ``macro`` (already checked usable by ``by`` on ``ticket``)."""
    ensure_editable(_status_locked(ticket))
    article = macro.article
    if macro.article_id and not article.is_published:
        raise ValidationError(
            f"The macro's article “{article.title}” is no longer published: "
            "edit the macro or insert another article."
        )
    text = macro_text(macro, ticket=ticket, agent=by)
    reply = None
    if text:
        status = macro.status if macro.status in Ticket.OPEN_STATUSES else ""
        reply = send_reply(
            ticket, body_text=text, by=by, articles=[article] if article else [], status=status
        )
    elif macro.status:
        set_status(ticket, status=macro.status, by=by)
    if macro.priority:
        set_priority(ticket, priority=macro.priority, by=by)
    if macro.category_id:
        set_category(ticket, category=macro.category, by=by)
    added = add_tags(ticket, names=macro.tags, by=by) if macro.tags else []
    Macro.objects.filter(pk=macro.pk).update(
        usage_count=F("usage_count") + 1, last_used_at=timezone.now()
    )
    return Applied(reply=reply, tags=added)
