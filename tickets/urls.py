from django.urls import path

from tickets.macros import views as macros
from tickets.portal import agent_views as customer
from tickets.reports import sla_views
from tickets.reports import views as reports
from tickets.sla import views as sla
from tickets.tags import views as tags
from tickets.views import (
    mail,
    merge,
    participants,
    queue,
    resolve,
    ticket,
    ticket_actions,
    ticket_new,
)

app_name = "tickets"

urlpatterns = [
    # Queues and lists (tickets/views/queue.py)
    path("", queue.ticket_queue, name="queue"),
    path("inbox/<slug:inbox_slug>/", queue.inbox_queue, name="inbox_queue"),
    path("bulk/", queue.ticket_bulk, name="bulk"),
    path("nav/", queue.ticket_nav, name="nav"),
    # One ticket: page and actions (tickets/views/ticket.py and siblings)
    path("new/", ticket_new.ticket_new, name="new"),
    path("<int:number>/", ticket.ticket_detail, name="detail"),
    path("<int:number>/compose/", ticket.ticket_compose, name="compose"),
    path(
        "<int:number>/attachments/<int:attachment_id>/",
        ticket.ticket_attachment,
        name="attachment",
    ),
    path("<int:number>/claim/", ticket_actions.ticket_claim, name="claim"),
    path("<int:number>/details/", ticket_actions.ticket_update, name="update"),
    path("<int:number>/assign/", ticket_actions.ticket_assign, name="assign"),
    path("<int:number>/transfer/", ticket_actions.ticket_transfer, name="transfer"),
    path("<int:number>/link/", ticket_actions.ticket_link, name="link"),
    path("<int:number>/reopen/", ticket_actions.ticket_reopen, name="reopen"),
    path("<int:number>/solve/", resolve.ticket_solve, name="solve"),
    path("<int:number>/merge/", merge.ticket_merge, name="merge"),
    # Participants and the reply preview (tickets/views/participants.py)
    path(
        "<int:number>/participants/",
        participants.ticket_participant_add,
        name="participant_add",
    ),
    path(
        "<int:number>/participants/remove/",
        participants.ticket_participant_remove,
        name="participant_remove",
    ),
    path("<int:number>/compose/preview/", participants.ticket_reply_preview, name="reply_preview"),
    path(
        "<int:number>/compose/preview/<slug:token>/",
        participants.ticket_reply_preview_html,
        name="reply_preview_html",
    ),
    # The resolution report (tickets/reports/views.py)
    path("reports/", reports.report_page, name="reports"),
    path("reports/<slug:table>.csv", reports.report_csv, name="reports_csv"),
    path("reports/sla/", sla_views.report_sla, name="reports_sla"),
    path("reports/sla/<slug:table>.csv", sla_views.report_sla_csv, name="reports_sla_csv"),
    # Quarantined inbound mail (tickets/views/mail.py)
    path("mail/quarantine/", mail.quarantine_list, name="quarantine"),
    path("mail/quarantine/<int:pk>/retry/", mail.quarantine_retry, name="quarantine_retry"),
    path("mail/quarantine/<int:pk>/discard/", mail.quarantine_discard, name="quarantine_discard"),
    path("mail/quarantine/<int:pk>/raw/", mail.quarantine_raw, name="quarantine_raw"),
    path(
        "<int:number>/messages/<int:message_id>/original/",
        mail.message_original,
        name="message_original",
    ),
    # The customer's links and ratings (tickets/portal/agent_views.py)
    path(
        "<int:number>/customer-links/revoke/",
        customer.customer_links_revoke,
        name="customer_links_revoke",
    ),
    path("satisfaction/", customer.satisfaction_list, name="satisfaction"),
    path(
        "satisfaction/<int:pk>/reviewed/",
        customer.satisfaction_reviewed,
        name="satisfaction_reviewed",
    ),
    # SLA policies per inbox, for managers (tickets/sla/views.py)
    path("sla/", sla.sla_index, name="sla"),
    path("sla/<slug:inbox_slug>/", sla.sla_settings, name="sla_settings"),
    # Macros and tags (tickets/macros/, tickets/tags/)
    path("macros/", macros.macro_list, name="macros"),
    path("macros/new/", macros.macro_new, name="macro_new"),
    path("macros/<int:macro_id>/", macros.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", macros.macro_delete, name="macro_delete"),
    path("<int:number>/macros/", macros.ticket_macros, name="ticket_macros"),
    path(
        "<int:number>/macros/<int:macro_id>/apply/",
        macros.ticket_macro_apply,
        name="macro_apply",
    ),
    path("<int:number>/tags/", tags.ticket_tags, name="tags"),
    path("tags/suggest/", tags.tag_suggest, name="tag_suggest"),
]
