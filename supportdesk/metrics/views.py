"""``/metrics`` in Prometheus' text format, for operators only.

Off (404) until ``METRICS_TOKEN`` is set; then the scraper sends it as
``Authorization: Bearer <token>`` (Prometheus: ``authorization.credentials``).
Everyone else gets the same 404 as any unknown path.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from supportdesk.metrics.instruments import collectors


class _Scraped:
    """The scrape-time collectors as one prometheus_client collector."""

    def collect(self):
        for collect in collectors():
            yield from collect()


def _authorised(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    scheme, _, credentials = sent.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and secrets.compare_digest(
        credentials.strip().encode(), token.encode()
    )  # fmt: skip


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    scraped = CollectorRegistry(auto_describe=False)
    scraped.register(_Scraped())
    return generate_latest(registry) + generate_latest(scraped)


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
