"""Enqueue again replies whose try is long overdue (a task lost with its worker), and
finish inbound mail left "received" (its process died midway), as ``fetch_mail``
does: a setup fed only by the MTA pipe runs no ``fetch_mail``.

Safe to run from cron: a reply waiting for its next retry is left alone, and a
task that turns up after all finds its reply sent or not due yet and does nothing."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from tickets.mail.inbound import process_leftovers
from tickets.mail.outbound import send_queued


class Command(BaseCommand):
    help = (
        "Re-enqueue replies still queued 15 minutes (--older-than) after their try was due; "
        "finish inbound mail left unprocessed."
    )

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
        for result in process_leftovers():
            self.stdout.write(f"left unprocessed, now: {result}")
