from datetime import date

from django.db import models


class ReportMove(models.Model):
    """Move events ("moved to inbox") counted per local day, their ticket's
    current inbox, and the local day of the same ticket's move before
    (``previous_day``; ``NO_MOVE_BEFORE`` for a ticket's first move).

    The report's "moved" figure counts distinct tickets moved in a period of
    whole days: a ticket counts on its first move in the period, the one whose
    move before falls before the period (or is none). So the figure sums the
    rows of the period's days whose ``previous_day`` is before its first day:
    rows that grow with the days and inboxes, not with the moves. Kept by
    PostgreSQL triggers (``tickets.reports.moves``); SQLite (the demo) leaves
    it empty and the report counts the move events instead."""

    NO_MOVE_BEFORE = date.min  # before every period

    day = models.DateField()
    inbox_id = models.BigIntegerField()
    previous_day = models.DateField()
    moves = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "inbox_id", "previous_day"], name="report_move_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} inbox {self.inbox_id} (moved before {self.previous_day}): {self.moves}"
