"""The report's figures as rows: headline cards, chart data, CSV tables.

Shared by the page and the CSV export so both say exactly the same thing.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from django.urls import reverse
from django.utils import timezone

from tickets.reports import cache, measures
from tickets.reports.measures import Figures, Scope
from tickets.templatetags.report_format import duration, percent

# (key, label, kind, higher is better); kind: count, rate or time.
HEADLINE = [
    ("created", "Tickets created", "count", None),
    ("solved", "Solved", "count", True),
    ("article_share", "Solved by an article", "rate", True),
    ("hold_rate", "Hold rate", "rate", True),
    ("reopen_rate", "Reopen rate", "rate", False),
    ("first_response_median", "First response, median", "time", False),
    ("first_response_p90", "First response, 90th percentile", "time", False),
    ("resolution_median", "Resolution time, median", "time", False),
    ("resolution_p90", "Resolution time, 90th percentile", "time", False),
    ("one_touch_rate", "One-touch resolution", "rate", True),
    ("gaps", "Content gaps", "count", False),
    ("moved", "Moved between inboxes", "count", False),
]


def show(value, kind: str) -> str:
    if kind == "rate":
        return percent(value, 1)
    if kind == "time":
        return duration(value)
    return f"{value:,}"


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    value: str
    previous: str
    change: str  # "" when there is nothing to compare
    trend: str  # "up", "down" or "flat"
    verdict: str  # "good", "bad" or ""
    url: str = ""  # the tickets a count counts, when the queue can list them


def change_of(current, previous, kind: str) -> tuple[str, str]:
    if current is None or previous is None:
        return "", "flat"
    delta = current - previous
    trend = "up" if delta > 0 else "down" if delta < 0 else "flat"
    if kind == "rate":
        return f"{delta * 100:+.1f} pts", trend
    if not previous:
        return (f"{delta:+,}" if kind == "count" else "new"), trend
    text = f"{delta / previous * 100:+.0f}%"
    return (f"{delta:+,} ({text})" if kind == "count" else text), trend


def headline_cards(current: Figures, previous: Figures, urls: dict | None = None) -> list[Card]:
    cards = []
    for key, label, kind, higher_is_better in HEADLINE:
        now, before = getattr(current, key), getattr(previous, key)
        change, trend = change_of(now, before, kind)
        verdict = ""
        if higher_is_better is not None and trend != "flat":
            verdict = "good" if (trend == "up") == higher_is_better else "bad"
        url = (urls or {}).get(key, "")
        cards.append(
            Card(key, label, show(now, kind), show(before, kind), change, trend, verdict, url)
        )
    return cards


def inbox_rows(columns: list) -> list[dict]:
    """The inbox comparison: one row per headline measure, one value per inbox."""
    return [
        {"key": key, "label": label,
         "values": [show(getattr(figures, key), kind) for _, figures in columns]}
        for key, label, kind, _ in HEADLINE
    ]  # fmt: skip


def ticket_list_url(
    scope: Scope, inbox_slug: str | None = None, dates: str = "solved", **params
) -> str:
    """The queue filtered to what a number counts (the queue's URL contract:
    category slug, resolved_by article id, solved_ or created_after/before as
    whole local days, both ends included; the inbox in the path)."""
    return ticket_list_urls(scope, inbox_slug, dates)(**params)


@lru_cache(maxsize=1024, typed=True)
def _pair(key: str, value) -> str:
    """``urlencode({key: value})``, kept: a report repeats a few slugs and ids."""
    return f"{quote_plus(str(key))}={quote_plus(str(value))}"


def ticket_list_urls(
    scope: Scope, inbox_slug: str | None = None, dates: str = "solved"
) -> Callable[..., str]:
    """``ticket_list_url`` of one scope, inbox and dates for many parameters: the
    path and the dates worked out once (the report links a hundred cells or more)."""
    path = (
        reverse("tickets:inbox_queue", args=[inbox_slug])
        if inbox_slug
        else reverse("tickets:queue")
    )
    tail = urlencode(
        {
            f"{dates}_after": timezone.localtime(scope.since).date().isoformat(),
            f"{dates}_before": scope.last_day.isoformat(),
            "view": "all",  # the queue shows open tickets unless told otherwise
        }
    )

    def url(**params) -> str:
        query = "&".join(
            _pair(key, value) for key, value in params.items() if value not in (None, "")
        )
        return f"{path}?{query}&{tail}" if query else f"{path}?{tail}"

    return url


def trend_chart(weeks: list[measures.Week]) -> dict:
    return {
        "labels": [week.start.strftime("%d %b") for week in weeks],
        "created": [week.created for week in weeks],
        "solved": [week.solved for week in weeks],
        "share": [
            None if week.article_share is None else round(week.article_share * 100, 1)
            for week in weeks
        ],
    }


def matrix_chart(matrix: measures.Matrix, url: Callable[[int, object], str | None]) -> dict:
    articles = [article.title for article in matrix.articles]
    categories = [measures.category_name(row.category) for row in matrix.rows]
    cells = []
    for row, category in zip(matrix.rows, categories, strict=True):
        for article in matrix.articles:
            count = row.cells.get(article.pk, 0)
            rate = row.rate(article.pk)
            cells.append(
                {
                    "x": article.title,
                    "y": category,
                    "v": count,
                    "r": None if rate is None else round(rate * 100, 1),
                    "url": url(article.pk, row.category) if count and row.category else None,
                }
            )
    return {"articles": articles, "categories": categories, "cells": cells}


def matrix_rows(matrix: measures.Matrix, url: Callable[..., str]) -> list[dict]:
    """The heat map as table rows: each cell's count, rate and ticket list link."""
    return [
        {
            "name": measures.category_name(row.category),
            "solved": row.solved,
            "solved_url": url(row_category=row.category) if row.category else None,
            "cells": [
                {
                    "article": article,
                    "count": row.cells.get(article.pk, 0),
                    "rate": row.rate(article.pk),
                    "url": url(article.pk, row.category) if row.category else None,
                }
                for article in matrix.articles
            ],
        }
        for row in matrix.rows
    ]


