import os

from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo as articles_demo
from supportdesk.demo import DEMO_USERS, load_users
from tickets import demo as tickets_demo


class Command(BaseCommand):
    help = "Load demo users, articles and tickets. Safe to run again: nothing is duplicated."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = load_users()
            articles_demo.load(users=users, stdout=self.stdout)
            tickets_demo.load(users=users, stdout=self.stdout)
        self.stdout.write("\nDemo users (username / password / role):")
        for spec in DEMO_USERS:
            role = spec.role or "Admin (superuser)"
            inbox = f", {spec.inbox} inbox" if spec.inbox else ""
            self.stdout.write(f"  {spec.username:<6} {spec.password:<20} {role}{inbox}")
        port = os.environ.get("PORT", "8000")  # make demo PORT=8001
        self.stdout.write(f"\nOpen http://127.0.0.1:{port}/ and sign in with one of them.")
