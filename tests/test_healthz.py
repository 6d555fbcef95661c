"""/healthz: the load balancer's probe, without a session."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tickets.models import ImapMailbox
from tickets.tasks import close_solved_tickets_task


@pytest.mark.django_db
def test_healthy_with_nothing_waiting(client: Client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "oldest_task_waiting_s": None,
        "last_mail_poll_s_ago": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_reports_the_oldest_waiting_task_and_the_last_poll(client: Client, general_inbox):
    close_solved_tickets_task.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    ImapMailbox.objects.create(
        inbox=general_inbox,
        host="localhost",
        username="support",
        password_env="IMAP_PASSWORD",
        last_polled_at=timezone.now() - timedelta(seconds=90),
    )

    figures = client.get("/healthz").json()

    assert 299 <= figures["oldest_task_waiting_s"] <= 330
    assert 89 <= figures["last_mail_poll_s_ago"] <= 120


def test_only_get(client: Client):
    assert client.post("/healthz").status_code == 405