def gap_draft_url(row: measures.GapRow) -> str:
    """A new article draft prefilled from the gap's examples (the kb's create page)."""
    name = measures.category_name(row.category)
    # Each said once: two tickets often share a subject, agents reuse a note.
    subjects = list(dict.fromkeys(subject for _, subject, _ in row.examples))
    notes = list(dict.fromkeys(note for _, _, note in row.examples if note))
    body = ["Customers asked:", ""] + [f"- {s}" for s in subjects]
    if notes:
        body += ["", "What solved it (agents' notes):", ""] + [f"- {n}" for n in notes]
    params = {
        "title": subjects[0] if subjects else f"{name}: new article",
        "body": "\n".join(body),
    }
    if row.category:
        params["category"] = row.category.slug
    # The knowledge base's create page prefills its form from these parameters.
    return reverse("articles:create") + "?" + urlencode(params)


# == CSV tables: header row, then rows; the same figures as the page ==


def _part(scope: Scope, name: str):
    return cache.figures(scope, [name])[name]


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def csv_headline(scope: Scope) -> Iterator[list]:
    current, previous = _part(scope, "headline")
    yield ["measure", "this period", "previous period", "unit"]
    for key, label, kind, _ in HEADLINE:
        fmt = {"rate": _rate, "time": _seconds}.get(kind, str)
        unit = {"rate": "share (0-1)", "time": "seconds"}.get(kind, "tickets")
        yield [label, fmt(getattr(current, key)), fmt(getattr(previous, key)), unit]


def csv_weekly(scope: Scope) -> Iterator[list]:
    yield ["week starting", "created", "solved", "solved by an article", "share by article"]
    for week in _part(scope, "weeks"):
        yield [week.start.isoformat(), week.created, week.solved, week.by_article,
               _rate(week.article_share)]  # fmt: skip


def csv_matrix(scope: Scope) -> Iterator[list]:
    matrix = _part(scope, "matrix")
    yield ["category", "article id", "article", "resolved", "category solved", "rate"]
    for row in matrix.rows:
        name = measures.category_name(row.category)
        for article in matrix.articles:
            if row.cells.get(article.pk):
                yield [name, article.pk, article.title, row.cells[article.pk], row.solved,
                       _rate(row.rate(article.pk))]  # fmt: skip


def csv_articles(scope: Scope) -> Iterator[list]:
    yield ["article id", "article", "revision", "linked", "sent", "resolved", "held",
           "not held", "resolution rate", "hold rate",
           "median time to resolution (s)"]  # fmt: skip
    for row in _part(scope, "articles"):
        for revision, m in [(None, row.measures), *row.revisions]:
            yield [row.article.pk, row.article.title, revision.number if revision else "all",
                   m.linked, m.sent, m.resolved, m.held, m.not_held, _rate(m.resolution_rate),
                   _rate(m.hold_rate), _seconds(m.median_resolution_seconds)]  # fmt: skip


