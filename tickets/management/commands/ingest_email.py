"""Feed raw mail to the inbound pipeline: files, or standard input (a mail server's pipe).

python manage.py ingest_email message.eml other.eml
python manage.py ingest_email < message.eml       # e.g. from an MTA alias
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tickets.mail.inbound import ingest
from tickets.models import InboundEmail


class Command(BaseCommand):
    help = "File raw email messages (files or stdin) as tickets; prints what became of each."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", help="RFC 5322 messages; none reads stdin")
        parser.add_argument("--source", default="cli", help="recorded on each stored mail")

    def handle(self, *args, files: list[str], source: str, **options) -> None:
        inputs = [(name, Path(name)) for name in files] or [("-", None)]
        quarantined = 0
        for name, path in inputs:
            try:
                raw = path.read_bytes() if path else sys.stdin.buffer.read()
            except OSError as error:
                raise CommandError(f"{name}: {error.strerror}") from error
            result = ingest(raw, source=source)
            quarantined += result.status == InboundEmail.Status.QUARANTINED
            self.stdout.write(f"{name}: {result}")
        if quarantined:
            # Still exit 0: the mail is stored, so the MTA must neither bounce nor retry it.
            self.stderr.write(f"{quarantined} message(s) quarantined; see the dashboard.")
