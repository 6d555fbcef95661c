from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from supportdesk.inputs import DateField
from supportdesk.models import AuditEvent
from supportdesk.roles import MANAGER, role_required

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditEvent.Action.choices], required=False
    )
    who = forms.CharField(required=False, max_length=150, label="Who or what")
    since = DateField(required=False, label="From")
    until = DateField(required=False, label="To")


def filtered_events(form: AuditFilterForm):
    events = AuditEvent.objects.all()
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["who"]:
        events = events.filter(actor_name__icontains=data["who"]) | events.filter(
            target__icontains=data["who"]
        )
    if data["since"]:
        events = events.filter(at__date__gte=data["since"])
    if data["until"]:
        events = events.filter(at__date__lte=data["until"])
    return events


@require_GET
@role_required(MANAGER)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    page = Paginator(filtered_events(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
