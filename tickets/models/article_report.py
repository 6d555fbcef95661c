"""The article table's roll-up, kept by PostgreSQL triggers (``tickets.reports.article_days``)."""

from django.db import models


class ReportArticle(models.Model):
    """Per local day of the link, ticket's inbox and category, article and revision:
    the article table's figures (``measures.article_table``).

    A row is one figure (``measure``) in one slice: an inbox or every inbox (-1),
    an issue category, uncategorised (0) or every category (-1), by the ticket's
    current inbox and category (a moved ticket moves its counts), and a revision
    or every revision of the article (``revision_id`` -1: the article's own
    distinct tickets, which the revisions' do not add up to).

    Each row is kept per day and again per block of 8 and 64 days (``span``),
    so a long period reads its whole blocks and only its edge days.

    Distinct tickets stay distinct because each (ticket, article) pair, and each
    (ticket, revision) pair, is counted once per figure, on the day of the link
    that first makes it: its first link ("linked"), first sent link ("sent"),
    first resolution fact ("resolved"), first reopened fact ("not held"), and
    its earliest solved fact not reopened ("held", whose ``bucket`` is the days
    from the row's ``day`` to its solve's day). Resolution times ("time") are
    every fact's, in ``days`` buckets, per revision only: an article merges its
    revisions' buckets. SQLite (the demo) leaves it empty; the report counts
    the rows instead."""

    class Measure(models.TextChoices):
        LINKED = "l", "Tickets linked"
        SENT = "s", "Tickets sent the article"
        RESOLVED = "r", "Tickets resolved naming it"
        HELD = "h", "Tickets whose resolution held (by solve day)"
        NOT_HELD = "n", "Tickets whose resolution was reopened"
        TIME = "t", "Resolution time of each fact"

    EVERY = -1  # every inbox, category or revision

    measure = models.CharField(max_length=1, choices=Measure.choices)
    category_id = models.BigIntegerField()
    inbox_id = models.BigIntegerField()
    # 1: a day; 8 or 64: the block of days starting at ``day`` (``article_days.SPANS``).
    span = models.SmallIntegerField(default=1)
    day = models.DateField()
    article_id = models.BigIntegerField()
    revision_id = models.BigIntegerField(default=EVERY)
    bucket = models.SmallIntegerField(default=0)
    n = models.IntegerField(default=0)
    total_ms = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Leads with what a read fixes (slice), then the days' range.
            models.UniqueConstraint(
                fields=[
                    "category_id",
                    "inbox_id",
                    "span",
                    "day",
                    "measure",
                    "article_id",
                    "revision_id",
                    "bucket",
                ],
                name="report_article_unique",
            )  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} article {self.article_id} r{self.revision_id}"
