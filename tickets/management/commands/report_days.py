from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from tickets.reports import article_days
from tickets.reports import days as report_days
from tickets.reports import moves as report_moves

# What --check compares: each roll-up's differing rows (``drift``), how one is
# said, and what the summary counts.
CHECKS = (
    (report_days.drift,
     lambda day, inbox, category: f"{day} inbox {inbox} category {category}",
     "day/inbox/category count(s)"),
    (report_days.slice_drift,
     lambda measure, category, inbox, day, subject, bucket: (
         f"{day} {measure} inbox {inbox} category {category} subject {subject} bucket {bucket}"),
     "slice bucket(s)"),
    (report_days.block_drift,
     lambda measure, category, inbox, span, day, subject, bucket: (
         f"{day} ({span} days) {measure} inbox {inbox} category {category} "
         f"subject {subject} bucket {bucket}"),
     "slice block bucket(s)"),
    (article_days.drift,
     lambda category, inbox, span, day, measure, article, revision, bucket: (
         f"{day} ({span} days) {measure} inbox {inbox} category {category} "
         f"article {article} revision {revision} bucket {bucket}"),
     "article figure(s)"),
    (report_moves.drift,
     lambda event, ticket, copied, inbox: (
         f"move event {event} of ticket {ticket} says inbox {copied}, "
         f"the ticket is in inbox {inbox}"),
     "move event(s)' inbox"),
    (report_moves.roll_up_drift,
     lambda day, inbox, previous_day, stored, recounted: (
         f"{day} moves to inbox {inbox} after a move on {previous_day}: "
         f"{stored} kept, {recounted} counted"),
     "moved-ticket count(s)"),
    (report_moves.chain_drift,
     lambda event, ticket, stored, previous_day: (
         f"move event {event} of ticket {ticket} says the move before was on {stored}, "
         f"it was on {previous_day}"),
     "move event(s)' day of the move before"),
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "Count the report's daily roll-ups (ReportDay, ReportSlice and its blocks, "
        "ReportArticle, the move events' inboxes and days before, ReportMove) afresh "
        "from the tickets, resolutions, links and article facts; with --check, only say whether "
        "they differ (exit status 1 if so); with --fold, only fold the stripes of the days "
        "before yesterday into one row each (daily, from cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="compare, change nothing")
        parser.add_argument(
            "--fold", action="store_true", help="fold past days' stripes, count nothing"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, check: bool, fold: bool, database: str, **options) -> None:
        if connections[database].vendor != "postgresql":
            raise CommandError("The roll-up is kept on PostgreSQL only; SQLite counts the rows.")
        if fold:
            with transaction.atomic(using=database), connections[database].cursor() as cursor:
                rows = report_days.fold(cursor)
            self.stdout.write(f"Folded the past days' stripes into {rows} row(s).")
            return
        if check:
            problems = []
            for drift, say, what in CHECKS:
                rows = drift(database)
                for row in rows[:20]:
                    self.stdout.write("differs: " + say(*row))
                if rows:
                    problems.append(f"{len(rows)} {what}")
            if problems:
                raise CommandError(
                    f"{' and '.join(problems)} differ from the rows; "
                    "run manage.py report_days to count them afresh."
                )
            self.stdout.write("Each roll-up matches the tickets, resolutions and article facts.")
            return
        report_days.rebuild(database)
        self.stdout.write("Counted the roll-ups afresh.")
