"""The resolution report for managers (and agents, for their own inboxes)."""

from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from supportdesk import roles
from supportdesk.routers import reading_reports
from supportdesk.spreadsheet import csv_lines
from tickets.reports import cache, tables
from tickets.reports.forms import ReportFilterForm


def _report(form: ReportFilterForm) -> dict:
    """Every figure of the page, read (from the replica when there is one) now."""
    scope = form.scope()
    inbox = form.cleaned_data.get("inbox")
    category = form.cleaned_data.get("category")
    with reading_reports():
        parts = cache.figures(scope)
    current, previous = parts["headline"]
    matrix = parts["matrix"]

    urls: dict = {}
    builders = {
        dates: tables.ticket_list_urls(scope, inbox.slug if inbox else None, dates)
        for dates in ("solved", "created")
    }

    def tickets_url(article_id=None, row_category=None, dates="solved") -> str:
        # The matrix's chart and table link each cell alike: build each URL once.
        chosen = row_category or category
        key = (article_id, chosen.slug if chosen else None, dates)
        if key not in urls:
            urls[key] = builders[dates](category=key[1], resolved_by=article_id)
        return urls[key]

    report = {
        **parts,
        "scope": scope,
        "period": tables.period_label(scope),
        "last_day": form.cleaned_data["end"],
        "previous_period": tables.period_label(scope.previous()),
        # The queue lists tickets by creation or solve date (not by who solved them).
        "cards": tables.headline_cards(
            current,
            previous,
            {}
            if scope.agent_id
            else {"created": tickets_url(dates="created"), "solved": tickets_url()},
        ),  # fmt: skip
    }

    report["charts"] = {
        "trend": tables.trend_chart(report["weeks"]),
        "matrix": tables.matrix_chart(matrix, tickets_url),
    }
    report["inbox_cards"] = tables.inbox_rows(report["inboxes"])
    report["matrix_rows"] = tables.matrix_rows(matrix, tickets_url)
    report["article_rows"] = [(row, tickets_url(row.article.pk)) for row in report["articles"]]
    report["gap_rows"] = [
        (row, tickets_url(row_category=row.category), tables.gap_draft_url(row))
        for row in report["gaps"]
    ]
    return report


@require_GET
@roles.role_required(roles.MANAGER, roles.AGENT)
def report_page(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET, user=request.user)
    context = {
        "form": form,
        "query": request.GET.urlencode(),
        # Drafting an article from a content gap: creating articles is editors'
        # work, so only they get the button (managers saw it and got a 403).
        "can_draft": roles.is_editor(request.user),
    }
    if form.is_valid():
        context["report"] = _report(form)
    if request.htmx.target == "report-body":
        return render(request, "tickets/reports.html#report-body", context)
    return render(request, "tickets/reports.html", context)


def _stream(table, form: ReportFilterForm) -> Iterator[str]:
    with reading_reports():
        yield from csv_lines(table(form.scope()))


@require_GET
@roles.role_required(roles.MANAGER, roles.AGENT)
def report_csv(request: HttpRequest, table: str) -> HttpResponse:
    rows = tables.CSV_TABLES.get(table)
    if rows is None:
        raise Http404("No such report table.")
    form = ReportFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponse(f"Fix the filters: {errors}", status=400, content_type="text/plain")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = StreamingHttpResponse(_stream(rows, form), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="report-{table}-{start}-{end}.csv"'
    return response
