"""Roll-ups PostgreSQL triggers keep for the reports (``tickets.reports.days``)."""

from django.db import models


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
