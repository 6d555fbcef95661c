"""Placeholders are a fixed whitelist substituted as plain text, never a template."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, TicketFactory, UserFactory
from tickets.macros.forms import MacroForm
from tickets.macros.placeholders import render_placeholders, unknown_placeholders

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    customer = CustomerFactory(name="Ada Lovelace", email="ada@mail.example")
    return TicketFactory(inbox=general_inbox, customer=customer, subject="Render stuck")


@pytest.fixture
def me():
    return UserFactory(first_name="Gina", last_name="Ray")


def test_known_placeholders_are_filled(ticket, me):
    text = "Hi {{ customer.first_name }}, about {{ticket.number}} — {{  agent.first_name }}"

    assert render_placeholders(text, ticket=ticket, agent=me) == (
        f"Hi Ada, about #{ticket.pk} — Gina"
    )


def test_a_customer_without_a_name_is_there(general_inbox, me):
    ticket = TicketFactory(inbox=general_inbox, customer=CustomerFactory(name=""))

    assert render_placeholders("Hi {{ customer.first_name }},", ticket=ticket, agent=me) == (
        "Hi there,"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ ticket.inbox.members }}",
        "{{ ticket.customer.tickets.all }}",
        "{{ agent.password }}",
        "{{ settings.SECRET_KEY }}",
        "{% load static %}",
        "{% debug %}",
        "{{ customer.first_name|upper }}",
        "{# a comment #}",
    ],
)
def test_anything_outside_the_whitelist_stays_as_written(ticket, me, hostile):
    out = render_placeholders(f"before {hostile} after", ticket=ticket, agent=me)

    assert out == f"before {hostile} after"
    assert unknown_placeholders(hostile) == [hostile]


def test_a_value_that_looks_like_a_placeholder_is_not_filled_again(general_inbox, me):
    sly = CustomerFactory(name="{{ agent.name }}")
    ticket = TicketFactory(inbox=general_inbox, customer=sly)

    out = render_placeholders("Dear {{ customer.name }}", ticket=ticket, agent=me)

    assert out == "Dear {{ agent.name }}"


def test_saving_a_macro_reports_unknown_placeholders_to_its_author(general_agent):
    form = MacroForm(
        {
            "title": "Bad",
            "body": "Hi {{ ticket.inbox.members }} {% load x %} {{ ticket.number }}",
            "shared_with": "personal",
        },  # fmt: skip
        user=general_agent,
    )

    assert not form.is_valid()
    error = form.errors["body"][0]
    assert "{{ ticket.inbox.members }}" in error and "{% load x %}" in error
    assert "{{ ticket.number }}" in error.split("Use only:")[1]  # the whitelist, listed


def test_the_form_page_shows_the_error_and_keeps_the_text(client, general_agent):
    client.force_login(general_agent)

    response = client.post(
        reverse("tickets:macro_new"),
        {"title": "Bad", "body": "Hi {{ customer.nickname }}", "shared_with": "personal"},
    )

    assert response.status_code == 400
    assert "Unknown placeholder: {{ customer.nickname }}" in response.text
    assert "Hi {{ customer.nickname }}</textarea>" in response.text


def test_html_in_names_is_escaped_on_the_ticket_page(client, general_agent, general_inbox):
    from tickets.macros.services import apply_macro
    from tickets.models import Macro

    customer = CustomerFactory(name="<img src=x onerror=alert(1)> Eve")
    ticket = TicketFactory(inbox=general_inbox, customer=customer, status="open")
    macro = Macro.objects.create(
        title="<b>Hello</b>", body="Hi {{ customer.first_name }}!", owner=general_agent
    )
    apply_macro(ticket, macro=macro, by=general_agent)
    client.force_login(general_agent)

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text
    picker = client.get(reverse("tickets:ticket_macros", args=[ticket.pk])).text

    assert "<img src=x" not in page and "Hi &lt;img" in page
    assert "<b>Hello</b>" not in page and "&lt;b&gt;Hello&lt;/b&gt;" in page
    assert "<b>Hello</b>" not in picker and "&lt;b&gt;Hello&lt;/b&gt;" in picker
    assert "<img src=x" not in picker
