"""/api/v1/resolutions/ and /api/v1/reports/figures/: how tickets were solved, and
the report page's headline figures with its filters (tickets.reports.measures)."""

from dataclasses import asdict
from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from supportdesk.roles import AGENT, MANAGER
from supportdesk.routers import reading_reports
from tickets.api.auth import require_role
from tickets.api.serializers import ReportSerializer, ResolutionPageSerializer
from tickets.api.serializers import ResolutionSerializer as Resolutions
from tickets.models import ArticleLink, Resolution, Ticket
from tickets.reports import measures
from tickets.reports.forms import ReportFilterForm
from tickets.resolution import resolution_state

PAGE_SIZE = 50


class ResolutionFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any"), *Resolution.Kind.choices], required=False)
    solved_after = forms.DateField(required=False)
    solved_before = forms.DateField(required=False)
    ticket = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    after = forms.CharField(required=False, max_length=60)

    def clean_after(self) -> tuple | None:
        """The cursor: "<solved_at ISO>_<id>" of the last row of the page before."""
        raw = self.cleaned_data["after"]
        if not raw:
            return None
        moment, _, pk = raw.rpartition("_")
        try:
            at = datetime.fromisoformat(moment)
        except ValueError:
            at = None
        if at is None or timezone.is_naive(at) or not pk.isdigit() or len(pk) > 18:
            raise forms.ValidationError("Not a cursor of this list.")
        return at, int(pk)


def _day(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class ResolutionList(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, description="article, no_article, …"),
            OpenApiParameter("solved_after", OpenApiTypes.DATE, description="Inclusive."),
            OpenApiParameter("solved_before", OpenApiTypes.DATE, description="Inclusive."),
            OpenApiParameter("ticket", OpenApiTypes.INT, description="One ticket's."),
            OpenApiParameter("after", OpenApiTypes.STR, description="Cursor (from `next`)."),
        ],
        responses=ResolutionPageSerializer,
        operation_id="resolutions_list",
    )
    def get(self, request: Request) -> Response:
        """Every solve of the tickets you may see, newest first; reopened ones say
        when (a reopen inside the hold window means the fix did not hold)."""
        require_role(request, AGENT, MANAGER)
        form = ResolutionFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        rows = Resolution.objects.filter(
            ticket_id__in=Ticket.objects.visible_to(request.user).values("pk")
        )
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["ticket"]:
            rows = rows.filter(ticket_id=data["ticket"])
        if data["solved_after"]:
            rows = rows.filter(solved_at__gte=_day(data["solved_after"]))
        if data["solved_before"]:
            rows = rows.filter(solved_at__lt=_day(data["solved_before"] + timedelta(days=1)))
        if data["after"]:
            at, pk = data["after"]
            rows = rows.filter(Q(solved_at__lt=at) | Q(solved_at=at, pk__lt=pk))
        rows = list(
            rows.select_related("solved_by", "category")
            .prefetch_related(
                Prefetch("links", queryset=ArticleLink.objects.select_related("article"))
            )
            .order_by("-solved_at", "-id")[: PAGE_SIZE + 1]
        )
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        now = timezone.now()
        for row in rows:
            row.state = resolution_state(row, now=now)
        next_url = None
        if more:
            query = request.query_params.copy()
            query["after"] = f"{rows[-1].solved_at.isoformat()}_{rows[-1].pk}"
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": Resolutions(rows, many=True).data, "next": next_url})


def _figures(figures: measures.Figures) -> dict:
    rates = ("article_share", "hold_rate", "reopen_rate", "one_touch_rate")
    return {**asdict(figures), **{name: getattr(figures, name) for name in rates}}


class ReportFigures(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="7, 30 (default), 90, this-month, last-month or custom.",
            ),
            OpenApiParameter("start", OpenApiTypes.DATE, description="First day (custom)."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (custom)."),
            OpenApiParameter("inbox", OpenApiTypes.STR, description="An inbox slug."),
            OpenApiParameter("category", OpenApiTypes.STR, description="A category slug."),
            OpenApiParameter("agent", OpenApiTypes.STR, description="An agent's username."),
        ],
        responses=ReportSerializer,
        operation_id="reports_figures",
    )
    def get(self, request: Request) -> Response:
        """The report page's headline figures (this period and the one before) and
        each inbox's, with the page's filters and over the inboxes you may see."""
        require_role(request, MANAGER, AGENT)
        form = ReportFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors)
        scope = form.scope()
        with reading_reports():
            current, previous = measures.headline_figures(scope)
            inboxes = measures.inbox_figures(scope)
        return Response(
            {
                "start": form.cleaned_data["start"],
                "end": form.cleaned_data["end"],
                "current": _figures(current),
                "previous": _figures(previous),
                "inboxes": [
                    {"inbox": inbox.slug, "figures": _figures(figures)}
                    for inbox, figures in inboxes
                ],
            }
        )
