from django.db import models


class ReportSliceBlock(models.Model):
    """``ReportSlice``'s rows summed per aligned block of 8 and of 64 days
    (``span``; ``day`` is the block's first day, see
    ``tickets.reports.article_days.periods``): a 90-day report reads its whole
    blocks here and only its edge days in ``ReportSlice``, a tenth of the rows
    for the per-agent durations. Kept by the same trigger function as
    ``ReportSlice`` (``tickets.reports.days``), so the two always agree;
    SQLite (the demo) leaves both empty."""

    measure = models.CharField(max_length=1)
    category_id = models.BigIntegerField()
    inbox_id = models.BigIntegerField()
    span = models.SmallIntegerField()
    day = models.DateField()
    subject_id = models.BigIntegerField(default=-1)
    bucket = models.SmallIntegerField(default=0)
    n = models.IntegerField(default=0)
    total_ms = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # As ReportSlice's: what a read fixes (measure, slice, span), then the days.
            models.UniqueConstraint(
                fields=["measure", "category_id", "inbox_id", "span", "day", "subject_id",
                        "bucket"],
                name="report_slice_block_unique",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.day} ({self.span} days) {self.measure} inbox {self.inbox_id}"
