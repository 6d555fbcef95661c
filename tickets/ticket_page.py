"""What the ticket page shows, read in a fixed number of queries however long
the thread: the timeline, the articles column, the customer card, the history."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet

from articles.suggest.ranking import search_articles, suggest_articles
from tickets.models import ArticleLink, Message, Resolution, Ticket, TicketEvent
from tickets.resolution import resolution_state
from tickets.services import user_label


@dataclass(frozen=True)
class Entry:
    """One line of the thread: a message, or a system event as one sentence."""

    at: datetime
    message: Message | None = None
    text: str = ""


def event_text(event: TicketEvent) -> str:
    who = user_label(event.actor)
    by = f" by {who}" if who else ""
    kind, old, new = event.kind, event.old_value, event.new_value
    if kind == TicketEvent.Kind.CREATED:
        return f"created ({new or 'email'}){by}"
    if kind == TicketEvent.Kind.STATUS:
        if new == "open" and old == "solved":
            return f"reopened{by}"
        return f"{new}{by}" if new in ("solved", "closed") else f"status {old} → {new}{by}"
    if kind == TicketEvent.Kind.ASSIGNEE:
        if not new:
            return f"unassigned{by}"
        return f"{new} took it" if new == who else f"assigned to {new}{by}"
    if kind == TicketEvent.Kind.INBOX:
        return f"moved to {new}{by}"
    if kind == TicketEvent.Kind.PRIORITY:
        return f"priority {old} → {new}{by}"
    if kind == TicketEvent.Kind.CATEGORY:
        return f"category set to {new or 'none'}{by}"
    return f"{event.get_kind_display()}{by}"


def thread_messages(ticket: Ticket) -> QuerySet[Message]:
    return ticket.messages.select_related("author").prefetch_related(
        "attachments",
        Prefetch(
            "article_links",
            queryset=ArticleLink.objects.select_related("article", "revision"),
        ),
    )


def timeline(ticket: Ticket) -> tuple[list[Entry], list[Message]]:
    messages = list(thread_messages(ticket))
    entries = [Entry(at=m.created_at, message=m) for m in messages]
    events = ticket.events.select_related("actor").exclude(kind=TicketEvent.Kind.CREATED)
    entries += [Entry(at=e.created_at, text=event_text(e)) for e in events]
    # Stable sort: at the same instant, the message comes before what it caused.
    entries.sort(key=lambda entry: entry.at)
    return entries, messages


def changes_since(ticket: Ticket, *, seen: datetime, user) -> list[Entry]:
    """What others did to the ticket after ``seen``: the collision warning."""
    messages = ticket.messages.filter(created_at__gt=seen).exclude(author=user)
    events = ticket.events.filter(created_at__gt=seen).exclude(actor=user)
    entries = [Entry(at=m.created_at, message=m) for m in messages.select_related("author")]
    entries += [Entry(at=e.created_at, text=event_text(e)) for e in events.select_related("actor")]
    entries.sort(key=lambda entry: entry.at)
    return entries


def matching_text(ticket: Ticket, messages: list[Message]) -> str:
    """What suggestions match on: the subject and the customer's own words."""
    said = [m.body_text for m in messages if m.kind == Message.Kind.CUSTOMER]
    return "\n".join([ticket.subject, *said])


def articles_column(ticket: Ticket, messages: list[Message], *, query: str = "") -> dict:
    suggestions = suggest_articles(matching_text(ticket, messages), inbox_slug=ticket.inbox.slug)
    # Both come with each article's published revision: the card's title and the
    # text Insert puts in the reply.
    results = search_articles(query) if query else []
    links = list(ticket.article_links.select_related("article", "revision", "linked_by"))
    return {
        "suggestions": suggestions,
        "search_query": query,
        "search_results": results,
        "links": links,
    }


@dataclass(frozen=True)
class HistoryLine:
    resolution: Resolution
    state: str
    reopened_after: timedelta | None


def resolution_history(ticket: Ticket) -> list[HistoryLine]:
    resolutions = ticket.resolutions.select_related("solved_by", "category").prefetch_related(
        Prefetch("links", queryset=ArticleLink.objects.select_related("article", "revision"))
    )
    return [
        HistoryLine(
            resolution=r,
            state=resolution_state(r),
            reopened_after=(r.reopened_at - r.solved_at) if r.reopened_at else None,
        )
        for r in resolutions
    ]


def other_tickets(ticket: Ticket, user, limit: int = 8) -> list[Ticket]:
    """The customer's other tickets this user may see (never the rest)."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(customer_id=ticket.customer_id)
        .exclude(pk=ticket.pk)
        .select_related("inbox")
        .order_by("-created_at")[:limit]
    )
