"""/metrics: Prometheus figures for operators, and nobody else."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import MessageFactory, TicketFactory
from tests.mail.conftest import corpus
from tickets.mail.inbound import ingest
from tickets.models import Message
from tickets.tasks import close_solved_tickets_task

TOKEN = "metrics-scraper-token-4f1e"


def scrape(client: Client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


@pytest.mark.django_db
def test_off_without_a_configured_token(client: Client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"]
)
def test_anyone_without_the_token_sees_an_unknown_path(client: Client, token, header):
    headers = {"Authorization": header} if header else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 404
    assert b"supportdesk_" not in response.content


def test_a_signed_in_manager_without_the_token_is_refused_too(client: Client, token, manager):
    client.force_login(manager)

    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_requests_are_counted_by_route_not_by_path(client: Client, token, agent):
    client.force_login(agent)
    ticket_404s = (
        "supportdesk_requests_total",
        (("method", "GET"), ("route", "/tickets/<int:number>/"), ("status", "4xx")),
    )
    before = scrape(client).get(ticket_404s, 0)  # the counters live as long as the process
    for number in (1, 2):
        client.get(f"/tickets/{900000 + number}/")  # two paths, one route
    client.get("/healthz")

    figures = scrape(client)

    assert figures[ticket_404s] == before + 2
    health = (("method", "GET"), ("route", "/healthz"), ("status", "2xx"))
    assert figures[("supportdesk_requests_total", health)] >= 1
    assert not [key for key in figures if "900001" in str(key)]


def test_mail_intake_and_what_waits(client: Client, token, general_inbox):
    general_inbox.address = "support@example.com"
    general_inbox.save()
    filed_before = scrape(client).get(
        ("supportdesk_mail_intake_total", (("source", "webhook"), ("status", "processed"))), 0
    )
    ingest(corpus("unroutable.eml"), source="imap:general")
    ingest(
        b"From: ann@example.com\r\nTo: support@example.com\r\nSubject: Credits\r\n"
        b"Message-ID: <m1@example.com>\r\n\r\nMy credits did not refresh.\r\n",
        source="webhook:mailgun",
    )
    MessageFactory.create_batch(
        2,
        ticket=TicketFactory(inbox=general_inbox),
        kind="reply",
        delivery=Message.Delivery.QUEUED,
    )
    close_solved_tickets_task.enqueue()

    figures = scrape(client)

    intake = "supportdesk_mail_intake_total"
    assert figures[(intake, (("source", "imap"), ("status", "quarantined")))] >= 1
    assert figures[(intake, (("source", "webhook"), ("status", "processed")))] == filed_before + 1
    assert figures[("supportdesk_mail_inbound", (("status", "quarantined"),))] == 1
    assert figures[("supportdesk_mail_inbound", (("status", "received"),))] == 0
    assert figures[("supportdesk_mail_outbound", (("status", "queued"),))] == 2
    assert figures[("supportdesk_tasks_waiting", ())] == 1
    enqueued = ("supportdesk_tasks_enqueued_total", (("task", "close_solved_tickets_task"),))
    assert figures[enqueued] >= 1


WORKER = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
django.setup()
from supportdesk.metrics import MAIL_INTAKE
MAIL_INTAKE.labels("cli", "processed").inc(3)
"""


@pytest.mark.django_db
def test_figures_from_other_processes_add_up(client: Client, token, tmp_path: Path, monkeypatch):
    """Gunicorn's workers, the task worker and ingest_email are separate processes:
    with PROMETHEUS_MULTIPROC_DIR they write their figures where /metrics reads."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", WORKER], env=env, check=True, cwd=Path.cwd())
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    figures = scrape(client)

    assert (
        figures[("supportdesk_mail_intake_total", (("source", "cli"), ("status", "processed")))]
        == 6
    )
