"""With REPORTS_DATABASE_URL set, report queries read from the replica alias.

The test alias "reports" mirrors the test database (settings TEST MIRROR), so
the replica sees committed rows: hence a transactional test.
"""

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from supportdesk.routers import ReportsRouter, reading_reports
from tests.tickets.reports_world import build_world, period_query
from tickets.models import Resolution, Ticket


def test_reads_stay_on_default_without_a_replica(settings):
    settings.REPORTS_DATABASE = None
    with reading_reports():
        assert ReportsRouter().db_for_read(Ticket) is None
    assert ReportsRouter().allow_migrate("default", "tickets") is None


def test_only_report_reads_go_to_the_replica(settings):
    settings.REPORTS_DATABASE = "reports"
    router = ReportsRouter()

    assert router.db_for_read(Ticket) is None
    with reading_reports():
        assert router.db_for_read(Resolution) == "reports"
        assert router.db_for_write(Resolution) == "default"
    assert router.allow_migrate("reports", "tickets") is False


@pytest.mark.django_db(transaction=True, databases=["default", "reports"])
def test_report_page_reads_from_the_replica(settings, general_inbox, billing_inbox, manager):
    build_world(general_inbox, billing_inbox)
    settings.REPORTS_DATABASE = "reports"
    client = Client()
    client.force_login(manager)

    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["reports"]) as on_replica,
    ):
        response = client.get(f"/tickets/reports/?{period_query()}")
        csv = b"".join(client.get(f"/tickets/reports/headline.csv?{period_query()}"))

    assert response.status_code == 200
    assert 'data-measure="created">' in response.content.decode()
    assert b"Tickets created,11,2,tickets" in csv
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    default_sql = " ".join(q["sql"] for q in on_default.captured_queries)
    # The moved figure read the move events here ("tickets_ticketevent"); now
    # their roll-up, on the replica too.
    assert "tickets_resolution" in replica_sql and "tickets_reportmove" in replica_sql
    assert "tickets_reportmove" not in default_sql
    assert "tickets_resolution" not in default_sql
