from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import F, Lookup, Q
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from articles.models import IssueCategory
from supportdesk import roles
from tickets.aggregates import SecondsBetween
from tickets.fields import StoredGeneratedField


class InboxQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InboxQuerySet":
        """Inboxes whose tickets ``user`` may see: their own; managers all."""
        if not user.is_authenticated:
            return self.none()
        if roles.is_manager(user):
            return self
        return self.filter(members=user)


class Inbox(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=40, unique=True)
    address = models.EmailField(unique=True, help_text="Mail to this address lands here.")
    reply_from = models.EmailField(help_text="Replies to customers are sent from this address.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inboxes", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Loop-safe: never sent for automatic mail (auto-replies, bounces, lists).
    acknowledge_new_tickets = models.BooleanField(
        default=False, help_text="Email the customer a receipt with the number of a new ticket."
    )
    signature = models.TextField(
        blank=True,
        db_default="",
        help_text="Markdown added under every reply sent from this inbox.",
    )

    objects = InboxQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "inboxes"

    def __str__(self) -> str:
        return self.name

    @property
    def is_billing(self) -> bool:
        return self.slug == "billing"


class Customer(models.Model):
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_customer_email_ci")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


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


class Message(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer message"
        REPLY = "reply", "Agent reply"
        NOTE = "note", "Internal note"

    class Delivery(models.TextChoices):
        NONE = "", "Not emailed"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body_text = models.TextField(blank=True)
    # Sanitised HTML (nh3) when the source had HTML; display prefers body_text.
    body_html = models.TextField(blank=True)
    # An inbound mail's quoted history and signature, split off ``body_text`` (which
    # keeps only what the customer just wrote: previews, search and suggestions).
    quoted_text = models.TextField(blank=True, db_default="")
    created_at = models.DateTimeField(default=timezone.now)
    # Who really wrote an inbound mail (a colleague on Cc, a mail server, an
    # auto-reply: not always the ticket's customer), and why it was automatic
    # ("" for a person). Database defaults too, for bulk loads.
    sender_email = models.CharField(max_length=254, blank=True, db_default="")
    sender_name = models.CharField(max_length=120, blank=True, db_default="")
    automatic = models.CharField(max_length=200, blank=True, db_default="")
    # Email headers, for threading and deduplication.
    message_id = models.CharField(max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    delivery = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.NONE, blank=True
    )
    # Outbound mail (tickets.mail.outbound): tries so far, the last error, when it left.
    # Database defaults too, so bulk loads (bench COPY) may leave them out.
    delivery_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    delivery_error = models.TextField(blank=True, db_default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the next try is due (a retry's); NULL: the first, due on creation.
    delivery_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_thread"),
            models.Index(
                fields=["message_id"], name="message_message_id", condition=~Q(message_id="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"

    @property
    def is_note(self) -> bool:
        return self.kind == self.Kind.NOTE


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The shown name (Attachment.name) may be 255 bytes; a path part may not exceed
    # that with the time prefix, so the stored file's name is a short form of it.
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, dot, ext = filename, "", ""
    short = stem.encode()[:80].decode(errors="ignore") + dot + ext
    return f"attachments/{instance.ticket_id}/{timezone.now():%Y%m%d%H%M%S}-{short}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", null=True, blank=True
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TicketEvent(models.Model):
    """Audit trail: who changed what on a ticket, and when."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATUS = "status", "Status"
        ASSIGNEE = "assignee", "Assignee"
        PRIORITY = "priority", "Priority"
        CATEGORY = "category", "Category"
        INBOX = "inbox", "Moved to inbox"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket"),
            models.Index(fields=["kind", "created_at"], name="event_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id}"


class ContactArticle(models.Model):
    """An article the contact form showed the customer beside what they typed,
    before they sent it anyway: the agent sees what the customer already read."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="contact_articles")
    article = models.ForeignKey("articles.Article", on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ticket", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "revision"], name="contact_article_once")
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} shown r{self.revision_id}"


class ArticleLink(models.Model):
    """An article attached to a ticket: the exact revision, who, when, and if it was sent."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="ticket_links"
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.PROTECT, related_name="ticket_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The reply that carried the article to the customer; null when only linked.
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="article_links"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "created_at"], name="link_article"),
            models.Index(fields=["ticket", "article"], name="link_ticket"),
            # Reports: the period's links as an index-only scan.
            models.Index(
                fields=["created_at"],
                include=["article", "revision", "ticket", "sent_at", "linked_by"],
                name="link_report",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} → article {self.article_id} r{self.revision_id}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


class Resolution(models.Model):
    """One attempt at solving a ticket. Reopening inside the hold window marks it
    not held; every attempt is kept, the latest is the ticket's current one."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Resolved by article"
        NO_ARTICLE = "no_article", "Resolved without an article (content gap)"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="resolutions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    links = models.ManyToManyField(ArticleLink, blank=True, related_name="resolutions")
    category = models.ForeignKey(
        IssueCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied from the ticket so reports aggregate without joining it.
    inbox = models.ForeignKey(Inbox, on_delete=models.PROTECT, related_name="+")
    solved_at = models.DateTimeField(default=timezone.now)
    reopened_at = models.DateTimeField(null=True, blank=True)
    # Copied at solve time so the report's times and one-touch rate need no join
    # over a million tickets and messages.
    ticket_created_at = models.DateTimeField(null=True, blank=True)
    agent_replies = models.PositiveIntegerField(
        default=0, help_text="Agent replies on the ticket when it was solved."
    )
    # Kept by the database, for the reports' percentiles.
    resolution_seconds = StoredGeneratedField(
        expression=SecondsBetween("ticket_created_at", "solved_at"),
        output_field=models.FloatField(),
    )

    class Meta:
        ordering = ["solved_at", "id"]
        indexes = [
            # By solve time; the reports' figures as index-only scans of the period
            # (it replaced a plain solved_at index the planner preferred, wrongly).
            models.Index(
                fields=["solved_at"],
                include=[
                    "inbox",
                    "kind",
                    "category",
                    "solved_by",
                    "reopened_at",
                    "resolution_seconds",
                    "agent_replies",
                    "ticket",
                ],
                name="resolution_report",
            ),  # fmt: skip
            models.Index(fields=["ticket", "-solved_at"], name="resolution_ticket"),
            # The latest content gaps per category, ranked index-only (with the id
            # that breaks ties); their notes are then read for the few ranked first.
            models.Index(
                fields=["solved_at"],
                include=["category", "id", "inbox", "solved_by", "ticket"],
                condition=Q(kind="no_article"),
                name="resolution_gaps",
            ),
            models.Index(fields=["inbox", "solved_at"], name="resolution_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"


class ResolutionArticle(models.Model):
    """One article link named by a resolution (a row of ``Resolution.links``), with
    what the report filters and counts on copied from both, so the category ×
    article matrix and the article table read one narrow table through a covering
    index instead of joining resolutions, their links table and the links.

    Written by ``solve_ticket`` in the same transaction as the resolution; its
    ``reopened_at`` follows the resolution's (``reopen_ticket``). Filters on what
    can change later (the ticket's inbox and category, who linked the article)
    still join the ticket or the link, so those stay exact."""

    # Indexed by the unique constraint, which leads with it.
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    link = models.ForeignKey(ArticleLink, on_delete=models.CASCADE, related_name="+")
    # Rows go with their resolution or link (CASCADE above), and links protect
    # their article and revision: these need no index for deletes.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )
    linked_at = models.DateTimeField(help_text="The link's created_at.")
    # The resolution's own (at solve time), as on Resolution.
    inbox = models.ForeignKey(Inbox, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    category = models.ForeignKey(
        IssueCategory, on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    solved_at = models.DateTimeField()
    reopened_at = models.DateTimeField(null=True)
    ticket_created_at = models.DateTimeField(null=True)
    resolution_seconds = StoredGeneratedField(
        expression=SecondsBetween("ticket_created_at", "solved_at"),
        output_field=models.FloatField(),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "link"], name="resolution_article_unique"
            )
        ]
        indexes = [
            # The matrix: the period's solves by category × article, index-only.
            models.Index(
                fields=["solved_at"],
                include=["category", "article", "resolution", "inbox", "solved_by"],
                name="resolution_article_solved",
            ),
            # The article table: resolutions of the links made in the period, index-only.
            models.Index(
                fields=["linked_at"],
                include=[
                    "article",
                    "revision",
                    "ticket",
                    "solved_at",
                    "reopened_at",
                    "resolution_seconds",
                ],
                name="resolution_article_linked",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"resolution {self.resolution_id} names link {self.link_id}"

    @classmethod
    def rows_for(cls, resolution: Resolution, links) -> list["ResolutionArticle"]:
        return [
            cls(
                resolution=resolution, link=link, ticket_id=resolution.ticket_id,
                article_id=link.article_id, revision_id=link.revision_id,
                linked_at=link.created_at, inbox_id=resolution.inbox_id,
                category_id=resolution.category_id, solved_by_id=resolution.solved_by_id,
                solved_at=resolution.solved_at, reopened_at=resolution.reopened_at,
                ticket_created_at=resolution.ticket_created_at,
            )
            for link in links
        ]  # fmt: skip


class ReportDay(models.Model):
    """Per local day, inbox and issue category: tickets created and solves.

    A roll-up kept by PostgreSQL triggers (``tickets.reports.days``) whatever
    writes the rows, so the report's weekly trend and per-category totals sum a
    few hundred rows instead of counting a quarter's tickets. Created counts go
    by the ticket's current inbox and category (as the report's "created"
    does), solves by the resolution's own. ``category_id`` 0: uncategorised.
    SQLite (the demo) leaves it empty and the report counts the rows instead."""

    day = models.DateField()
    inbox_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    # Each row's count is spread over STRIPES rows by the counted row's id, so two
    # writers to the same day, inbox and category seldom wait for each other.
    stripe = models.SmallIntegerField(default=0)
    created = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    by_article = models.IntegerField(default=0)
    gaps = models.IntegerField(default=0)
    # Solves since reopened (the report's "not held") and solved with one agent reply.
    reopened = models.IntegerField(default=0)
    one_touch = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "inbox_id", "category_id", "stripe"], name="report_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} inbox {self.inbox_id} category {self.category_id}"


class ReportSlice(models.Model):
    """Per local day: duration histograms and per-agent counts, in slices.

    Kept by the same triggers as ``ReportDay`` (``tickets.reports.days``). A row
    is one bucket of one measure in one slice: an inbox or every inbox (-1), an
    issue category, uncategorised (0) or every category (-1), and for the
    per-agent and per-article measures an agent or article (``subject_id``).
    Each counted row bumps the inbox × category slices it belongs to, so a
    report over every inbox or every category reads one slice, a few rows per
    day, whatever the tickets.

    Measures (``Measure``): first response and resolution times of tickets
    created and solves made that day (``bucket``: ``days`` buckets of the
    seconds, ``n`` values adding up to ``total_ms``); the same per agent
    (assignee, solver) and per agent the tickets created and the solves (bucket
    1: by an article, 0: without), in the slices of every category only; per
    article and category, the solves naming the article (the category ×
    article matrix)."""

    class Measure(models.TextChoices):
        FIRST_RESPONSE = "f", "First response time"
        RESOLUTION = "r", "Resolution time"
        AGENT_FIRST_RESPONSE = "F", "First response time, per assignee"
        AGENT_RESOLUTION = "R", "Resolution time, per solver"
        AGENT_CREATED = "C", "Tickets created, per assignee"
        AGENT_SOLVED = "S", "Solves, per solver"
        ARTICLE_SOLVED = "a", "Solves naming an article, per article"

    EVERY = -1  # every inbox, category or agent

    measure = models.CharField(max_length=1, choices=Measure.choices)
    category_id = models.BigIntegerField()
    inbox_id = models.BigIntegerField()
    day = models.DateField()
    # The agent of a per-agent measure, the article of a per-article one; else EVERY.
    subject_id = models.BigIntegerField(default=EVERY)
    bucket = models.SmallIntegerField(default=0)
    n = models.IntegerField(default=0)
    total_ms = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Leads with what a read fixes (measure, slice), then the days' range.
            models.UniqueConstraint(
                fields=["measure", "category_id", "inbox_id", "day", "subject_id", "bucket"],
                name="report_slice_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} inbox {self.inbox_id} category {self.category_id}"


# == email channel (tickets.mail) ==


class InboundEmailQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InboundEmailQuerySet":
        """Quarantined mail a user may see: members see mail routed to their inboxes;
        unroutable mail (no inbox) only managers, since it may be anyone's."""
        if not user.is_authenticated:
            return self.none()
        if roles.is_manager(user):
            return self  # including mail with no inbox
        return self.filter(inbox__in=Inbox.objects.visible_to(user))


class InboundEmail(models.Model):
    """One received mail, stored raw before anything else so nothing is lost."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        DUPLICATE = "duplicate", "Duplicate"
        QUARANTINED = "quarantined", "Quarantined"
        DISCARDED = "discarded", "Discarded"

    raw = models.BinaryField()
    source = models.CharField(max_length=40, help_text="cli, imap:<inbox>, webhook:<esp>, …")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # Recipients reported beside the raw mail (a provider's envelope, the IMAP
    # mailbox's inbox): not in its headers, yet needed to route it on retry.
    envelope = models.JSONField(default=list, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Filled by parsing and routing; shown in the quarantine list.
    message_id_header = models.CharField("Message-ID", max_length=255, blank=True)
    sender = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    inbox = models.ForeignKey(
        Inbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # The deduplication: one processed mail per Message-ID and inbox, even when
            # two workers ingest the same message at once (the loser gets IntegrityError).
            models.UniqueConstraint(
                fields=["inbox", "message_id_header"],
                condition=Q(status="processed"),
                name="inbound_unique_message_per_inbox",
            )
        ]
        indexes = [models.Index(fields=["status", "-received_at"], name="inbound_status")]

    def __str__(self) -> str:
        return f"Inbound mail {self.pk} ({self.status})"


class ImapMailbox(models.Model):
    """Where ``fetch_mail`` polls an inbox's mail, and how far it got (UIDVALIDITY and
    the last UID seen), so a restart neither skips nor repeats messages."""

    class Security(models.TextChoices):
        SSL = "ssl", "TLS (IMAPS, port 993)"
        STARTTLS = "starttls", "STARTTLS (port 143)"
        PLAIN = "plain", "None (loopback only)"

    inbox = models.OneToOneField(Inbox, on_delete=models.CASCADE, related_name="imap_mailbox")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(max_length=255)
    # The password itself never sits in the database: only the variable holding it.
    password_env = models.CharField(max_length=100, help_text="Environment variable name")
    folder = models.CharField(max_length=255, default="INBOX")
    enabled = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.username}@{self.host}/{self.folder} → {self.inbox}"
