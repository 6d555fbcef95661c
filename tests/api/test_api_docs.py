"""docs/api.md's curl examples run as written against a live server."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from supportdesk.roles import AGENT, MANAGER
from supportdesk.tokens import create_token
from tests.factories import ArticleFactory, MessageFactory, TicketFactory, UserFactory
from tickets.models import Customer, CustomerContext

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def examples() -> list[str]:
    """The ```sh blocks of the doc, in order."""
    return re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_doc_has_curl_examples():
    blocks = examples()

    assert len(blocks) >= 8
    assert all(block.lstrip().startswith("curl ") for block in blocks)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl (.ci/run installs it)")
def test_every_curl_example_runs(live_server, transactional_db, general_inbox):
    agent = UserFactory(role=AGENT)
    general_inbox.members.add(agent)
    ArticleFactory(slug="credits-not-refreshed", title="Credits did not refresh")
    ticket = TicketFactory(inbox=general_inbox, customer__email="pat@example.com")
    MessageFactory(ticket=ticket, body_text="My credits are gone")
    _, token = create_token(user=agent, name="docs")
    _, manager_token = create_token(user=UserFactory(role=MANAGER), name="docs")
    env = {**os.environ, "SUPPORTDESK": live_server.url, "TOKEN": token, "TICKET": str(ticket.pk)}
    env["MANAGER_TOKEN"] = manager_token

    for block in examples():
        done = subprocess.run(
            ["bash", "-c", block], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (block, done.stdout, done.stderr)
        json.loads(done.stdout)  # every example answers JSON

    ticket.refresh_from_db()
    assert ticket.status == "solved"
    assert ticket.messages.filter(kind="note").exists()
    # The last example erased the customer (issue 16): their context went with them.
    assert not Customer.objects.filter(email__iexact="pat@example.com").exists()
    assert not CustomerContext.objects.exists() and ticket.subject == "[erased]"
