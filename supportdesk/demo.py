"""Demo users: one per role (and one agent per inbox), with known passwords."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, User

from supportdesk.roles import AGENT, EDITOR, MANAGER


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str | None
    inbox: str | None = None  # inbox slug the user belongs to (editors: for article figures)


DEMO_USERS = [
    DemoUser("ana", "ana-general-demo", "Ana", "Okafor", AGENT, inbox="general"),
    DemoUser("ben", "ben-general-demo", "Ben", "Larsen", AGENT, inbox="general"),
    DemoUser("bea", "bea-billing-demo", "Bea", "Moreau", AGENT, inbox="billing"),
    DemoUser("eddie", "eddie-editor-demo", "Eddie", "Kim", EDITOR, inbox="general"),
    DemoUser("maya", "maya-manager-demo", "Maya", "Santos", MANAGER),
    DemoUser("admin", "admin-demo", "Ada", "Admin", None),
]


def load_users() -> dict[str, User]:
    """Create or refresh the demo users; running twice changes nothing."""
    users = {}
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@supportdesk.example",
                "is_staff": spec.role is None,
                "is_superuser": spec.role is None,
            },
        )
        if created:
            user.set_password(spec.password)
            user.save(update_fields=["password"])
        if spec.role:
            user.groups.add(Group.objects.get(name=spec.role))
        users[spec.username] = user
    return users
