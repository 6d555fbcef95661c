"""The managers' webhook pages: the list with a form for a new one, one webhook
with its settings, secret and delivery log (Retry per delivery), and delete."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from supportdesk import audit
from supportdesk.roles import MANAGER, role_required
from tickets.models import Webhook, WebhookDelivery
from tickets.webhooks.delivery import retry_delivery
from tickets.webhooks.forms import WebhookForm

LOG_SIZE = 100


def _audit(request: HttpRequest, webhook: Webhook, what: str) -> None:
    # Webhooks send customer data out: who pointed them where is security-relevant.
    scope = webhook.inbox.slug if webhook.inbox_id else "every inbox"
    detail = f"{what}: {webhook.url} ({', '.join(webhook.events)}; {scope})"
    audit.record(
        "webhook_changed", by=request.user, target=webhook.name, detail=detail, request=request
    )


@require_http_methods(["GET", "POST"])
@role_required(MANAGER)
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webhook = form.save(commit=False)
        webhook.created_by = request.user
        webhook.save()
        _audit(request, webhook, "created")
        messages.success(request, f"Webhook “{webhook.name}” created. Copy its secret below.")
        return redirect("webhooks:detail", pk=webhook.pk)
    webhooks = Webhook.objects.select_related("inbox")
    return render(request, "webhooks/webhook_list.html", {"form": form, "webhooks": webhooks})


@require_http_methods(["GET", "POST"])
@role_required(MANAGER)
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = get_object_or_404(Webhook.objects.select_related("inbox"), pk=pk)
    form = WebhookForm(request.POST or None, instance=webhook)
    if request.method == "POST" and form.is_valid():
        form.save()
        _audit(request, webhook, "changed")
        messages.success(request, "Webhook saved.")
        return redirect("webhooks:detail", pk=webhook.pk)
    deliveries = webhook.deliveries.order_by("-created_at", "-id")[:LOG_SIZE]
    context = {"webhook": webhook, "form": form, "deliveries": deliveries}
    return render(request, "webhooks/webhook_detail.html", context)


@require_POST
@role_required(MANAGER)
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = get_object_or_404(Webhook, pk=pk)
    _audit(request, webhook, "deleted")
    webhook.delete()
    messages.success(request, f"Webhook “{webhook.name}” deleted with its delivery log.")
    return redirect("webhooks:list")


@require_POST
@role_required(MANAGER)
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    retry_delivery(delivery)
    messages.success(request, f"Delivery {delivery.pk} will be tried again now.")
    return redirect("webhooks:detail", pk=delivery.webhook_id)
