"""Outgoing webhooks: managers register receivers (views), events become signed
deliveries (delivery), the task worker posts them with retries (delivery)."""
