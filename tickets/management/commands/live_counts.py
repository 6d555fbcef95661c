from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from tickets.queues import live_counts


class Command(BaseCommand):
    help = (
        "Count the sidebar's live ticket counts (LiveCount) afresh from the tickets; "
        "with --check, only say whether they differ (exit status 1 if so)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="compare, change nothing")
        parser.add_argument("--database", default="default")

    def handle(self, *args, check: bool, database: str, **options) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("The live counts are kept on PostgreSQL only; SQLite counts.")
        with connection.cursor() as cursor:
            if not check:
                live_counts.refresh(cursor)
                self.stdout.write("Counted the live tickets afresh.")
                return
            differences = live_counts.drift(cursor)
        for inbox_id, status, assignee_id, rolled, counted in differences[:20]:
            self.stdout.write(
                f"differs: inbox {inbox_id} {status} assignee {assignee_id or 'none'}: "
                f"{rolled} rolled up, {counted} tickets"
            )
        if differences:
            raise CommandError(
                f"{len(differences)} count(s) differ from the tickets; "
                "run manage.py live_counts to count them afresh."
            )
        self.stdout.write("The live counts match the tickets.")
