"""Intake's cost per mail stays constant: what every mail needs (the inbox's SLA
rules, the customer) is read once, not once per table it comes from."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets.mail.inbound import ingest
from tickets.management.commands.bench_ingest import sample
from tickets.models import SlaPolicy


def test_a_mail_opening_a_ticket_costs_a_fixed_number_of_queries(support, billing):
    SlaPolicy.objects.create(inbox=support, priority=2, first_response_minutes=60)
    ingest(sample("plain", 1, "warm", support.address, billing.address), source="test")

    with CaptureQueriesContext(connection) as queries:
        result = ingest(sample("plain", 2, "q", support.address, billing.address), source="test")

    assert result.new_ticket and result.status == "processed"
    sql = [q["sql"] for q in queries]
    # Stored and locked; the inboxes; a new customer (look, insert, read back); the
    # ticket, its message and event; the rules' version, the clock and its due time;
    # the mail's state; unlocked. (Here inside the test's transaction: one savepoint.)
    assert len(sql) <= 19, "\n".join(sql)
    assert not [s for s in sql if "tickets_slapolicy" in s or "tickets_holiday" in s]
    assert not [s for s in sql if s.startswith("SAVEPOINT")][1:]  # the test's own, at most
