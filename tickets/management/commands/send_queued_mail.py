"""Enqueue again replies whose try is long overdue (a task lost with its worker).

Safe to run from cron: a reply waiting for its next retry is left alone, and a
task that turns up after all finds its reply sent or not due yet and does nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from tickets.mail.outbound import send_queued


class Command(BaseCommand):
    help = "Re-enqueue replies still queued 15 minutes (--older-than) after their try was due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=15 * 60,
            metavar="SECONDS",
            help="how long past its due time a reply counts as lost (default 900)",
        )

    def handle(self, *args, older_than: int, **options) -> None:
        count = send_queued(older_than=timedelta(seconds=older_than))
        self.stdout.write(f"{count} queued reply(ies) enqueued again.")
