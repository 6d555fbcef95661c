"""Input the database cannot take, turned away at the edge with a clear answer.

PostgreSQL refuses NUL characters in text, and date arithmetic past year 9999
overflows: left alone, both surface as a 500. Forms use ``DateField`` (a date
within ``EARLIEST``..``LATEST``, else a form error) and Django's CharField
(which already rejects NUL); views that read a query parameter by hand use
``text_param``. ``RejectNulMiddleware`` is a backstop for any parameter a view
reads without either (the admin's filters, a future view).
"""

from datetime import date

from django import forms
from django.core.exceptions import BadRequest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


class DateField(forms.DateField):
    """A date a person could mean: far dates are a form error, not an overflow."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        message = f"Pick a date between {EARLIEST:%Y} and {LATEST:%Y}."
        self.validators += [
            MinValueValidator(EARLIEST, message=message),
            MaxValueValidator(LATEST, message=message),
        ]


def text_param(params: QueryDict, name: str, max_length: int = 200) -> str:
    """A free-text parameter read by hand (a search box), trimmed; NUL is a 400."""
    value = params.get(name, "")
    if "\x00" in value:
        raise BadRequest(f"The {name!r} parameter contains a NUL character.")
    return value.strip()[:max_length]


def with_nul(params: QueryDict, *names: str) -> list[str]:
    """Which of ``names`` hold a NUL character (for views that answer in their own
    error format, such as the API's problem details)."""
    return [name for name in names if any("\x00" in v for v in params.getlist(name))]


def _has_nul(params: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class RejectNulMiddleware:
    """400 for a NUL character in the path or the query string (backstop)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET):
            if request.path.startswith("/api/"):
                # The API's clients read RFC 9457 problem details, not a page.
                return JsonResponse(
                    {"type": "about:blank", "title": "Bad Request", "status": 400,
                     "detail": "The request contains a NUL character."},
                    status=400, content_type="application/problem+json",
                )  # fmt: skip
            return render(request, "400.html", status=400)
        return self.get_response(request)
