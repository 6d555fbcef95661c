from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from tickets.reports import days as report_days


class Command(BaseCommand):
    help = (
        "Count the report's daily roll-up (ReportDay) afresh from the tickets and "
        "resolutions; with --check, only say whether it differs (exit status 1 if so)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="compare, change nothing")
        parser.add_argument("--database", default="default")

    def handle(self, *args, check: bool, database: str, **options) -> None:
        if connections[database].vendor != "postgresql":
            raise CommandError("The roll-up is kept on PostgreSQL only; SQLite counts the rows.")
        if check:
            keys = report_days.drift(database)
            for day, inbox_id, category_id in keys[:20]:
                self.stdout.write(f"differs: {day} inbox {inbox_id} category {category_id}")
            if keys:
                raise CommandError(
                    f"{len(keys)} day/inbox/category count(s) differ from the rows; "
                    "run manage.py report_days to count them afresh."
                )
            self.stdout.write("The roll-up matches the tickets and resolutions.")
            return
        report_days.rebuild(database)
        self.stdout.write("Counted the roll-up afresh.")
