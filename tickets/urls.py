from django.urls import path  # noqa: F401

from tickets.views import queue, reports, ticket  # noqa: F401

app_name = "tickets"

urlpatterns = [
    # Queues and lists (tickets/views/queue.py)
    # One ticket: page and actions (tickets/views/ticket.py)
    # The resolution report (tickets/views/reports.py)
    path("reports/", reports.report_page, name="reports"),
    path("reports/<slug:table>.csv", reports.report_csv, name="reports_csv"),
]
