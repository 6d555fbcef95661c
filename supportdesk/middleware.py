from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


def not_found_page(get_response: Callable[[HttpRequest], HttpResponse]):
    """With DEBUG on (the demo), Django answers a 404 with its technical page,
    which lists every URL pattern; show templates/404.html as production does.
    Debug tracebacks for 500s stay. Without DEBUG this is one comparison."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code == 404 and settings.DEBUG:
            return page_not_found(request, Http404())
        return response

    return middleware
