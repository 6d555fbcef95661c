from django.urls import path  # noqa: F401

from tickets.views import queue, ticket  # noqa: F401

app_name = "tickets"

urlpatterns = [
    # Queues and lists (tickets/views/queue.py)
    # One ticket: page and actions (tickets/views/ticket.py)
]
