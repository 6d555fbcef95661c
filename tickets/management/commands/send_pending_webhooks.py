"""Enqueue again webhook deliveries whose try is long overdue (a task lost with its
worker). Safe to run from cron: a delivery waiting for its next retry is left
alone, and a task that turns up after all finds it sent or not due and does nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from tickets.webhooks.delivery import send_pending


class Command(BaseCommand):
    help = "Re-enqueue webhook deliveries still pending 15 minutes (--older-than) after due."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=15 * 60,
            metavar="SECONDS",
            help="how long past its due time a delivery counts as lost (default 900)",
        )

    def handle(self, *args, older_than: int, **options) -> None:
        count = send_pending(older_than=timedelta(seconds=older_than))
        self.stdout.write(f"{count} pending webhook delivery(ies) enqueued again.")
