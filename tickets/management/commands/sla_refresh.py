"""`manage.py sla_refresh [--inbox SLUG]`: recompute the SLA clocks and due times
of every live ticket (the data step for tickets from before SLAs; also after
editing policies by hand in the admin)."""

from django.core.management.base import BaseCommand, CommandError

from tickets.models import Inbox
from tickets.sla.clock import refresh_inbox


class Command(BaseCommand):
    help = "Recompute SLA due times of every open, new or pending ticket."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--inbox", help="only this inbox (its slug)")

    def handle(self, *args, inbox: str | None = None, **options) -> None:
        inboxes = Inbox.objects.all()
        if inbox:
            inboxes = inboxes.filter(slug=inbox)
            if not inboxes.exists():
                raise CommandError(f"No inbox with the slug {inbox!r}.")
        for one in inboxes:
            count = refresh_inbox(one.pk)
            self.stdout.write(f"{one.name}: {count} live tickets recomputed.")
