from django.urls import path

from tickets.views import queue, ticket  # noqa: F401

app_name = "tickets"

urlpatterns = [
    # Queues and lists (tickets/views/queue.py)
    path("", queue.ticket_queue, name="queue"),
    path("inbox/<slug:inbox_slug>/", queue.inbox_queue, name="inbox_queue"),
    path("bulk/", queue.ticket_bulk, name="bulk"),
    path("nav/", queue.ticket_nav, name="nav"),
    # One ticket: page and actions (tickets/views/ticket.py)
]
