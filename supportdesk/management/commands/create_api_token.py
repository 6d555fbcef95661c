from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from supportdesk.tokens import create_token


class Command(BaseCommand):
    help = "Make a personal API token for USERNAME and print it (once: only its hash is kept)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="API token", help="What uses the token.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_active:
            raise CommandError(f"{username!r} is deactivated; a token of theirs would not work.")
        _, raw = create_token(user=user, name=name)
        self.stdout.write(raw)
