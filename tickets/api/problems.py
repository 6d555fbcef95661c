"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API answers goes through ``problem_handler``: DRF's own
(validation, authentication, throttling with its Retry-After), Django's 404 and
403, and the services' refusals (a closed ticket, an edit conflict)."""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from articles.services import Conflict, InvalidTransition
from tickets.services import TicketLocked

PROBLEM = "application/problem+json"


class StateConflict(exceptions.APIException):
    """The thing is not in a state that allows this (409)."""

    status_code = 409
    default_detail = "Conflict with the current state."
    default_code = "conflict"


def problem(status: int, detail: str, **extra) -> dict:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def _field_errors(data) -> tuple[str, dict]:
    """(detail, {field: [messages]}) from a DRF validation error's data."""
    if isinstance(data, list):
        return " ".join(str(item) for item in data), {}
    errors = {}
    general = []
    for name, messages in data.items():
        messages = messages if isinstance(messages, list) else [messages]
        if name in ("non_field_errors", "__all__"):
            general += [str(m) for m in messages]
        else:
            errors[name] = [str(m) if not isinstance(m, dict) else m for m in messages]
    detail = " ".join(general) or "Some fields are invalid: " + ", ".join(errors) + "."
    return detail, errors


def _translate(exc: Exception) -> Exception:
    """The services' own refusals, as the HTTP errors they mean."""
    if isinstance(exc, TicketLocked | InvalidTransition):
        return StateConflict(" ".join(getattr(exc, "messages", [str(exc)])))
    if isinstance(exc, Conflict):
        error = StateConflict(str(exc))
        error.extra = {
            "current_revision": {
                "number": exc.theirs.number,
                "title": exc.theirs.title,
                "body": exc.theirs.body,
            }
        }
        return error
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    return exc


def problem_handler(exc: Exception, context: dict) -> Response | None:
    exc = _translate(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500
    extra = dict(getattr(exc, "extra", {}))
    if isinstance(exc, exceptions.ValidationError):
        detail, errors = _field_errors(response.data)
        extra["errors"] = errors
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = str(response.data["detail"])
    else:
        detail = str(response.data)
    response.data = problem(response.status_code, detail, **extra)
    response.content_type = PROBLEM
    return response


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any /api/ path that names no route."""
    return JsonResponse(
        problem(404, f"No API route {request.path}. See /api/docs/."),
        status=404,
        content_type=PROBLEM,
    )
