"""Ticket search: "#1234" or a bare number, a customer's email, or words.

Words go through PostgreSQL full-text search over the subject and every
message's text (one stored document per ticket with a GIN index, see
``tickets.search.document``); SQLite, which only runs the demo, falls back to
plain ``icontains``. Callers pass a queryset that
already went through ``Ticket.objects.visible_to``: search never widens it.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower

from tickets.models import Customer, Message, TicketQuerySet
from tickets.search.document import CONFIG

NUMBER = re.compile(r"^(#?)(\d{1,18})$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def search_tickets(tickets: TicketQuerySet, query: str) -> TicketQuerySet:
    query = " ".join(query.split())
    if not query:
        return tickets
    number = NUMBER.match(query)
    if number and number.group(1):  # "#1234" means exactly that ticket
        return tickets.filter(pk=int(number.group(2)))
    if EMAIL.match(query):
        return tickets_of_customer(tickets, query)
    # A bare number: that ticket, or text that mentions it.
    return tickets.filter(_text_matches(query, number=int(number.group(2)) if number else None))


def tickets_of_customer(tickets: TicketQuerySet, email: str) -> TicketQuerySet:
    # Lower(email) is the unique index, so this is one index probe.
    customers = Customer.objects.annotate(email_lower=Lower("email")).filter(
        email_lower=email.strip().lower()
    )
    return tickets.filter(customer__in=customers.values("pk"))


def _text_matches(query: str, *, number: int | None = None) -> Q:
    if connection.vendor == "postgresql":
        words = SearchQuery(query, config=CONFIG, search_type="websearch")
        matches = Q(search_document=words)
    else:
        in_messages = Message.objects.filter(body_text__icontains=query).values("ticket_id")
        matches = Q(subject__icontains=query) | Q(pk__in=in_messages)
    return matches | Q(pk=number) if number is not None else matches
