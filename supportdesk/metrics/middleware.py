"""Times every request by its URL route (``tickets/<int:pk>/``, not the path:
one series per page, however many tickets there are)."""

from time import perf_counter

from django.http import HttpRequest, HttpResponse

from supportdesk.metrics.instruments import REQUEST_SECONDS, REQUESTS

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def route_of(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return "unmatched"
    return "/" + match.route if match.route else (match.view_name or "unnamed")


class MetricsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        route = route_of(request)
        REQUEST_SECONDS.labels(method, route).observe(perf_counter() - started)
        REQUESTS.labels(method, route, f"{response.status_code // 100}xx").inc()
        return response
