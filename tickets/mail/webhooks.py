"""Inbound mail pushed by an email provider, through django-anymail.

``/mail/inbound/<esp>/`` hands the request to anymail's inbound view for that
provider, which verifies it (the shared basic-auth ``ANYMAIL_WEBHOOK_SECRET``
and the provider's own signature where it has one, e.g. Mailgun's signing key)
and sends anymail's ``inbound`` signal; ``receive_inbound`` passes the raw
message to the one pipeline. Only providers listed in ``MAIL_INBOUND_ESPS``
answer; any other name is a 404.

The provider gets 2xx once the raw mail is stored, whatever filing makes of it
(``ingest`` quarantines what it cannot file); only a mail that could not be
stored raises, so anymail answers 5xx and the provider delivers it again.
"""

import email.policy

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

from tickets.mail.inbound import ingest

INBOUND_VIEWS = {
    "amazon_ses": "anymail.webhooks.amazon_ses.AmazonSESInboundWebhookView",
    "brevo": "anymail.webhooks.brevo.BrevoInboundWebhookView",
    "mailersend": "anymail.webhooks.mailersend.MailerSendInboundWebhookView",
    "mailgun": "anymail.webhooks.mailgun.MailgunInboundWebhookView",
    "mailjet": "anymail.webhooks.mailjet.MailjetInboundWebhookView",
    "postal": "anymail.webhooks.postal.PostalInboundWebhookView",
    "postmark": "anymail.webhooks.postmark.PostmarkInboundWebhookView",
    "resend": "anymail.webhooks.resend.ResendInboundWebhookView",
    "sendgrid": "anymail.webhooks.sendgrid.SendGridInboundWebhookView",
    "sparkpost": "anymail.webhooks.sparkpost.SparkPostInboundWebhookView",
}


@csrf_exempt  # providers cannot send our CSRF token; anymail verifies them instead
@login_not_required
def inbound_webhook(request: HttpRequest, esp: str) -> HttpResponse:
    if esp not in settings.MAIL_INBOUND_ESPS or esp not in INBOUND_VIEWS:
        raise Http404("No inbound webhook for this provider.")
    view = import_string(INBOUND_VIEWS[esp]).as_view()
    return view(request)


def receive_inbound(sender, event, esp_name: str, **kwargs) -> None:
    """anymail's inbound signal → the pipeline (connected in TicketsConfig.ready)."""
    message = event.message
    envelope = [message.envelope_recipient] if message.envelope_recipient else []
    ingest(raw_bytes(message), source=f"webhook:{esp_name.lower()}"[:40], envelope=envelope)


def raw_bytes(message) -> bytes:
    """The provider's mail as bytes; the lenient serializer when the modern one balks."""
    try:
        return message.as_bytes()
    except Exception:  # noqa: BLE001 - odd headers: compat32 writes anything back out
        return message.as_bytes(policy=email.policy.compat32)
