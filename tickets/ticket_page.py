"""What the ticket page shows, read in a fixed number of queries however long
the thread: the timeline, the articles column, the customer card, the history.

Each part is read on its own, so an htmx swap reads only the part it replaces
(views/ticket.py puts them together). What several parts show (the ticket's
article links) is read once and handed to each."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, Expression, OuterRef, QuerySet

from articles.models import ArticleRevision, IssueCategory
from articles.suggest.ranking import search_articles, suggest_articles
from tickets.assignment.rules import agents_of
from tickets.customers.context import loaded_context
from tickets.customers.suggest import boost_for_account
from tickets.lists import RowsOf, list_of, rows_of
from tickets.models import ArticleLink, Attachment, Inbox, Message, Resolution, Ticket, TicketEvent
from tickets.queues.members import Member
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
    if kind == TicketEvent.Kind.TAGS:
        return f"tagged {new}{by}" if new else f"tag {old} removed{by}"
    if kind == TicketEvent.Kind.MERGED:
        if new == f"#{event.ticket_id}":
            return f"{old} merged into this ticket{by}"
        return f"merged into {new}{by}"
    return f"{event.get_kind_display()}{by}"


# --- the ticket's own query ---------------------------------------------------------

# The customer card lists this many of the customer's other tickets.
OTHER_TICKETS = 8


def header_lists(visible: QuerySet[Ticket]) -> dict[str, Expression]:
    """Annotations for the ticket's query: the numbers of its follow-ups this
    user may see (the header links them)."""
    follow_ups = visible.filter(follow_up_of=OuterRef("pk")).order_by(*Ticket._meta.ordering)
    return {"follow_up_ids": list_of(follow_ups, "pk")}


def details_lists(visible: QuerySet[Ticket], user, *, choices: bool) -> dict[str, Expression]:
    """Annotations for the ticket's query: the customer's other tickets this
    user may see and, with ``choices`` (agents), the options of the details
    and transfer forms. Short lists, read with the ticket rather than apart."""
    others = (
        visible.filter(customer_id=OuterRef("customer_id"))
        .exclude(pk=OuterRef("pk"))
        .order_by("-created_at")[:OTHER_TICKETS]
    )
    lists = {
        "other_rows": rows_of(others, id="id", subject="subject", status="status"),
        # Never solved (most open tickets): the history needs no query of its own.
        "has_resolutions": Exists(Resolution.objects.filter(ticket=OuterRef("pk"))),
    }
    if choices:
        categories = IssueCategory.objects.order_by(*IssueCategory._meta.ordering)
        # The agents of the ticket's inbox: only they can be given it.
        members = agents_of(OuterRef("inbox_id"))
        mine = Inbox.members.through.objects.filter(inbox=OuterRef("pk"), user=user.pk)
        inboxes = Inbox.objects.order_by(*Inbox._meta.ordering).annotate(mine=Exists(mine))
        lists |= {
            "category_rows": rows_of(categories, id="id", name="name"),
            "assignee_rows": rows_of(
                members.order_by("first_name", "username"),
                id="id",
                username="username",
                first_name="first_name",
                last_name="last_name",
            ),
            "inbox_rows": rows_of(inboxes, id="id", name="name", slug="slug", mine="mine"),
        }
    return lists


def follow_ups(ticket: Ticket) -> list[Ticket]:
    return [Ticket(pk=pk) for pk in ticket.follow_up_ids]


def other_tickets(ticket: Ticket) -> list[Ticket]:
    """The customer's other tickets this user may see (never the rest), newest first."""
    return [Ticket(**row) for row in ticket.other_rows]


@dataclass(frozen=True)
class DetailsChoices:
    """The options of the details form and of the transfer, read with the ticket."""

    categories: list[IssueCategory]
    assignees: list[Member]  # the agents of the ticket's inbox
    inboxes: list[Inbox]  # each with ``mine``: is the user a member?


def details_choices(ticket: Ticket) -> DetailsChoices:
    """Made once per ticket object (the solve fields, the details form and the
    reassign list each ask)."""
    choices = getattr(ticket, "_details_choices", None)
    if choices is None:
        choices = ticket._details_choices = _details_choices(ticket)
    return choices


