"""Managers' assignment page: round-robin per inbox, agents' away and cap, and the
open tickets held by someone who cannot hold them."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from supportdesk.roles import MANAGER, role_required
from tickets.assignment.rules import bad_assignments, is_agent_expression
from tickets.models import AgentSettings, Inbox

BAD_SHOWN = 50


class AgentForm(forms.ModelForm):
    class Meta:
        model = AgentSettings
        fields = ["away", "max_open_tickets"]


@require_GET
@role_required(MANAGER)
def assignment_page(request: HttpRequest) -> HttpResponse:
    agents = list(
        get_user_model()
        .objects.annotate(agent=is_agent_expression())
        .filter(agent=True, is_active=True)
        .select_related("agent_settings")
        .prefetch_related(Prefetch("inboxes", queryset=Inbox.objects.only("name")))
        .order_by("first_name", "username")
    )
    for agent in agents:
        try:
            agent.prefs = agent.agent_settings
        except AgentSettings.DoesNotExist:
            agent.prefs = AgentSettings(user=agent)
    bad = bad_assignments()
    return render(
        request,
        "assignment/page.html",
        {
            "inboxes": Inbox.objects.all(),
            "agents": agents,
            "bad": list(bad[:BAD_SHOWN]),
            "bad_count": bad.count(),
        },
    )


@require_POST
@role_required(MANAGER)
def inbox_round_robin(request: HttpRequest, inbox_slug: str) -> HttpResponse:
    inbox = get_object_or_404(Inbox, slug=inbox_slug)
    inbox.round_robin = request.POST.get("round_robin") == "on"
    inbox.save(update_fields=["round_robin"])
    state = "on" if inbox.round_robin else "off"
    messages.success(request, f"Round-robin is {state} for {inbox.name}.")
    return redirect("assignment")


@require_POST
@role_required(MANAGER)
def agent_update(request: HttpRequest, user_id: int) -> HttpResponse:
    agent = get_object_or_404(get_user_model().objects.filter(pk__in=_agents()), pk=user_id)
    form = AgentForm(request.POST, instance=AgentSettings.for_user(agent))
    if form.is_valid():
        form.save()
        messages.success(request, f"Saved {agent.get_full_name() or agent.username}.")
    else:
        messages.error(request, "Not saved: " + form.errors.as_text())
    return redirect("assignment")


def _agents():
    return (
        get_user_model()
        .objects.annotate(agent=is_agent_expression())
        .filter(agent=True)
        .values("pk")
    )
