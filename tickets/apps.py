from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        # The wiring of the app's parts, done once here so that none imports upwards:
        # the editor's pages show how articles do on tickets without importing tickets,
        # and replies leave by mail without the ticket services importing the mail package.
        from anymail.signals import inbound
        from django.db.models.signals import post_migrate

        from articles import figures
        from tickets import (
            aggregates,  # noqa: F401 - registers the SQLite percentile aggregate on connect
            services,
        )
        from tickets.mail import admin as mail_admin  # noqa: F401 - registers the mail models
        from tickets.mail import outbound
        from tickets.mail.webhooks import receive_inbound
        from tickets.reports import days
        from tickets.reports.attention import article_figures

        services.on_reply_queued(outbound.enqueue_delivery)
        # Outgoing webhooks hear of ticket events and publications after they commit.
        from articles import services as article_services
        from tickets import events
        from tickets.webhooks import delivery as webhooks

        events.on_ticket_event(webhooks.record_ticket_event)
        article_services.on_article_published(webhooks.record_article_published)
        # Erasure on request reaches every package holding a customer's data.
        from tickets.customers.erasure import on_customer_erased
        from tickets.portal.services import erase_customer_side

        on_customer_erased(erase_customer_side)
        # Issue 15: new unassigned tickets go round-robin where an inbox asks for it.
        from tickets.assignment import round_robin

        services.on_ticket_created(round_robin.assign_new_ticket)
        # The shortcuts setting rides in the session, so pages read it without a query.
        from django.contrib.auth.signals import user_logged_in

        from tickets.notifications import preferences

        user_logged_in.connect(preferences.on_sign_in, dispatch_uid="tickets.shortcuts_setting")
        # Mail pushed by email providers (anymail) goes through the inbound pipeline.
        inbound.connect(receive_inbound, dispatch_uid="tickets.mail.receive_inbound")
        # A new TIME_ZONE moves every report day: migrate rebuilds the roll-up.
        post_migrate.connect(
            days.rebuild_if_zone_changed, sender=self, dispatch_uid="tickets.report_days.rebuild"
        )
        figures.register(article_figures)
        # Operators' gauges (tasks waiting, mail not filed or delivered) on /metrics.
        from supportdesk.metrics import register_collector
        from tickets import operations

        register_collector(operations.collect)
        # The suggestions learn from solved tickets without importing them.
        from articles.suggest import learning
        from tickets.reports.outcomes import solved_outcomes

        learning.register(solved_outcomes)
        # Who may see an inbox is security-relevant: changes go to the audit log.
        from django.db.models.signals import m2m_changed

        from supportdesk import audit
        from tickets.models import Inbox

        m2m_changed.connect(
            audit.membership_changed, sender=Inbox.members.through, dispatch_uid="audit.inboxes"
        )
        # Cached SLA rules are keyed by the inbox's rules version: any write renews it.
        from django.db.models.signals import post_delete, post_save

        from tickets.models import BusinessHours, Holiday, SlaPolicy
        from tickets.sla.clock import on_rules_written

        for model in (BusinessHours, Holiday, SlaPolicy):
            for signal in (post_save, post_delete):
                uid = f"sla.rules.{model.__name__}"
                signal.connect(on_rules_written, sender=model, dispatch_uid=uid)
