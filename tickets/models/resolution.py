"""Articles sent on a ticket and how the ticket was resolved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import IssueCategory
from tickets.aggregates import SecondsBetween
from tickets.fields import StoredGeneratedField

from .inboxes import Inbox
from .thread import Message
from .ticket import Ticket


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
            # The article roll-up's triggers: a ticket's facts for an article.
            models.Index(fields=["ticket", "article"], name="resolution_article_ticket"),
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
