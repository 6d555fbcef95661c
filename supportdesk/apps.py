from django.apps import AppConfig


class SupportdeskConfig(AppConfig):
    name = "supportdesk"
    verbose_name = "SupportDesk"

    def ready(self) -> None:
        from supportdesk import audit
        from supportdesk.metrics import instruments

        audit.connect()
        instruments.connect()