def csv_gaps(scope: Scope) -> Iterator[list]:
    yield ["category", "content gaps", "example subjects"]
    for row in _part(scope, "gaps"):
        name = measures.category_name(row.category)
        yield [name, row.gaps, " | ".join(subject for _, subject, _ in row.examples)]


def csv_agents(scope: Scope) -> Iterator[list]:
    yield ["agent", "solved", "solved by an article", "share by article",
           "median resolution time (s)", "assigned tickets created",
           "median first response (s)"]  # fmt: skip
    for row in _part(scope, "agents"):
        yield [row.agent.get_full_name() or row.agent.username, row.solved, row.by_article,
               _rate(row.article_share), _seconds(row.resolution_median), row.created,
               _seconds(row.first_response_median)]  # fmt: skip


def csv_inboxes(scope: Scope) -> Iterator[list]:
    columns = _part(scope, "inboxes")
    yield ["measure", *[inbox.name for inbox, _ in columns]]
    for key, label, kind, _ in HEADLINE:
        fmt = {"rate": _rate, "time": _seconds}.get(kind, str)
        yield [label, *[fmt(getattr(figures, key)) for _, figures in columns]]


def csv_self_service(scope: Scope) -> Iterator[list]:
    side = _part(scope, "self_service")
    yield ["measure", "value", "unit"]
    yield ["Deflections (contact form: this solved it)", side.deflections, "answers"]
    yield ["Tickets created", side.tickets, "tickets"]
    yield ["Self-service score (deflections / tickets)", _rate(side.score), "ratio"]
    yield ["Helpful votes: yes", side.yes, "votes"]
    yield ["Helpful votes: no", side.no, "votes"]
    yield ["Helpful share", _rate(side.helpful_share), "share (0-1)"]
    yield ["Rated good", side.ratings.good, "resolutions"]
    yield ["Rated bad", side.ratings.bad, "resolutions"]
    yield ["Satisfaction (good / rated)", _rate(side.ratings.satisfaction), "share (0-1)"]
    yield ["Bad ratings waiting for a second look", side.second_look, "resolutions"]


def csv_help_articles(scope: Scope) -> Iterator[list]:
    yield ["category", "article id", "article", "revision", "deflections", "helpful yes",
           "helpful no", "helpful share", "rated good", "rated bad",
           "satisfaction"]  # fmt: skip
    for row in _part(scope, "self_service").revisions:
        article = row.revision.article
        yield [measures.category_name(article.category), article.pk, row.revision.title,
               row.revision.number, row.deflections, row.yes, row.no,
               _rate(row.helpful_share), row.ratings.good, row.ratings.bad,
               _rate(row.ratings.satisfaction)]  # fmt: skip


def csv_help_categories(scope: Scope) -> Iterator[list]:
    yield ["category", "deflections", "helpful yes", "helpful no"]
    for row in _part(scope, "self_service").categories:
        yield [row.name, row.deflections, row.yes, row.no]


def csv_satisfaction(scope: Scope) -> Iterator[list]:
    side = _part(scope, "self_service")
    yield ["by", "name", "rated good", "rated bad", "satisfaction"]
    for kind, rows in (("agent", side.agents), ("inbox", side.inboxes)):
        for name, ratings in rows:
            yield [kind, name, ratings.good, ratings.bad, _rate(ratings.satisfaction)]


def csv_tags(scope: Scope) -> Iterator[list]:
    yield ["tag", "created", "solved", "solved by an article", "share by article",
           "content gaps", "reopened", "reopen rate", "median resolution time (s)"]  # fmt: skip
    for row in _part(scope, "tags"):
        yield [row.tag, row.created, row.solved, row.by_article, _rate(row.article_share),
               row.gaps, row.not_held, _rate(row.reopen_rate),
               _seconds(row.resolution_median)]  # fmt: skip


CSV_TABLES: dict[str, Callable[[Scope], Iterator[list]]] = {
    "headline": csv_headline,
    "weekly": csv_weekly,
    "matrix": csv_matrix,
    "articles": csv_articles,
    "gaps": csv_gaps,
    "agents": csv_agents,
    "inboxes": csv_inboxes,
    "self-service": csv_self_service,
    "help-articles": csv_help_articles,
    "help-categories": csv_help_categories,
    "satisfaction": csv_satisfaction,
    "tags": csv_tags,
}


def period_label(scope: Scope) -> str:
    return f"{scope.since:%-d %b %Y} – {scope.last_day:%-d %b %Y}"
