from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        # Registers the SQLite percentile aggregate on each new connection.
        # Mail pushed by email providers (anymail) goes through the inbound pipeline.
        from anymail.signals import inbound
        from django.db.models.signals import post_migrate

        from articles import figures
        from tickets import (
            aggregates,  # noqa: F401
            report_days,
        )
        from tickets.attention import article_figures
        from tickets.mail import admin as mail_admin  # noqa: F401 - registers the mail models
        from tickets.mail.webhooks import receive_inbound

        inbound.connect(receive_inbound, dispatch_uid="tickets.mail.receive_inbound")
        # A new TIME_ZONE moves every report day: migrate rebuilds the roll-up.
        post_migrate.connect(
            report_days.rebuild_if_zone_changed,
            sender=self,
            dispatch_uid="tickets.report_days.rebuild",
        )

        # The editor's pages show how articles do on tickets without importing tickets.
        figures.register(article_figures)
