from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"

    def ready(self) -> None:
        # Registers the SQLite percentile aggregate on each new connection.
        from tickets import aggregates  # noqa: F401
