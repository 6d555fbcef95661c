"""Tags: the writes (audited, like every change to a ticket) and the autocomplete."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from tickets.models import Tag, Ticket, TicketEvent, TicketTag
from tickets.services import _status_locked, ensure_editable
from tickets.tags.names import normalise_tag, parse_tags

__all__ = ["normalise_tag", "parse_tags"]  # re-exported for the views

SUGGESTIONS = 10


def get_or_create_tag(name: str) -> Tag:
    name = normalise_tag(name)
    found = Tag.objects.filter(name=name).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name)
    except IntegrityError:  # someone made it meanwhile
        return Tag.objects.get(name=name)


def tag_event(ticket_id: int, *, old: str, new: str, by, at: datetime) -> TicketEvent:
    return TicketEvent(
        ticket_id=ticket_id, kind=TicketEvent.Kind.TAGS, actor=by,
        old_value=old[:200], new_value=new[:200], created_at=at,
    )  # fmt: skip


@transaction.atomic
def add_tags(ticket: Ticket, *, names: Iterable[str], by, at: datetime | None = None) -> list[str]:
    """Put the tags on the ticket; returns those that were new to it."""
    at = at or timezone.now()
    ensure_editable(_status_locked(ticket))
    tags = [get_or_create_tag(name) for name in dict.fromkeys(names)]
    have = set(ticket.tag_links.values_list("tag_id", flat=True))
    new = [tag for tag in tags if tag.pk not in have]
    if not new:
        return []
    TicketTag.objects.bulk_create(
        [TicketTag(ticket_id=ticket.pk, tag=tag, added_by=by, added_at=at) for tag in new],
        ignore_conflicts=True,
    )
    added = [tag.name for tag in new]
    tag_event(ticket.pk, old="", new=", ".join(added), by=by, at=at).save()
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    return added


@transaction.atomic
def remove_tag(ticket: Ticket, *, name: str, by, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    name = normalise_tag(name)
    ensure_editable(_status_locked(ticket))
    removed, _ = TicketTag.objects.filter(ticket_id=ticket.pk, tag__name=name).delete()
    if removed:
        tag_event(ticket.pk, old=name, new="", by=by, at=at).save()
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    return bool(removed)


def tag_suggestions(user, prefix: str, *, limit: int = SUGGESTIONS) -> list[str]:
    """Tags starting with ``prefix`` that are on a ticket ``user`` may see (a
    tag seen only on another inbox's tickets is not offered), most used first."""
    try:
        prefix = normalise_tag(prefix)
    except ValidationError:
        return []
    visible = Ticket.objects.visible_to(user).filter(pk=OuterRef("ticket_id")).values("pk")
    used = TicketTag.objects.filter(tag=OuterRef("pk")).filter(Exists(visible))
    tags = (
        Tag.objects.alias(lname=Lower("name"))
        .filter(lname__startswith=prefix)
        .filter(Exists(used))
        .order_by("name")
    )
    return list(tags.values_list("name", flat=True)[:limit])
