"""The report's SLA page and its CSV tables (a page of its own: the resolution
report's figures and timings stay as they are)."""

from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from supportdesk import roles
from supportdesk.routers import reading_reports
from supportdesk.spreadsheet import csv_lines
from tickets.reports import sla, tables
from tickets.reports.forms import ReportFilterForm


@require_GET
@roles.role_required(roles.MANAGER, roles.AGENT)
def report_sla(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET, user=request.user)
    context = {"form": form, "query": request.GET.urlencode(), "groups": sla.GROUPS}
    if form.is_valid():
        scope = form.scope()
        with reading_reports():
            context["sla"] = sla.sla_report(scope)
        context["period"] = tables.period_label(scope)
    if request.htmx.target == "report-body":
        return render(request, "tickets/reports_sla.html#report-body", context)
    return render(request, "tickets/reports_sla.html", context)


def _stream(form: ReportFilterForm, group: str) -> Iterator[str]:
    with reading_reports():
        yield from csv_lines(sla.csv_rows(form.scope(), group))


@require_GET
@roles.role_required(roles.MANAGER, roles.AGENT)
def report_sla_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in sla.GROUPS:
        raise Http404("No such SLA table.")
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponse(f"Fix the filters: {errors}", status=400, content_type="text/plain")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = StreamingHttpResponse(_stream(form, table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sla-{table}-{start}-{end}.csv"'
    return response
