from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from tickets.reports import article_days
from tickets.reports import days as report_days
from tickets.reports import moves as report_moves


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
            keys = report_days.drift(database)
            for day, inbox_id, category_id in keys[:20]:
                self.stdout.write(f"differs: {day} inbox {inbox_id} category {category_id}")
            cells = report_days.slice_drift(database)
            for measure, category_id, inbox_id, day, subject_id, bucket in cells[:20]:
                self.stdout.write(
                    f"differs: {day} {measure} inbox {inbox_id} category {category_id} "
                    f"subject {subject_id} bucket {bucket}"
                )
            blocks = report_days.block_drift(database)
            for measure, category_id, inbox_id, span, day, subject_id, bucket in blocks[:20]:
                self.stdout.write(
                    f"differs: {day} ({span} days) {measure} inbox {inbox_id} "
                    f"category {category_id} subject {subject_id} bucket {bucket}"
                )
            articles = article_days.drift(database)
            for category, inbox, span, day, measure, article, revision, bucket in articles[:20]:
                self.stdout.write(
                    f"differs: {day} ({span} days) {measure} inbox {inbox} category {category} "
                    f"article {article} revision {revision} bucket {bucket}"
                )
            events = report_moves.drift(database)
            for event_id, ticket_id, copied, inbox_id in events[:20]:
                self.stdout.write(
                    f"differs: move event {event_id} of ticket {ticket_id} says inbox "
                    f"{copied}, the ticket is in inbox {inbox_id}"
                )
            moved = report_moves.roll_up_drift(database)
            for day, inbox_id, previous_day, stored, recounted in moved[:20]:
                self.stdout.write(
                    f"differs: {day} moves to inbox {inbox_id} after a move on {previous_day}: "
                    f"{stored} kept, {recounted} counted"
                )
            chained = report_moves.chain_drift(database)
            for event_id, ticket_id, stored, previous_day in chained[:20]:
                self.stdout.write(
                    f"differs: move event {event_id} of ticket {ticket_id} says the move "
                    f"before was on {stored}, it was on {previous_day}"
                )
            problems = []
            if keys:
                problems.append(f"{len(keys)} day/inbox/category count(s)")
            if cells:
                problems.append(f"{len(cells)} slice bucket(s)")
            if blocks:
                problems.append(f"{len(blocks)} slice block bucket(s)")
            if articles:
                problems.append(f"{len(articles)} article figure(s)")
            if events:
                problems.append(f"{len(events)} move event(s)' inbox")
            if moved:
                problems.append(f"{len(moved)} moved-ticket count(s)")
            if chained:
                problems.append(f"{len(chained)} move event(s)' day of the move before")
            if problems:
                raise CommandError(
                    f"{' and '.join(problems)} differ from the rows; "
                    "run manage.py report_days to count them afresh."
                )
            self.stdout.write("Each roll-up matches the tickets, resolutions and article facts.")
            return
        report_days.rebuild(database)
        self.stdout.write("Counted the roll-ups afresh.")
