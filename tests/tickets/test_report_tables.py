"""The report's tables printed in Python (tickets/templatetags/report_tables.py) print
exactly what the template loops they replaced printed, hostile text and missing
figures included (the loops are kept here, as they were in reports.html); so
does its filter bar, printed by the project's form renderer, against Django's templates."""

from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.contrib.auth.models import User
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.template import Context, Template

from articles.models import Article, ArticleRevision, IssueCategory
from supportdesk.forms.rendering import PrintedTemplates
from tickets.reports.forms import ReportFilterForm
from tickets.reports.measures import AgentRow, ArticleMeasures, ArticleRow, GapRow, Week

HOSTILE = "<script>alert('x')</script> & \"quotes\""

# The loops, as reports.html had them: "==== name" then the loop, one per section.
LOOPS = Path(__file__).with_name("report_table_loops.txt").read_text(encoding="utf-8")
OLD = {
    name: source.removesuffix("\n")
    for name, source in (section.split("\n", 1) for section in LOOPS.split("\n==== ")[1:])
}

NEW = {
    "weeks": "{% week_rows report.weeks %}",
    "shares": "{% week_rows report.weeks shares=True %}",
    "matrix_head": "{% matrix_head report.matrix.articles %}",
    "matrix": "{% matrix_rows report.matrix_rows %}",
    "articles": "{% article_rows report.article_rows %}",
    "gaps": "{% gap_rows report.gap_rows can_draft %}",
    "agents": "{% agent_rows report.agents %}",
    "inboxes": "{% inbox_rows report.inbox_cards %}",
}


def render(source: str, context: dict) -> str:
    return Template("{% load report_format report_tables %}" + source).render(Context(context))


def measures(linked: int, resolved: int, held: int, median: float | None) -> ArticleMeasures:
    return ArticleMeasures(
        article_id=1, revision_id=None, linked=linked, sent=linked, resolved=resolved,
        held=held, not_held=0, median_resolution_seconds=median,
    )  # fmt: skip


def filled_report() -> dict:
    hostile = Article(pk=7, title=HOSTILE, slug="x")
    plain = Article(pk=8, title="Reset your password", slug="reset")
    category = IssueCategory(pk=3, name=HOSTILE, slug="sign-in")
    revision = ArticleRevision(pk=9, number=2)
    url = "/tickets/?category=a%26b&solved_after=2026-01-01&view=all"
    return {
        "weeks": [
            Week(start=date(2026, 1, 5), created=1234567, solved=3, by_article=1),
            Week(start=date(2026, 1, 12)),  # no solves: no share
            Week(start=date(2026, 1, 19), created=100000, solved=100000, by_article=1),
        ],
        "matrix": {"articles": [hostile, plain]},
        "matrix_rows": [
            {
                "name": HOSTILE,
                "solved": 12,
                "solved_url": url,
                "cells": [
                    {"article": hostile, "count": 5, "rate": 5 / 12, "url": url},
                    {"article": plain, "count": 0, "rate": 0.0, "url": url},
                ],
            },
            {
                "name": "Uncategorised",
                "solved": 3,
                "solved_url": None,
                "cells": [
                    {"article": hostile, "count": 3, "rate": 1.0, "url": None},
                    {"article": plain, "count": 0, "rate": None, "url": None},
                ],
            },
        ],  # fmt: skip
        "article_rows": [
            (
                ArticleRow(
                    hostile, measures(10, 3, 2, 7200.0), [(revision, measures(10, 3, 2, None))]
                ),
                url,
            ),
            (ArticleRow(plain, measures(4, 0, 0, None), []), url),
            (ArticleRow(plain, measures(100000, 1, 1, 0.00001), []), url),
        ],  # fmt: skip
        "gap_rows": [
            (
                GapRow(category, 4, [(11, HOSTILE, HOSTILE), (12, "Plain", ""), (13, "x", None)]),
                url,
                "/kb/new/?title=%3Cb%3E&body=a",
            ),
            (GapRow(None, 2, []), url, "/kb/new/?title=x"),
        ],  # fmt: skip
        "agents": [
            AgentRow(
                User(username="ann<", first_name=HOSTILE),
                solved=3,
                by_article=1,
                resolution_median=3600.5,
                created=2,
                first_response_median=None,
            ),
            AgentRow(User(username="bob&co")),
        ],  # fmt: skip
        "inbox_cards": [
            {"key": "created", "label": "Tickets created", "values": ["1,234", "0"]},
            {"key": "hold_rate", "label": HOSTILE, "values": ["–", "12.5%"]},
        ],
    }


