"""The ticket and the one visibility rule every ticket query goes through."""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import F, Lookup, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from articles.models import IssueCategory
from supportdesk import roles
from tickets.aggregates import SecondsBetween
from tickets.fields import StoredGeneratedField
from tickets.sla import NOTHING_DUE

from .inboxes import Customer, Inbox


class EqualsAny(Lookup):
    """``lhs = ANY(rhs)`` with an array on the right (PostgreSQL)."""

    lookup_name = "equals_any"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TicketQuerySet":
        """THE visibility rule: members of an inbox see its tickets, managers all,
        nobody else any. Every view, search, count, export and report uses it."""
        if not user.is_authenticated:
            return self.none()
        if roles.is_manager(user):
            return self
        inboxes = Inbox.objects.filter(members=user).order_by().values("pk")
        if connections[self.db].vendor == "postgresql":
            # "inbox_id = ANY(ARRAY(<the user's inboxes>))": PostgreSQL reads the
            # user's inboxes once and then seeks or filters with that array,
            # instead of a semi-join per ticket (sidebar counts on 1M tickets:
            # 20 ms -> 3 ms). Same rule, same rows.
            return self.filter(EqualsAny(F("inbox_id"), ArraySubquery(inboxes)))
        return self.filter(inbox__in=inboxes)

    def open(self) -> "TicketQuerySet":
        return self.filter(status__in=Ticket.OPEN_STATUSES)


class TicketManager(models.Manager.from_queryset(TicketQuerySet)):
    def get_queryset(self) -> TicketQuerySet:
        # The search document is only ever read by the database (WHERE); not
        # loading it keeps every list of tickets light.
        return super().get_queryset().defer("search_document")


class Ticket(models.Model):
    """A customer's request. Its number (``#1234``) is its primary key."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        PENDING = "pending", "Pending"
        SOLVED = "solved", "Solved"
        CLOSED = "closed", "Closed"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        CHAT = "chat", "Chat"
        WEB = "web", "Web"

    OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING)

    inbox = models.ForeignKey(Inbox, on_delete=models.PROTECT, related_name="tickets")
    subject = models.CharField(max_length=250)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="tickets")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    category = models.ForeignKey(
        IssueCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # A reply to a closed ticket starts a new one that points back here.
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped on every change; the collision warning compares against it.
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    # Kept by the database, for the reports' percentiles.
    first_response_seconds = StoredGeneratedField(
        expression=SecondsBetween("created_at", "first_response_at"),
        output_field=models.FloatField(),
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Denormalised for the queue (sorting by wait, the preview under the subject).
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    preview = models.CharField(max_length=160, blank=True)
    # Subject and thread for full-text search, kept current by PostgreSQL
    # triggers (tickets.search.document); always NULL on SQLite.
    search_document = SearchVectorField(null=True, blank=True, editable=False)
    # The next SLA target's due time, kept by tickets.sla.clock (NULL: nothing due).
    sla_due_at = models.DateTimeField(null=True, blank=True)

    objects = TicketManager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [("view_reports", "Can view resolution reports")]
        indexes = [
            models.Index(fields=["inbox", "status", "-updated_at", "-id"], name="ticket_queue"),
            models.Index(fields=["assignee", "status", "-updated_at"], name="ticket_assignee"),
            models.Index(fields=["inbox", "-updated_at", "-id"], name="ticket_inbox_recent"),
            models.Index(fields=["customer", "-created_at"], name="ticket_customer"),
            models.Index(fields=["solved_at"], name="ticket_solved"),
            # Creation-time lookups, and the reports' created counts and first-response
            # times as index-only scans (it replaced a plain index on created_at,
            # which the planner preferred, with a heap fetch per row).
            models.Index(
                fields=["created_at"],
                include=["inbox", "category", "assignee", "first_response_seconds"],
                name="ticket_report",
            ),
            # Queue: the "all" view across inboxes, newest first, keyset-paged.
            models.Index(fields=["-updated_at", "-id"], name="ticket_recent"),
            # Queue views over open tickets (open, mine, unassigned) and the
            # sidebar counts: small because most tickets are solved or closed.
            models.Index(
                fields=["-updated_at", "-id"],
                name="ticket_open_recent",
                condition=Q(status__in=["new", "open", "pending"]),
            ),
            models.Index(
                fields=["inbox", "status", "assignee"],
                name="ticket_live_counts",
                condition=Q(status__in=["new", "open", "pending", "solved"]),
            ),
            # "Waiting longest" sort and the home page's oldest waiting tickets.
            models.Index(
                Coalesce("last_customer_message_at", "created_at"),
                "id",
                name="ticket_open_waiting",
                condition=Q(status__in=["new", "open", "pending"]),
            ),
            # "Due soonest" sort (?sort=due) and the "breaching soon" view; tickets
            # with nothing due sort last (tickets.sla.NOTHING_DUE).
            models.Index(
                Coalesce("sla_due_at", Value(NOTHING_DUE)),
                "id",
                name="ticket_open_due",
                condition=Q(status__in=["new", "open", "pending"]),
            ),
            # The report's tickets moved in a period, by their inbox: each move finds
            # its ticket's inbox in this index alone (the table's row was a page
            # read per move: 114-148 ms at 10M tickets' density, 50 now).
            models.Index(fields=["id"], include=["inbox"], name="ticket_id_inbox"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED
