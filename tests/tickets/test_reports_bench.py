"""bench times the report and each CSV; its dataset carries the report's copies."""

import io
import json

from django.core.management import call_command
from django.db.models import F, Sum

from tickets.models import ReportDay, Resolution, Ticket
from tickets.reports.tables import CSV_TABLES


def test_bench_times_the_report_and_every_csv(db):
    out = io.StringIO()

    call_command("bench", tickets=300, repeat=2, stdout=out)

    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["report_status"] == 200 and result["report_p50_ms"] > 0
    assert all(result[f"csv_{table}_status"] == 200 for table in CSV_TABLES)
    assert result["csv_p50_ms"] == max(result[f"csv_{t}_p50_ms"] for t in CSV_TABLES)
    assert result["report_cached_p50_ms"] > 0 and result["csv_cached_p50_ms"] > 0
    # The dataset fills the copies the report reads instead of joining the tickets.
    resolutions = Resolution.objects.all()
    assert resolutions.exists()
    assert not resolutions.exclude(ticket_created_at=F("ticket__created_at")).exists()
    assert not resolutions.exclude(agent_replies=1).exists()
    # Loaded with its triggers paused, the roll-up is counted once after the load.
    totals = ReportDay.objects.aggregate(created=Sum("created"), solved=Sum("solved"))
    assert totals["created"] == Ticket.objects.count()
    assert totals["solved"] == resolutions.filter(kind__in=["article", "no_article"]).count()
