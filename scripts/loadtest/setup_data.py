"""Prepare the load test's database: the benchmark dataset and signed-in agents.

    python scripts/loadtest/setup_data.py TICKETS AGENTS SESSIONS_FILE

Each simulated agent gets a session made here, as a sign-in would make it, so the
run measures the agents' work rather than password hashing (sign-in is the
throttled, deliberately slow path). They are agents and managers of both inboxes,
so the mix can open the report too.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from supportdesk.roles import AGENT, MANAGER  # noqa: E402
from tickets.bench import data as benchdata  # noqa: E402
from tickets.models import Inbox  # noqa: E402


def main(tickets: int, agents: int, sessions_file: str) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    if tickets not in benchdata.existing_sizes():
        benchdata.build(tickets)
    groups = [Group.objects.get_or_create(name=name)[0] for name in (AGENT, MANAGER)]
    inboxes = list(Inbox.objects.all())
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    sessions = []
    for i in range(agents):
        user, _ = User.objects.get_or_create(
            username=f"load-agent-{i}", defaults={"first_name": "Load", "last_name": f"{i}"}
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(*groups)
        for inbox in inboxes:
            inbox.members.add(user)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "supportdesk.accounts.backends.UserBackend"  # a sign-in's
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append({"username": user.username, "session": session.session_key})
    Path(sessions_file).write_text(json.dumps(sessions))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
