"""Poll every enabled IMAP mailbox once (run it from cron every minute), or keep
polling with ``--every SECONDS``."""

import time

from django.core.management.base import BaseCommand

from tickets.mail.imap import fetch_all


class Command(BaseCommand):
    help = "Fetch new mail from each inbox's IMAP mailbox and file it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, every: int, **options) -> None:
        while True:
            reports = fetch_all()
            if not reports:
                self.stdout.write("No IMAP mailbox is configured.")
            for report in reports:
                self.stdout.write(str(report))
                for result in report.results:
                    self.stdout.write(f"  {result}")
            if not every:
                return
            time.sleep(every)
