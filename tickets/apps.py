from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        # Registers the SQLite percentile aggregate on each new connection.
        # Mail pushed by email providers (anymail) goes through the inbound pipeline.
        from anymail.signals import inbound

        from articles import figures
        from tickets import aggregates  # noqa: F401
        from tickets.attention import article_figures
        from tickets.mail import admin as mail_admin  # noqa: F401 - registers the mail models
        from tickets.mail.webhooks import receive_inbound

        inbound.connect(receive_inbound, dispatch_uid="tickets.mail.receive_inbound")

        # The editor's pages show how articles do on tickets without importing tickets.
        figures.register(article_figures)
