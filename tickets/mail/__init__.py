"""The email channel: one inbound pipeline (``inbound.ingest``) that every source
calls (``ingest_email``, ``fetch_mail``, provider webhooks), and outbound replies."""
