"""Every mail to the customer carries their link, in both parts."""

import re

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from tests.customer.conftest import link_in, page_url
from tickets import services
from tickets.mail import outbound
from tickets.models import Message, Satisfaction
from tickets.portal import mail as customer_mail
from tickets.resolution import solve_ticket

pytestmark = pytest.mark.django_db


def html_of(email) -> str:
    [(html, kind)] = email.alternatives
    assert kind == "text/html"
    return html


def test_the_acknowledgement_carries_a_working_link(ticket):
    email = outbound.acknowledgement(ticket.messages.first())

    token = link_in(email.body)
    assert f"/help/tickets/{token}/" in html_of(email)
    assert "Video stops" in Client().get(page_url(token)).text


def test_every_reply_carries_a_fresh_link(ticket, general_agent, settings):
    settings.SITE_URL = "https://help.example"
    first = services.add_reply(ticket, body_text="First answer", by=general_agent)
    second = services.add_reply(ticket, body_text="Second answer", by=general_agent)

    one, two = outbound.build_reply(first), outbound.build_reply(second)

    assert link_in(one.body) != link_in(two.body)
    assert f"https://help.example/help/tickets/{link_in(one.body)}/" in one.body
    assert f'href="https://help.example/help/tickets/{link_in(two.body)}/"' in html_of(two)
    assert Client().get(page_url(link_in(one.body))).status_code == 200


def test_the_solve_notice_asks_for_a_rating(ticket, general_agent, mailoutbox):
    resolution = solve_ticket(ticket, kind="not_applicable", by=general_agent)

    assert customer_mail.deliver_solved_notice(resolution.pk)

    [notice] = mailoutbox
    assert notice.to == ["ana@customer.example"] and f"[#{ticket.pk}]" in notice.subject
    assert notice.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "rate/?rating=good" in notice.body and "rate/?rating=bad" in html_of(notice)
    token = link_in(notice.body)
    # One click opens the choice; only sending it stores it (mail scanners open links).
    client = Client()
    choice = client.get(page_url(token, "rate") + "?rating=bad").text
    assert re.search(r'value="bad"[^>]*checked', choice)
    assert not re.search(r'value="good"[^>]*checked', choice)
    assert not Satisfaction.objects.exists()
    client.post(page_url(token, "rate"), {"rating": "bad", "comment": "Still broken"})
    assert Satisfaction.objects.get().resolution == resolution


def test_the_solve_view_enqueues_the_notice(
    client, ticket, general_agent, django_capture_on_commit_callbacks
):
    client.force_login(general_agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/tickets/{ticket.pk}/solve/", {"kind": "not_applicable", "note": ""}
        )

    assert response.status_code == 302
    [task] = DBTaskResult.objects.filter(task_path="tickets.portal.mail.send_solved_notice")
    assert task.args_kwargs["args"] == [ticket.resolutions.get().pk]


def test_no_notice_once_reopened(ticket, general_agent, mailoutbox):
    resolution = solve_ticket(ticket, kind="not_applicable", by=general_agent)
    services.add_customer_message(ticket, body_text="Not fixed")

    assert not customer_mail.deliver_solved_notice(resolution.pk)
    assert mailoutbox == [] and ticket.messages.filter(kind=Message.Kind.CUSTOMER).count() == 2
