import io
import json

from django.core.management import call_command

from articles.models import Article
from tickets.models import Message, Resolution, Ticket, TicketEvent


def test_bench_builds_both_inboxes_then_prints_a_table_and_a_json_line(db):
    out = io.StringIO()

    call_command("bench", tickets=300, repeat=2, stdout=out)

    lines = out.getvalue().strip().splitlines()
    result = json.loads(lines[-1])
    for key in ("queue_p50_ms", "queue_p95_ms", "queue_queries", "deep_page_p50_ms",
                "ticket_p50_ms", "home_p50_ms"):  # fmt: skip
        assert key in result
    assert result["queue_status"] == 200 and result["home_status"] == 200
    assert 0 < result["queue_queries"] <= 12
    # The JSON API's probes (issue 16): answered, and as few queries as the queue.
    assert result["api_tickets_status"] == 200 and result["api_ticket_status"] == 200
    assert 0 < result["api_tickets_queries"] <= result["queue_queries"]
    assert "api_tickets_p50_ms" in result and "api_ticket_p50_ms" in result
    # The bell's poll (issue 15): answered with the count, in few queries.
    assert result["notifications_status"] == 200 and result["notifications_p50_ms"] > 0
    assert 0 < result["notifications_queries"] <= 4
    assert any(line.startswith("page ") for line in lines)
    # The SLA-sorted queue (issue 15), on due times the builder filled in.
    assert result["queue_due_status"] == 200 and 0 < result["queue_due_queries"] <= 12
    assert Ticket.objects.filter(status__in=["new", "open"], sla_due_at__isnull=False).exists()
    assert Ticket.objects.count() == 300
    assert set(Ticket.objects.values_list("inbox__slug", flat=True)) == {"general", "billing"}
    assert Message.objects.count() > 300
    assert Resolution.objects.filter(reopened_at__isnull=False).exists()
    assert TicketEvent.objects.filter(kind="inbox").exists()
    # The help center probes: anonymous, among 2,000 articles that are rolled back.
    for key in ("help_home", "help_article", "contact_suggest"):
        assert result[f"{key}_status"] == 200 and result[f"{key}_p50_ms"] > 0
    assert Article.objects.count() < 100
    # The sidebar's counts were counted after the load (its triggers were paused).
    from tests.tickets.test_live_counts import counted, rolled_up

    assert rolled_up() == counted() != {}

    again = io.StringIO()
    call_command("bench", tickets=300, repeat=2, stdout=again)

    assert "Reusing the dataset of 300 tickets" in again.getvalue()
    assert Ticket.objects.count() == 300
