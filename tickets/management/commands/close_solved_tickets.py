from django.core.management.base import BaseCommand

from tickets.resolution import close_after, close_solved_tickets, hold_window


class Command(BaseCommand):
    help = "Close tickets solved and untouched for the hold window plus TICKET_CLOSE_DAYS."

    def handle(self, *args, **options) -> None:
        closed = close_solved_tickets()
        days = (hold_window() + close_after()).days
        self.stdout.write(f"Closed {closed} ticket(s) solved and quiet for {days} days.")