def _details_choices(ticket: Ticket) -> DetailsChoices:
    def inbox(row: dict) -> Inbox:
        inbox = Inbox(id=row["id"], name=row["name"], slug=row["slug"])
        inbox.mine = row["mine"]
        return inbox

    return DetailsChoices(
        categories=[IssueCategory(**row) for row in ticket.category_rows],
        # Named as users are (user_label), without making sixty users.
        assignees=[
            Member(row["id"], row["first_name"], row["last_name"], row["username"], True)
            for row in ticket.assignee_rows
        ],
        inboxes=[inbox(row) for row in ticket.inbox_rows],
    )


# --- the thread ---------------------------------------------------------------------


# What the thread reads of a message: all but its HTML and mail references.
MESSAGE_FIELDS = (
    "id", "kind", "author_id", "body_text", "quoted_text", "created_at", "sender_email",
    "sender_name", "automatic", "copied", "message_id", "in_reply_to", "delivery",
    "delivery_attempts", "delivery_error", "sent_at", "delivery_due_at",
)  # fmt: skip
MESSAGE_TIMES = ("created_at", "sent_at", "delivery_due_at")
FILE_FIELDS = ("id", "name", "content_type", "size", "file")


def _files(message: Expression) -> RowsOf:
    files = Attachment.objects.filter(message=message).order_by("pk")
    return rows_of(files, **{name: name for name in FILE_FIELDS})


def thread_lists() -> dict[str, Expression]:
    """Annotations for the ticket's query: its messages (with their files), article
    links and events, read with the ticket on the page (each is a query less, and
    a query's Python costs more than its database). The thread's own swap reads
    them apart."""
    messages = Message.objects.filter(ticket=OuterRef("pk")).order_by(*Message._meta.ordering)
    links = ArticleLink.objects.filter(ticket=OuterRef("pk")).order_by(*ArticleLink._meta.ordering)
    events = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"))
        .exclude(kind=TicketEvent.Kind.CREATED)
        .order_by(*TicketEvent._meta.ordering)
    )
    return {
        "message_rows": rows_of(
            messages,
            **{name: name for name in MESSAGE_FIELDS},
            username="author__username",
            first_name="author__first_name",
            last_name="author__last_name",
            files=_files(OuterRef("pk")),
        ),
        "link_rows": rows_of(
            links,
            id="id",
            article_id="article_id",
            revision_id="revision_id",
            linked_by_id="linked_by_id",
            message_id="message_id",
            created_at="created_at",
            sent_at="sent_at",
            title="revision__title",
            number="revision__number",
        ),
        "event_rows": rows_of(
            events,
            id="id",
            kind="kind",
            actor_id="actor_id",
            old_value="old_value",
            new_value="new_value",
            created_at="created_at",
            username="actor__username",
            first_name="actor__first_name",
            last_name="actor__last_name",
        ),
    }


