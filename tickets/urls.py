from django.urls import path  # noqa: F401

from tickets.views import mail, queue, ticket  # noqa: F401

app_name = "tickets"

urlpatterns = [
    # Queues and lists (tickets/views/queue.py)
    # One ticket: page and actions (tickets/views/ticket.py)
    # Quarantined inbound mail (tickets/views/mail.py)
    path("mail/quarantine/", mail.quarantine_list, name="quarantine"),
    path("mail/quarantine/<int:pk>/retry/", mail.quarantine_retry, name="quarantine_retry"),
    path("mail/quarantine/<int:pk>/discard/", mail.quarantine_discard, name="quarantine_discard"),
    path("mail/quarantine/<int:pk>/raw/", mail.quarantine_raw, name="quarantine_raw"),
]
