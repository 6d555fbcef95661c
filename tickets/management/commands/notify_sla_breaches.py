"""`manage.py notify_sla_breaches [--field F] [--within MINUTES]`: warn each assignee
whose open ticket falls due within the window (run it every few minutes from cron).

The due time is read from a datetime column of Ticket named by ``--field``
(default: settings.SLA_DUE_FIELD, else ``sla_due_at``), so the SLA code only has to
keep that column current. Each due time is warned about once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tickets.notifications.events import notify_sla_breaches

DEFAULT_FIELD = "sla_due_at"


class Command(BaseCommand):
    help = "Notify assignees of open tickets due within the next MINUTES (default 60)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--field", default=getattr(settings, "SLA_DUE_FIELD", DEFAULT_FIELD))
        parser.add_argument("--within", type=int, default=60, help="minutes ahead")

    def handle(self, *args, field: str, within: int, **options) -> None:
        if within <= 0:
            raise CommandError("--within is a number of minutes above 0.")
        try:
            made = notify_sla_breaches(field, timedelta(minutes=within))
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{made} notification{'s' if made != 1 else ''} of SLAs due soon.")
