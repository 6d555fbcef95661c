"""Feed raw mail to the inbound pipeline: files, or standard input (a mail server's pipe).

python manage.py ingest_email message.eml other.eml
python manage.py ingest_email < message.eml       # e.g. from an MTA alias

Exit status: 0 once every mail is stored (filed, duplicate or quarantined: the
MTA must neither bounce nor retry it); 75 (EX_TEMPFAIL: the MTA retries later)
when a mail could not even be stored. One mail never stops the others.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tickets.mail.inbound import ingest
from tickets.models import InboundEmail

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "File raw email messages (files or stdin) as tickets; prints what became of each."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", help="RFC 5322 messages; none reads stdin")
        parser.add_argument("--source", default="cli", help="recorded on each stored mail")

    def handle(self, *args, files: list[str], source: str, **options) -> None:
        inputs = [(name, Path(name)) for name in files] or [("-", None)]
        quarantined = not_stored = 0
        for name, path in inputs:
            try:
                raw = path.read_bytes() if path else sys.stdin.buffer.read()
            except OSError as error:
                raise CommandError(f"{name}: {error.strerror}") from error
            try:
                result = ingest(raw, source=source)
            except Exception as error:  # noqa: BLE001 - not stored: say so, go on
                not_stored += 1
                self.stderr.write(f"{name}: NOT STORED: {type(error).__name__}: {error}")
                continue
            quarantined += result.status == InboundEmail.Status.QUARANTINED
            self.stdout.write(f"{name}: {result}")
        if quarantined:
            # Still exit 0: the mail is stored, so the MTA must neither bounce nor retry it.
            self.stderr.write(f"{quarantined} message(s) quarantined; see the dashboard.")
        if not_stored:
            raise CommandError(f"{not_stored} message(s) not stored", returncode=EX_TEMPFAIL)
