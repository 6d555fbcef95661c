"""The managers' SLA pages: /tickets/sla/ and /tickets/sla/<inbox>/."""

from datetime import date, time

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tickets.models import BusinessHours, Holiday, SlaPolicy

pytestmark = pytest.mark.django_db
INDEX = reverse("tickets:sla")


def settings_url(slug: str = "general") -> str:
    return reverse("tickets:sla_settings", args=[slug])


def valid(**changes) -> dict:
    data = {
        "time_zone": "Europe/Berlin",
        "days": ["0", "1", "2", "3", "4"],
        "start": "08:00",
        "end": "18:00",
        "holidays": "2026-12-25 Christmas Day\n\n2026-12-26",
        "first_response_4": "0.5",
        "resolution_4": "8",
        "first_response_2": "4",
        "next_response_2": "8",
        "resolution_2": "40",
    }
    return {**data, **changes}


def test_the_index_lists_every_inbox_with_its_targets(
    client, manager, general_inbox, billing_inbox
):
    SlaPolicy.objects.create(inbox=billing_inbox, priority=4, first_response_minutes=90)
    client.force_login(manager)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "General support" in response.text and "Billing" in response.text
    assert "<td>1 h 30 min</td>" in response.text
    assert f'href="{settings_url("billing")}"' in response.text


@pytest.mark.parametrize("url", [INDEX, "/tickets/sla/general/"])
def test_agents_and_editors_may_not_manage_slas(client, general_agent, url):
    client.force_login(general_agent)

    assert client.get(url).status_code == 403
    assert client.post(url, valid()).status_code in (403, 405)  # the index is GET only
    assert not SlaPolicy.objects.exists()


def test_saving_stores_hours_holidays_and_targets_and_updates_open_tickets(
    client, manager, general_inbox
):
    ticket = TicketFactory(inbox=general_inbox, status="open", priority=2)
    client.force_login(manager)

    response = client.post(settings_url(), valid(), follow=True)

    assert response.redirect_chain[-1][0] == settings_url()
    assert "SLA settings of General support saved; 1 open ticket updated." in response.text
    hours = BusinessHours.objects.get(inbox=general_inbox)
    assert (hours.time_zone, hours.days, hours.start, hours.end) == (
        "Europe/Berlin", "01234", time(8), time(18),
    )  # fmt: skip
    assert list(Holiday.objects.values_list("day", "name")) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), ""),
    ]
    policies = {p.priority: p for p in SlaPolicy.objects.filter(inbox=general_inbox)}
    assert set(policies) == {2, 4}
    assert policies[4].first_response_minutes == 30 and policies[4].next_response_minutes is None
    assert policies[2].resolution_minutes == 2400
    ticket.refresh_from_db()
    assert ticket.sla_due_at is not None


def test_the_form_shows_what_is_saved(client, manager, general_inbox):
    client.force_login(manager)
    client.post(settings_url(), valid())

    text = client.get(settings_url()).text

    assert 'value="Europe/Berlin"' in text
    assert "2026-12-25 Christmas Day" in text
    assert 'name="first_response_4" value="0.5"' in text
    assert (
        'id="id_time_zone_helptext"' in text and 'aria-describedby="id_time_zone_helptext"' in text
    )


def test_clearing_a_priority_removes_its_policy(client, manager, general_inbox):
    client.force_login(manager)
    client.post(settings_url(), valid())

    client.post(settings_url(), valid(first_response_4="", resolution_4=""))

    assert list(SlaPolicy.objects.values_list("priority", flat=True)) == [2]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "is not a time zone name"),
        ({"holidays": "25.12.2026 Christmas"}, "Line 1: “25.12.2026” is not a date"),
        ({"end": "07:00"}, "Closing time must be after opening time"),
        ({"days": []}, "Pick at least one working day."),
        ({"resolution_2": "-3"}, "greater than or equal to 0.25"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, manager, general_inbox, changes, message
):
    client.force_login(manager)

    response = client.post(settings_url(), valid(**changes))

    assert response.status_code == 200
    assert message in response.text
    assert 'name="resolution_4" value="8"' in response.text  # what was typed is kept
    assert not SlaPolicy.objects.exists() and not BusinessHours.objects.exists()


def test_an_unknown_inbox_is_404(client, manager):
    client.force_login(manager)

    assert client.get(settings_url("nope")).status_code == 404


def test_saving_is_in_the_audit_log_with_what_was_saved(client, manager, general_inbox):
    from supportdesk.models import AuditEvent

    client.force_login(manager)

    client.post(settings_url(), valid())

    event = AuditEvent.objects.get(action="sla_changed")
    assert (event.actor, event.target) == (manager, "General support")
    assert event.detail == (
        "Mon,Tue,Wed,Thu,Fri 08:00-18:00 Europe/Berlin; 2 holidays; "
        "Urgent 30 min/—/8 h; Normal 4 h/8 h/40 h"
    )
