from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        # Registers the SQLite percentile aggregate on each new connection.
        from articles import figures
        from tickets import aggregates  # noqa: F401
        from tickets.attention import article_figures

        # The editor's pages show how articles do on tickets without importing tickets.
        figures.register(article_figures)
