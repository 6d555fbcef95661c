"""Enqueue again replies still waiting to be sent (a task lost with its worker).

Safe to run from cron: sending is one locked state transition, so a spare task
never sends a reply twice."""

from django.core.management.base import BaseCommand

from tickets.mail.outbound import send_queued


class Command(BaseCommand):
    help = "Re-enqueue replies queued for more than 15 minutes."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{send_queued()} queued reply(ies) enqueued again.")
