"""Admin for the email channel: IMAP mailboxes (set-up) and stored inbound mail.

Registered from TicketsConfig.ready() so it stays out of the shared tickets/admin.py."""

from django.contrib import admin

from tickets.models import ImapMailbox, InboundEmail


@admin.register(ImapMailbox)
class ImapMailboxAdmin(admin.ModelAdmin):
    list_display = ["inbox", "host", "username", "folder", "enabled", "last_polled_at",
                    "last_error"]  # fmt: skip
    readonly_fields = ["uidvalidity", "last_uid", "last_polled_at", "last_error"]


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "status", "inbox", "sender", "subject", "source"]
    list_filter = ["status", "inbox", "source"]
    search_fields = ["sender", "subject", "message_id_header"]
    exclude = ["raw"]  # untrusted bytes: downloaded from the quarantine page, never shown
    readonly_fields = [
        "source", "status", "reason", "received_at", "processed_at", "message_id_header",
        "sender", "subject", "inbox", "message", "ticket",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False
