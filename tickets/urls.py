from django.urls import path

from tickets.views import queue, reports, ticket  # noqa: F401

app_name = "tickets"

urlpatterns = [
    # Queues and lists (tickets/views/queue.py)
    path("", queue.ticket_queue, name="queue"),
    path("inbox/<slug:inbox_slug>/", queue.inbox_queue, name="inbox_queue"),
    path("bulk/", queue.ticket_bulk, name="bulk"),
    path("nav/", queue.ticket_nav, name="nav"),
    # One ticket: page and actions (tickets/views/ticket.py)
    # The resolution report (tickets/views/reports.py)
    path("reports/", reports.report_page, name="reports"),
    path("reports/<slug:table>.csv", reports.report_csv, name="reports_csv"),
]