def _moment(text: str | None) -> datetime | None:
    """A timestamp as JSON gives it: ISO 8601 with its offset on PostgreSQL, naive
    UTC on SQLite (the demo), which stores it so."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _link(ticket: Ticket, row: dict) -> ArticleLink:
    link = ArticleLink(
        id=row["id"], ticket_id=ticket.pk, article_id=row["article_id"],
        revision_id=row["revision_id"], linked_by_id=row["linked_by_id"],
        message_id=row["message_id"], created_at=_moment(row["created_at"]),
        sent_at=_moment(row["sent_at"]),
    )  # fmt: skip
    # Its revision's title and number: all that the page shows of it.
    link.revision = ArticleRevision(
        id=row["revision_id"], article_id=row["article_id"], title=row["title"],
        number=row["number"],
    )  # fmt: skip
    return link


def _user(user_id: int | None, row: dict):
    """The author or actor of a row: the names the page shows of them."""
    if user_id is None:
        return None
    return get_user_model()(
        id=user_id, username=row["username"], first_name=row["first_name"],
        last_name=row["last_name"],
    )  # fmt: skip


def _message(ticket: Ticket, row: dict) -> Message:
    fields = {name: row[name] for name in MESSAGE_FIELDS if name != "author_id"}
    fields |= {name: _moment(row[name]) for name in MESSAGE_TIMES}
    message = Message(ticket_id=ticket.pk, author=_user(row["author_id"], row), **fields)
    message.file_rows = row["files"]
    return message


def _event(ticket: Ticket, row: dict) -> TicketEvent:
    actor = _user(row["actor_id"], row)
    return TicketEvent(
        id=row["id"], ticket_id=ticket.pk, kind=row["kind"], actor=actor,
        old_value=row["old_value"], new_value=row["new_value"],
        created_at=_moment(row["created_at"]),
    )  # fmt: skip


def article_links(ticket: Ticket) -> list[ArticleLink]:
    """The ticket's article links, read once for the thread's "Sent" chips, the
    articles column and the resolution history: each shows its revision's
    title and number (not its text). From ``thread_lists`` when read with them."""
    rows = getattr(ticket, "link_rows", None)
    if rows is not None:
        return [_link(ticket, row) for row in rows]
    links = ticket.article_links.select_related("revision").defer("revision__body")
    return list(links)


def thread_messages(ticket: Ticket) -> QuerySet[Message]:
    """The messages with their authors and, in the same query, their files."""
    # body_html and the mail headers are never shown.
    shown = ticket.messages.select_related("author").defer("body_html", "references")
    return shown.annotate(file_rows=_files(OuterRef("pk")))


def timeline(ticket: Ticket, links: list[ArticleLink]) -> tuple[list[Entry], list[Message]]:
    """The thread, oldest first, from the ticket's ``thread_lists``. Each message
    carries ``files`` (its attachments) and ``sent_links`` (the articles it sent,
    from ``links``)."""
    sent = defaultdict(list)
    for link in links:
        if link.message_id is not None:
            sent[link.message_id].append(link)
    messages = [_message(ticket, row) for row in ticket.message_rows]
    for message in messages:
        message.files = [Attachment(ticket_id=ticket.pk, **row) for row in message.file_rows]
        message.sent_links = sent[message.pk]
    entries = [Entry(at=m.created_at, message=m) for m in messages]
    # The ticket's events but its creation (the first message says it).
    events = [_event(ticket, row) for row in ticket.event_rows]
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


# --- the articles column ------------------------------------------------------------


def matching_text(ticket: Ticket, messages: list[Message] | None = None) -> str:
    """What suggestions match on: the subject and the customer's own words
    (read from ``messages`` when the thread is at hand)."""
    if messages is None:
        said = list(
            ticket.messages.filter(kind=Message.Kind.CUSTOMER).values_list("body_text", flat=True)
        )
    else:
        said = [m.body_text for m in messages if m.kind == Message.Kind.CUSTOMER]
    return "\n".join([ticket.subject, *said])


def article_results(query: str) -> dict:
    """The article search box's results: the only part its htmx swap reads."""
    # Each comes with its published revision: the card's title and the text
    # Insert puts in the reply.
    return {"search_query": query, "search_results": search_articles(query) if query else []}


def articles_column(
    ticket: Ticket, messages: list[Message] | None, links: list[ArticleLink], *, query: str = ""
) -> dict:
    suggestions = suggest_articles(matching_text(ticket, messages), inbox_slug=ticket.inbox.slug)
    suggestions = boost_for_account(suggestions, loaded_context(ticket.customer))
    return {"suggestions": suggestions, "links": links, **article_results(query)}


# --- the resolution history ---------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    resolution: Resolution
    state: str
    reopened_after: timedelta | None
    links: list[ArticleLink] = field(default_factory=list)


def resolution_history(
    ticket: Ticket, links: list[ArticleLink] | None = None
) -> list[HistoryLine]:
    """Each attempt at solving the ticket with the articles that solved it,
    taken from ``links`` (the ticket's links) when given."""
    if getattr(ticket, "has_resolutions", True) is False:
        return []
    chosen = Resolution.links.through.objects.filter(resolution=OuterRef("pk"))
    resolutions = list(
        ticket.resolutions.select_related("solved_by", "category", "satisfaction").annotate(
            link_ids=list_of(chosen, "articlelink_id")
        )
    )
    wanted = {pk for r in resolutions for pk in r.link_ids}
    known = {link.pk: link for link in links or ()}
    if missing := wanted - known.keys():
        related = ArticleLink.objects.select_related("revision")
        known |= related.in_bulk(missing)
    ordered = sorted((known[pk] for pk in wanted), key=lambda link: (link.created_at, link.pk))
    return [
        HistoryLine(
            resolution=r,
            state=resolution_state(r),
            reopened_after=(r.reopened_at - r.solved_at) if r.reopened_at else None,
            links=[link for link in ordered if link.pk in r.link_ids],
        )
        for r in resolutions
    ]
