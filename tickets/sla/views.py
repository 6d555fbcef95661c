"""The managers' SLA pages: every inbox's targets at a glance, and one inbox's settings."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from supportdesk import audit
from supportdesk.roles import MANAGER, role_required
from tickets.models import Inbox
from tickets.models.sla import WEEKDAYS
from tickets.sla.forms import PRIORITIES, TARGETS, SlaSettingsForm
from tickets.sla.policies import save_sla_settings


def _hours(minutes: int | None) -> str:
    if minutes is None:
        return "—"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _summary(data: dict, targets: dict[int, dict[str, int | None]]) -> str:
    """What was saved, in one line of the audit log."""
    days = ",".join(WEEKDAYS[day][:3] for day in sorted(data["days"]))
    hours = f"{days} {data['start']:%H:%M}-{data['end']:%H:%M} {data['time_zone']}"
    per_priority = [
        f"{label} " + "/".join(_hours(targets[priority][key]) for key, _ in TARGETS)
        for priority, label in PRIORITIES
        if any(value is not None for value in targets[priority].values())
    ]
    return f"{hours}; {len(data['holidays'])} holidays; " + (
        "; ".join(per_priority) or "no targets"
    )


@require_http_methods(["GET"])
@role_required(MANAGER)
def sla_index(request: HttpRequest) -> HttpResponse:
    inboxes = Inbox.objects.visible_to(request.user).prefetch_related("sla_policies")
    rows = []
    for inbox in inboxes:
        policies = {p.priority: p for p in inbox.sla_policies.all()}
        cells = [
            (label, [_hours(getattr(policies.get(priority), f"{key}_minutes", None))
                     for key, _ in TARGETS])
            for priority, label in PRIORITIES
        ]  # fmt: skip
        rows.append((inbox, cells))
    return render(
        request,
        "tickets/sla_index.html",
        {"rows": rows, "targets": TARGETS},
    )


@require_http_methods(["GET", "POST"])
@role_required(MANAGER)
def sla_settings(request: HttpRequest, inbox_slug: str) -> HttpResponse:
    inbox = get_object_or_404(Inbox.objects.visible_to(request.user), slug=inbox_slug)
    if request.method == "POST":
        form = SlaSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            count = save_sla_settings(
                inbox, time_zone=data["time_zone"], days=data["days"], start=data["start"],
                end=data["end"], holidays=data["holidays"], targets=form.targets(),
            )  # fmt: skip
            # Targets decide what counts as a breach in every report: who changed them matters.
            audit.record("sla_changed", by=request.user, target=inbox.name,
                         detail=_summary(data, form.targets()), request=request)  # fmt: skip
            plural = "" if count == 1 else "s"
            messages.success(
                request,
                f"SLA settings of {inbox.name} saved; {count} open ticket{plural} updated.",
            )
            return redirect("tickets:sla_settings", inbox_slug=inbox.slug)
    else:
        form = SlaSettingsForm(initial=SlaSettingsForm.initial_for(inbox))
    return render(request, "tickets/sla_settings.html", {"inbox": inbox, "form": form})
