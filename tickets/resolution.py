"""How tickets end: linking and sending articles, solving, reopening, closing.

The rules of issue 5 live here. A resolution *holds* when the ticket was not
reopened within the hold window (``TICKET_HOLD_DAYS``, default 7) after it was
solved; a reopen inside the window marks that resolution not held. Every
attempt is kept. A solved ticket untouched for ``TICKET_CLOSE_DAYS`` more days
closes; a customer writing to a closed ticket starts a follow-up ticket.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, IssueCategory
from tickets import events
from tickets.models import (
    ArticleLink,
    Message,
    Resolution,
    ResolutionArticle,
    Ticket,
    TicketEvent,
)
from tickets.sla.clock import refresh_sla


def hold_window() -> timedelta:
    return timedelta(days=settings.TICKET_HOLD_DAYS)


def close_after() -> timedelta:
    return timedelta(days=settings.TICKET_CLOSE_DAYS)


def _record(ticket: Ticket, *, kind: str, old: str, new: str, by, at: datetime) -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=by, old_value=old, new_value=new, created_at=at
    )


@transaction.atomic
def link_article(
    ticket: Ticket, *, article: Article, by, message: Message | None = None
) -> ArticleLink:
    """Attach the article's published revision to the ticket; with ``message``,
    record that this revision was sent to the customer in that reply."""
    if not article.is_published:
        raise ValidationError(
            f"“{article.title}” is not published; only published articles can be linked."
        )
    revision_id = article.published_revision_id
    if message is None:
        existing = ticket.article_links.filter(article=article, revision_id=revision_id).first()
        if existing:
            return existing
        return ArticleLink.objects.create(
            ticket=ticket, article=article, revision_id=revision_id, linked_by=by
        )
    # Sending an article that was only linked turns that link into a sent one.
    link = ticket.article_links.filter(
        article=article, revision_id=revision_id, sent_at__isnull=True
    ).first() or ArticleLink(ticket=ticket, article=article, revision_id=revision_id)
    link.linked_by = link.linked_by or by
    link.message = message
    link.sent_at = message.created_at
    link.save()
    return link


@dataclass(frozen=True)
class SolveRequest:
    kind: str
    links: tuple[ArticleLink, ...] = ()
    note: str = ""
    category: IssueCategory | None = None


def validate_solve(ticket: Ticket, request: SolveRequest) -> None:
    if ticket.status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
        raise ValidationError(f"Ticket {ticket.number} is already {ticket.status}.")
    if request.kind == Resolution.Kind.ARTICLE:
        if not request.links:
            raise ValidationError("Pick the article that resolved the ticket.")
        if any(link.ticket_id != ticket.pk for link in request.links):
            raise ValidationError("Only articles linked to this ticket can resolve it.")
    elif request.kind == Resolution.Kind.NO_ARTICLE:
        if not request.note.strip():
            raise ValidationError("Say in a few words what solved it: this is a content gap.")
    elif request.kind != Resolution.Kind.NOT_APPLICABLE:
        raise ValidationError(f"Unknown resolution {request.kind!r}.")


@transaction.atomic
def solve_ticket(
    ticket: Ticket,
    *,
    kind: str,
    by,
    links: Iterable[ArticleLink] = (),
    note: str = "",
    category: IssueCategory | None = None,
    at: datetime | None = None,
) -> Resolution:
    """Solve the ticket and record how. The category defaults to the first
    resolving article's category."""
    request = SolveRequest(kind=kind, links=tuple(links), note=note, category=category)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    validate_solve(ticket, request)
    at = at or timezone.now()
    if category is None and request.links:
        category = request.links[0].article.category
    category = category or ticket.category

    old_status = ticket.status
    ticket.status = Ticket.Status.SOLVED
    ticket.solved_at = at
    ticket.updated_at = at
    fields = ["status", "solved_at", "updated_at"]
    if category is not None and category.pk != ticket.category_id:
        _record(
            ticket,
            kind=TicketEvent.Kind.CATEGORY,
            old=str(ticket.category or ""),
            new=str(category),
            by=by,
            at=at,
        )
        ticket.category = category
        fields.append("category")
    ticket.save(update_fields=fields)
    _record(ticket, kind=TicketEvent.Kind.STATUS, old=old_status, new="solved", by=by, at=at)

    resolution = Resolution.objects.create(
        ticket=ticket,
        kind=kind,
        category=category,
        note=note.strip(),
        solved_by=by,
        inbox_id=ticket.inbox_id,
        solved_at=at,
        ticket_created_at=ticket.created_at,
        agent_replies=ticket.messages.filter(kind=Message.Kind.REPLY, created_at__lte=at).count(),
    )
    if kind == Resolution.Kind.ARTICLE:
        resolution.links.set(request.links)
        # The report's facts, from the links as stored (not as the caller holds them).
        links = ArticleLink.objects.filter(pk__in=[link.pk for link in request.links])
        ResolutionArticle.objects.bulk_create(ResolutionArticle.rows_for(resolution, links))
    events.emit(events.TICKET_SOLVED, ticket.pk, {"resolution_id": resolution.pk})
    refresh_sla(ticket, at=at)
    return resolution


@transaction.atomic
def reopen_ticket(ticket: Ticket, *, by=None, at: datetime | None = None) -> Resolution | None:
    """Reopen a solved ticket. Inside the hold window its latest resolution is
    marked not held (and returned); after it, that resolution still counts as held."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.SOLVED:
        raise ValidationError(
            f"Only a solved ticket can be reopened; {ticket.number} is {ticket.status}."
        )
    at = at or timezone.now()
    broken = None
    latest = ticket.resolutions.order_by("-solved_at", "-id").first()
    if latest and latest.reopened_at is None and at - latest.solved_at <= hold_window():
        latest.reopened_at = at
        latest.save(update_fields=["reopened_at"])
        ResolutionArticle.objects.filter(resolution=latest).update(reopened_at=at)
        broken = latest
    ticket.status = Ticket.Status.OPEN
    ticket.solved_at = None
    ticket.updated_at = at
    ticket.save(update_fields=["status", "solved_at", "updated_at"])
    _record(ticket, kind=TicketEvent.Kind.STATUS, old="solved", new="open", by=by, at=at)
    if broken is not None:
        events.emit(events.RESOLUTION_NOT_HELD, ticket.pk, {"resolution_id": broken.pk})
    refresh_sla(ticket, at=at)
    return broken


def close_solved_tickets(*, now: datetime | None = None, batch: int = 2000) -> int:
    """Close tickets solved and untouched for the hold window plus TICKET_CLOSE_DAYS."""
    now = now or timezone.now()
    cutoff = now - hold_window() - close_after()
    closed = 0
    while True:
        with transaction.atomic():
            ids = list(
                Ticket.objects.filter(status=Ticket.Status.SOLVED, updated_at__lte=cutoff)
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch]
            )
            if not ids:
                return closed
            Ticket.objects.filter(pk__in=ids).update(status=Ticket.Status.CLOSED, closed_at=now)
            TicketEvent.objects.bulk_create(
                TicketEvent(
                    ticket_id=pk, kind=TicketEvent.Kind.STATUS, old_value="solved",
                    new_value="closed", created_at=now,
                )
                for pk in ids
            )  # fmt: skip
            closed += len(ids)


def resolution_state(resolution: Resolution, *, now: datetime | None = None) -> str:
    """ "held", "not held" (reopened inside the window) or "pending" (window still open)."""
    if resolution.reopened_at is not None:
        return "not held"
    now = now or timezone.now()
    return "held" if now - resolution.solved_at > hold_window() else "pending"