EMPTY = {"weeks": [], "matrix": {"articles": []}, "matrix_rows": [], "article_rows": [],
         "gap_rows": [], "agents": [], "inbox_cards": []}  # fmt: skip


@pytest.mark.parametrize("report", [filled_report(), EMPTY], ids=["filled", "empty"])
@pytest.mark.parametrize("can_draft", [True, False])
@pytest.mark.parametrize("table", list(OLD))
def test_each_table_prints_what_its_template_loop_printed(table, report, can_draft):
    context = {"report": report, "can_draft": can_draft}

    printed = render(NEW[table], context)

    assert printed == render(OLD[table], context)
    assert "<script>" not in printed


def test_people_s_text_is_escaped_in_the_tables():
    report = filled_report()

    context = {"report": report, "can_draft": True}

    page = "".join(render(source, context) for source in NEW.values())

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert 'data-agent="ann&lt;"' in page and "bob&amp;co" in page


# == The filter bar's fields, printed by the project's renderer (PrintedTemplates) ==

FIELDS = (
    "{% for field in form %}{{ field.label_tag }}{{ field }}{{ field.errors }}{% endfor %}"
    "{{ form.non_field_errors }}"
)


def fields_with(form, renderer) -> str:
    form.renderer = renderer
    return Template(FIELDS).render(Context({"form": form}))


class Hostile(forms.Form):
    """Widgets the report's form does not use yet: grouped choices, a required text
    input, a checkbox (left to the templates), values people typed."""

    grouped = forms.ChoiceField(
        choices=[(HOSTILE, [("a<", HOSTILE), ("b", "B")]), ("c", "C & D")], label=HOSTILE
    )
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": HOSTILE, "data-x": True}))
    tick = forms.BooleanField(required=False, label="Tick?")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"period": "custom", "start": "2026-01-02", "end": "2026-03-04", "inbox": "general"},
        {"period": "custom", "start": "<script>", "end": "9999-99-99", "agent": HOSTILE},
        {"period": HOSTILE, "category": "nope", "inbox": "billing"},
    ],
)
def test_the_filter_bar_prints_what_django_s_templates_print(params, manager, general_agent):
    IssueCategory.objects.create(name=HOSTILE, slug="hostile")
    general_agent.first_name = HOSTILE
    general_agent.save()
    form = ReportFilterForm(QueryDict(urlencode(params)), user=manager)
    form.is_valid()

    printed = fields_with(form, PrintedTemplates())

    assert printed == fields_with(form, DjangoTemplates())
    assert "<script>" not in printed


@pytest.mark.parametrize("data", [None, {"grouped": "a<", "text": HOSTILE}, {"text": ""}])
def test_other_widgets_print_as_django_s_templates_do(data):
    form = Hostile(data)
    form.is_valid()

    assert fields_with(form, PrintedTemplates()) == fields_with(form, DjangoTemplates())


def test_the_charts_data_is_escaped_as_json_script_escapes_it():
    """A title typed by an editor goes into the charts' JSON: ``chart_data`` prints
    exactly what Django's ``json_script`` does, so no ``</script>`` closes it early."""
    from django.utils.html import json_script

    from tickets.templatetags.report_format import chart_data

    value = {"labels": ["</script><b>x</b> & é", "Ünïcode ✓"], "n": [1, 2.5, None]}
    printed = chart_data(value, "report-charts")
    assert printed == json_script(value, "report-charts")
    assert "</script><b>" not in printed
