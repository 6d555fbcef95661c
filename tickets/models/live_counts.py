"""The sidebar's live counts: tickets per inbox, status and assignee."""

from django.db import models


class LiveCount(models.Model):
    """How many tickets of an inbox are in a status (new, open, pending, solved)
    with an assignee (0: none). A roll-up kept by PostgreSQL triggers
    (``tickets.queues.live_counts``) whatever writes the tickets, so every agent
    page reads a few dozen rows instead of counting the live tickets. Spread over
    ``STRIPES`` rows by ticket id, so two mail workers filing new tickets in one
    inbox seldom wait for each other. SQLite (the demo) counts the tickets."""

    inbox_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    assignee_id = models.BigIntegerField()
    stripe = models.SmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inbox_id", "status", "assignee_id", "stripe"], name="live_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"inbox {self.inbox_id} {self.status} assignee {self.assignee_id}: {self.n}"
