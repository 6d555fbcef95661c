from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class IssueCategory(models.Model):
    """What a customer's problem is about; shared by articles, tickets and reports."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "issue categories"

    def __str__(self) -> str:
        return self.name


class HelpCenterPage(models.Model):
    """A help center page: the text around its accordions, written back unchanged on export.

    The accordions themselves are the page's published articles, in ``position`` order.
    """

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, blank=True)
    # Everything before the <AccordionGroup> line and after the </AccordionGroup> line, verbatim.
    head = models.TextField(blank=True)
    tail = models.TextField(blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title or self.slug


# A published article stays readable while its next revision waits for review.
LIVE_STATUSES = ("published", "in_review")


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles with a published revision that agents may read and send."""
        return self.filter(status__in=LIVE_STATUSES, published_revision__isnull=False)

    def needs_review(self, today=None) -> "ArticleQuerySet":
        today = today or timezone.localdate()
        return self.published().filter(review_due__lte=today)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    category = models.ForeignKey(
        IssueCategory, on_delete=models.PROTECT, related_name="articles", null=True, blank=True
    )
    # The latest revision's text; the revisions are the record.
    body = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_due = models.DateField(null=True, blank=True)
    current_revision = models.ForeignKey(
        "ArticleRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_revision = models.ForeignKey(
        "ArticleRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The help center page the article is an accordion of, and its order there.
    page = models.ForeignKey(
        HelpCenterPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        permissions = [("publish_article", "Can review, approve and publish articles")]
        indexes = [models.Index(fields=["status", "review_due"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """Agents may read and send it (its published revision)."""
        return self.status in LIVE_STATUSES and self.published_revision_id is not None

    @property
    def has_unpublished_changes(self) -> bool:
        return (
            self.published_revision_id is not None
            and self.current_revision_id != self.published_revision_id
        )

    def why_not_send_for_review(self) -> str:
        """Why the current revision cannot go to review now; "" when it can."""
        if self.status == self.Status.ARCHIVED:
            return "An archived article cannot go to review; restore it first."
        if self.status == self.Status.IN_REVIEW:
            return "This revision is already waiting for an editor's approval."
        if self.current_revision_id == self.published_revision_id:
            return "The current revision is already published: nothing to review."
        return ""

    @property
    def can_send_for_review(self) -> bool:
        return not self.why_not_send_for_review()

    @property
    def is_overdue(self) -> bool:
        return self.review_due is not None and self.review_due <= timezone.localdate()


class ArticleRevision(models.Model):
    """An immutable snapshot of an article: saved once, never changed or deleted."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Article revisions are immutable; create a new revision instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Article revisions are never deleted.")


class ArticleFeedback(models.Model):
    """A customer's answer about one published revision, from the public help center.

    ``source`` says where it was asked: under the article ("Did this answer your
    question?") or beside the contact form, where a "yes" is a *deflection*: the
    customer found the answer and wrote no ticket. No IP address or person is kept.
    """

    class Source(models.TextChoices):
        ARTICLE = "article", "Article page"
        CONTACT = "contact", "Contact form"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="feedback")
    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.PROTECT, related_name="feedback"
    )
    helpful = models.BooleanField()
    comment = models.CharField(max_length=1000, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ARTICLE)
    # A deflection's terms: the distinct stems of what the customer typed (no sentence,
    # no address), what the suggestions learn from (articles.suggest.learning).
    terms = models.CharField(max_length=1000, blank=True, db_default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["article", "created_at"], name="feedback_article"),
            models.Index(fields=["revision", "source"], name="feedback_revision"),
        ]

    def __str__(self) -> str:
        answer = "yes" if self.helpful else "no"
        return f"{self.source} {answer} on r{self.revision_id}"

    @property
    def is_deflection(self) -> bool:
        return self.source == self.Source.CONTACT and self.helpful


class LearnedTerm(models.Model):
    """A word's learned pull towards an article (``article`` null: towards "no article
    answers this"), from solved tickets and deflections (``articles.suggest.learning``).
    Rewritten whole by ``manage.py learn_suggestions``; read into memory once per change."""

    term = models.CharField(max_length=64)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    weight = models.FloatField()

    def __str__(self) -> str:
        return f"{self.term} -> {self.article_id or 'none'} ({self.weight:.2f})"
