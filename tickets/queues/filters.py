"""The agents' queues: named views, filters, sort orders and keyset pages.

Every list starts from ``Ticket.objects.visible_to(user)``. Pages are keyset
pages (the cursor is the sort key and id of the row next to the page edge),
so page 2,000 costs what page 1 costs; the indexes of ``Ticket.Meta`` follow
the sort orders below.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import IssueCategory
from supportdesk.db.kept import kept_instances, kept_rows, with_id
from supportdesk.roles import role_names
from tickets.lists import list_of
from tickets.models import ArticleLink, Inbox, Resolution, Ticket, TicketQuerySet, TicketTag
from tickets.search.query import search_tickets, tickets_of_customer
from tickets.sla import BREACHING_WITHIN, NOTHING_DUE, RUNNING_STATUSES

PAGE_SIZE = 50
OPEN = list(Ticket.OPEN_STATUSES)

# The named views: label, and what "what's in it" means.
VIEWS: dict[str, str] = {
    "mine": "Mine",
    "unassigned": "Unassigned",
    "open": "Open",
    "pending": "Pending",
    "solved": "Solved",
    "all": "All",
    # Overdue, or due within the hour (issue 15); sorted by due time.
    "breaching": "Breaching soon",
}
DEFAULT_VIEW = "open"


def view_filter(view: str, user) -> Q:
    if view == "mine":
        return Q(assignee=user, status__in=OPEN)
    if view == "unassigned":
        return Q(assignee__isnull=True, status__in=OPEN)
    if view == "open":
        return Q(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN])
    if view in ("pending", "solved"):
        return Q(status=view)
    if view == "breaching":
        limit = timezone.now() + BREACHING_WITHIN
        return Q(status__in=RUNNING_STATUSES, sla_due_at__lte=limit)
    return Q()


@dataclass(frozen=True)
class Sort:
    label: str
    # (field or annotation, descending?), the last one unique (id).
    keys: tuple[tuple[str, bool], ...]

    def order_by(self, *, reverse: bool = False) -> list:
        return [
            F(name).desc() if descending != reverse else F(name).asc()
            for name, descending in self.keys
        ]


SORTS: dict[str, Sort] = {
    "-updated": Sort("Recently updated", (("updated_at", True), ("id", True))),
    "updated": Sort("Least recently updated", (("updated_at", False), ("id", False))),
    "-waiting": Sort("Waiting longest", (("waiting_since", False), ("id", False))),
    "waiting": Sort("Waiting shortest", (("waiting_since", True), ("id", True))),
    "priority": Sort("Priority", (("priority", True), ("updated_at", True), ("id", True))),
    "-created": Sort("Newest", (("created_at", True), ("id", True))),
    "created": Sort("Oldest", (("created_at", False), ("id", False))),
    # The SLA's next due time, soonest first; nothing due sorts last (NOTHING_DUE).
    "due": Sort("Due soonest", (("due_at", False), ("id", False))),
}
DEFAULT_SORT = "-updated"
INT_KEYS = {"id", "priority"}


@dataclass
class Filters:
    """What the queue shows; built by TicketFilterForm from the URL."""

    view: str = DEFAULT_VIEW
    status: str = ""
    assignee: str = ""  # a user id, or "none"
    priority: int | None = None
    category: str = ""  # IssueCategory slug
    customer: str = ""  # email
    q: str = ""
    article: int | None = None
    resolved_by: int | None = None
    created_after: date | None = None
    created_before: date | None = None
    solved_after: date | None = None
    solved_before: date | None = None
    tag: str = ""  # a tag name (tickets.tags)
    sort: str = DEFAULT_SORT


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_tickets(tickets: TicketQuerySet, filters: Filters, *, user) -> TicketQuerySet:
    tickets = tickets.filter(view_filter(filters.view, user))
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee:
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.category:
        tickets = tickets.filter(category__slug=filters.category)
    if filters.customer:
        tickets = tickets_of_customer(tickets, filters.customer)
    if filters.article:
        linked = ArticleLink.objects.filter(article_id=filters.article)
        tickets = tickets.filter(pk__in=linked.values("ticket_id"))
    if filters.resolved_by:
        resolved = Resolution.objects.filter(links__article_id=filters.resolved_by)
        tickets = tickets.filter(pk__in=resolved.values("ticket_id"))
    # Dates are whole local days, both ends included.
    for name, lookup in (
        ("created_after", "created_at__gte"),
        ("solved_after", "solved_at__gte"),
    ):
        if day := getattr(filters, name):
            tickets = tickets.filter(**{lookup: _day_start(day)})
    for name, lookup in (
        ("created_before", "created_at__lt"),
        ("solved_before", "solved_at__lt"),
    ):
        if day := getattr(filters, name):
            tickets = tickets.filter(**{lookup: _day_start(day + timedelta(days=1))})
    if filters.q:
        tickets = search_tickets(tickets, filters.q)
    if filters.tag:
        tagged = TicketTag.objects.filter(ticket_id=OuterRef("pk"), tag__name=filters.tag)
        tickets = tickets.filter(Exists(tagged))
    return tickets


def queue_tickets(*, user, inbox: Inbox | None, filters: Filters) -> TicketQuerySet:
    tickets = Ticket.objects.visible_to(user)
    if inbox is not None:
        tickets = tickets.filter(inbox=inbox)
    # Each row's tag names (tickets.tags), read in the page's own query: PostgreSQL
    # evaluates a subquery in the select list after the LIMIT (it is "expensive"),
    # so only for the rows shown, and the page keeps its query count.
    tag_names = TicketTag.objects.filter(ticket_id=OuterRef("pk")).order_by("tag__name")
    return (
        filter_tickets(tickets, filters, user=user)
        .annotate(
            waiting_since=Coalesce("last_customer_message_at", "created_at"),
            # The expression of the index ticket_open_due, character for character.
            due_at=Coalesce("sla_due_at", Value(NOTHING_DUE)),
            tag_list=list_of(tag_names, "tag__name"),
        )
        .select_related("customer")
    )


# A queue page's row: attribute -> column or annotation (of ``queue_tickets``).
ROW_COLUMNS = {
    "id": "id", "inbox_id": "inbox_id", "subject": "subject", "preview": "preview",
    "status": "status", "priority": "priority", "assignee_id": "assignee_id",
    "category_id": "category_id", "sla_due_at": "sla_due_at", "created_at": "created_at",
    "updated_at": "updated_at", "customer_name": "customer__name",
    "customer_email": "customer__email", "waiting_since": "waiting_since", "due_at": "due_at",
    "tag_list": "tag_list",
}  # fmt: skip


class QueueRow:
    """What a queue row shows (``ROW_COLUMNS``), plus the inbox, assignee and
    category ``attach_related`` gives it. Plain values, not a Ticket and its
    Customer: making fifty of each took longer than the page's query."""

    __slots__ = (*ROW_COLUMNS, "inbox", "assignee", "category")

    def __init__(self, values: tuple) -> None:
        for name, value in zip(ROW_COLUMNS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id

    def __eq__(self, other: object) -> bool:
        # A row is the ticket it shows, as two instances of one ticket are equal.
        if isinstance(other, QueueRow | Ticket):
            return self.id == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return f"<QueueRow #{self.id}>"

    @property
    def is_open(self) -> bool:
        return self.status in Ticket.OPEN_STATUSES


def queue_rows(tickets: TicketQuerySet) -> QuerySet:
    """``tickets`` as rows of ``ROW_COLUMNS`` (named, for ``keyset_page``'s cursors);
    make each a ``QueueRow``."""
    return tickets.values_list(*ROW_COLUMNS.values(), named=True)


def issue_categories() -> list[IssueCategory]:
    """Every issue category, for the filter bar and the rows (``kept_instances``)."""
    return kept_instances(IssueCategory, "categories", lambda ids: IssueCategory.objects.all(),
                          [], alias=router.db_for_read(IssueCategory))  # fmt: skip


def attach_related(rows: list, *, inboxes, assignees, categories) -> None:
    """Give each row its inbox, assignee and category from the lists the page
    loads anyway (the filter bar's choices) instead of three more joins in the
    page's one big query: it keeps PostgreSQL's planning time down."""
    by_id = {
        "inbox": {inbox.pk: inbox for inbox in inboxes},
        "assignee": {user.pk: user for user in assignees},
        "category": {category.pk: category for category in categories},
    }
    models = {"inbox": Inbox, "assignee": get_user_model(), "category": IssueCategory}
    for name, known in by_id.items():
        # Someone who left the inbox can still hold old tickets: fetch those few.
        missing = {getattr(row, f"{name}_id") for row in rows} - set(known) - {None}
        if missing:
            known.update(models[name].objects.in_bulk(missing))
        for row in rows:
            value = getattr(row, f"{name}_id")
            setattr(row, name, known[value] if value is not None else None)


# --- keyset pages ---------------------------------------------------------


def encode_cursor(ticket: Ticket, sort: Sort) -> str:
    parts = []
    for name, _ in sort.keys:
        value = getattr(ticket, name)
        parts.append(value.isoformat() if isinstance(value, datetime) else str(value))
    return "_".join(parts)


def decode_cursor(cursor: str, sort: Sort) -> list | None:
    """The sort key values of a cursor, or None when it does not fit the sort."""
    parts = cursor.split("_")
    if len(parts) != len(sort.keys):
        return None
    values = []
    try:
        for (name, _), part in zip(sort.keys, parts, strict=True):
            if name in INT_KEYS:
                values.append(int(part))
            else:
                moment = datetime.fromisoformat(part)
                if timezone.is_naive(moment):
                    return None
                values.append(moment)
    except ValueError:
        return None
    return values


def _beyond(sort: Sort, values: list, *, backward: bool) -> Q:
    """Rows strictly past ``values`` in sort order (before them when ``backward``)."""
    condition = Q()
    equal: dict = {}
    for (name, descending), value in zip(sort.keys, values, strict=True):
        op = "lt" if descending != backward else "gt"
        condition |= Q(**equal, **{f"{name}__{op}": value})
        equal[name] = value
    # The redundant bound on the first key lets PostgreSQL start the index
    # scan at the cursor instead of filtering every row before it.
    first, descending = sort.keys[0]
    bound = "lte" if descending != backward else "gte"
    return Q(**{f"{first}__{bound}": values[0]}) & condition


@dataclass
class Page:
    rows: list
    newer: str | None = None  # cursor for the page before (towards the top)
    older: str | None = None  # cursor for the page after
    is_first: bool = True


def first_page(*, user, inbox: Inbox | None, filters: Filters, size: int = PAGE_SIZE) -> Page:
    """``keyset_page``'s first page of a queue filtered by nothing but its view and
    sort, the page agents open most: its SQL kept per user's roles, view and sort
    (``kept_rows``), run with the user's and the inbox's ids."""
    sort = SORTS[filters.sort]

    def build(ids: list[int]) -> QuerySet:
        box = None if inbox is None else with_id(inbox, ids[1])
        tickets = queue_tickets(user=with_id(user, ids[0]), inbox=box, filters=filters)
        return queue_rows(tickets).order_by(*sort.order_by())[: size + 1]

    shape = ("queue", role_names(user), user.is_superuser, inbox is None, filters.view,
             filters.sort, size)  # fmt: skip
    ids = [user.pk] if inbox is None else [user.pk, inbox.pk]
    found = kept_rows(shape, build, ids, alias=router.db_for_read(Ticket))
    rows = [QueueRow(row) for row in found]
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, older=encode_cursor(rows[-1], sort) if more else None)


def only_view_and_sort(filters: Filters) -> bool:
    return filters == Filters(view=filters.view, sort=filters.sort)


def keyset_page(
    tickets: QuerySet,
    sort: Sort,
    *,
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> Page:
    """One page of ``tickets`` in ``sort`` order: after the cursor ``after``
    (older), or just before ``before`` (newer); the top without either."""
    backward = bool(before) and not after
    values = decode_cursor(before if backward else after, sort) if (after or before) else None
    if values is not None:
        tickets = tickets.filter(_beyond(sort, values, backward=backward))
    rows = list(tickets.order_by(*sort.order_by(reverse=backward))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backward:
        rows.reverse()
    page = Page(rows=rows, is_first=values is None or (backward and not more))
    if rows:
        if backward:
            page.newer = encode_cursor(rows[0], sort) if more else None
            page.older = encode_cursor(rows[-1], sort)
        else:
            page.newer = encode_cursor(rows[0], sort) if values is not None else None
            page.older = encode_cursor(rows[-1], sort) if more else None
    return page
