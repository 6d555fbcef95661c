"""The resolution report's big tables, printed here rather than by template loops.

A template loop costs some microseconds a value (lookups, localisation,
escaping): the report's matrix, article, gap, agent and week tables print
about two thousand values, a third of the page's time. Each tag prints
exactly what its loop in templates/tickets/reports.html printed (the tests
compare them with the template); every name, title, subject and note people
typed is escaped, numbers are localised as the template did.
"""

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from tickets.services import user_label
from tickets.templatetags.report_format import duration, percent

register = template.Library()


def _number(value) -> str:
    """A number as ``{{ value }}`` prints it (ints without thousands separators
    unless the settings ask for them; floats localised)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(str(localize(value)))


def _text(value) -> str:
    """A value as ``{{ value }}`` prints it: escaped unless already safe."""
    return conditional_escape(value)


def _or_minus_one(value) -> str:
    """``{{ value|default_if_none:-1 }}``."""
    return _number(-1 if value is None else value)


def _safe(parts: list[str]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


@register.simple_tag
def week_rows(weeks, shares: bool = False) -> SafeString:
    """The weekly tables' rows: created and solved, or (``shares``) solved by an
    article and its share."""
    rows = []
    for week in weeks:
        start = _text(date_filter(week.start, "j M Y"))
        if shares:
            second, third = _number(week.by_article), percent(week.article_share, 1)
        else:
            second, third = _number(week.created), _number(week.solved)
        rows.append(
            f'<tr><td>{start}</td><td class="num">{second}</td><td class="num">{third}</td></tr>'
        )
    return _safe(rows)


@register.simple_tag
def matrix_head(articles) -> SafeString:
    return _safe([f'<th scope="col" class="num">{_text(a.title)}</th>' for a in articles])


@register.simple_tag
def matrix_rows(rows) -> SafeString:
    """The heat map's table body (``tables.matrix_rows``)."""
    if not rows:
        return mark_safe('<tr><td colspan="2" class="empty">No solves in this period.</td></tr>')
    out = []
    for row in rows:
        solved = _number(row["solved"])
        if row["solved_url"]:
            solved = f'<a href="{_text(row["solved_url"])}">{solved}</a>'
        out.append(
            f'\n          <tr><th scope="row">{_text(row["name"])}</th>'
            f'\n            <td class="num">{solved}</td>\n            '
        )
        for cell in row["cells"]:
            count = cell["count"]
            if count:
                shown = _number(count)
                if cell["url"]:
                    shown = f'<a href="{_text(cell["url"])}">{shown}</a>'
                shown += f' <span class="muted">({percent(cell["rate"])})</span>'
            else:
                shown = '<span class="muted">0</span>'
            out.append(
                f'\n            <td class="num" data-article="{_number(cell["article"].pk)}">'
                f"{shown}</td>\n            "
            )
        out.append("\n          </tr>\n        ")
    return _safe(out)


REVISIONS_HEAD = (
    '<thead><tr><th scope="col">Revision</th><th scope="col" class="num">Linked</th>'
    '<th scope="col" class="num">Sent</th><th scope="col" class="num">Resolved</th>'
    '<th scope="col" class="num">Held</th><th scope="col" class="num">Resolution rate</th>'
    '<th scope="col" class="num">Hold rate</th><th scope="col" class="num">Median</th>'
    "</tr></thead>"
)


@register.simple_tag
def article_rows(rows) -> SafeString:
    """The article table's body: (``measures.ArticleRow``, its tickets' URL) pairs."""
    if not rows:
        return mark_safe(
            '<tr><td colspan="8" class="empty">'
            "No article was linked to a ticket in this period.</td></tr>"
        )
    out = []
    for row, url in rows:
        m = row.measures
        title = _text(row.article.title)
        revisions = "".join(
            f'\n                  <tr data-revision="{_number(revision.number)}">'
            f"<td>r{_number(revision.number)}</td>"
            f'<td class="num">{_number(r.linked)}</td><td class="num">{_number(r.sent)}</td>'
            f'<td class="num">{_number(r.resolved)}</td><td class="num">{_number(r.held)}</td>'
            f'<td class="num">{percent(r.resolution_rate)}</td>'
            f'<td class="num">{percent(r.hold_rate)}</td>'
            f'<td class="num">{duration(r.median_resolution_seconds)}</td></tr>\n                '
            for revision, r in row.revisions
        )
        linked, sent, resolved = _number(m.linked), _number(m.sent), _number(m.resolved)
        median = m.median_resolution_seconds
        resolved_cell = f'<a href="{_text(url)}">{resolved}</a>' if m.resolved else "0"
        out.append(
            f'\n        <tr data-article="{_number(row.article.pk)}">'
            f'\n          <td data-value="{title}">'
            f"\n            <details><summary>{title}</summary>"
            f'\n              <table class="revisions">'
            f"\n                {REVISIONS_HEAD}"
            f"\n                <tbody>{revisions}</tbody>"
            f"\n              </table>"
            f"\n            </details>"
            f"\n          </td>"
            f'\n          <td class="num" data-value="{linked}">{linked}</td>'
            f'\n          <td class="num" data-value="{sent}">{sent}</td>'
            f'\n          <td class="num" data-value="{resolved}">{resolved_cell}</td>'
            f'\n          <td class="num" data-value="{_number(m.held)}">{_number(m.held)}</td>'
            f'\n          <td class="num" data-value="{_or_minus_one(m.resolution_rate)}">'
            f"{percent(m.resolution_rate)}</td>"
            f'\n          <td class="num" data-value="{_or_minus_one(m.hold_rate)}">'
            f"{percent(m.hold_rate)}</td>"
            f'\n          <td class="num" data-value="{_or_minus_one(median)}">'
            f"{duration(median)}</td>"
            f"\n        </tr>\n      "
        )
    return _safe(out)


@register.simple_tag
def gap_rows(rows, can_draft: bool) -> SafeString:
    """The content gaps' body: (``measures.GapRow``, tickets URL, draft URL) triples."""
    if not rows:
        return mark_safe(
            '<tr><td colspan="4" class="empty">'
            "Every solve in this period named an article.</td></tr>"
        )
    # One reverse() for the page, not one an example.
    before, after = map(_text, reverse("tickets:detail", args=[987654321]).split("987654321"))
    out = []
    for row, url, draft_url in rows:
        category = row.category
        name = _text(category.name) if category else "Uncategorised"
        gaps = _number(row.gaps)
        count = f'<a href="{_text(url)}">{gaps}</a>' if category else gaps
        examples = "".join(
            f'<li><a href="{before}{_number(ticket_id)}{after}">#{_number(ticket_id)}</a> '
            f"{_text(subject)}"
            + (f' <span class="muted">— {_text(note)}</span>' if note else "")
            + "</li>"
            for ticket_id, subject, note in row.examples
        )
        draft = ""
        if can_draft:
            draft = f'<a class="button" href="{_text(draft_url)}">Draft an article</a>'
        out.append(
            f'\n        <tr data-category="{_text(category.slug) if category else "none"}">'
            f'\n          <td data-value="{name}">{name}</td>'
            f'\n          <td class="num" data-value="{gaps}">{count}</td>'
            f'\n          <td><ul class="examples">{examples}</ul></td>'
            f"\n          <td>{draft}</td>"
            f"\n        </tr>\n      "
        )
    return _safe(out)


@register.simple_tag
def agent_rows(rows) -> SafeString:
    """The agents' table body (``measures.AgentRow``)."""
    if not rows:
        return mark_safe(
            '<tr><td colspan="5" class="empty">'
            "No agent solved or was assigned a ticket in this period.</td></tr>"
        )
    out = []
    for row in rows:
        agent = row.agent
        name = _text(user_label(agent))
        solved = _number(row.solved)
        out.append(
            f'\n        <tr data-agent="{_text(agent.username)}">'
            f'\n          <td data-value="{name}">{name}</td>'
            f'\n          <td class="num" data-value="{solved}">{solved}</td>'
            f'\n          <td class="num" data-value="{_or_minus_one(row.article_share)}">'
            f"{percent(row.article_share)}</td>"
            f'\n          <td class="num" data-value="{_or_minus_one(row.resolution_median)}">'
            f"{duration(row.resolution_median)}</td>"
            f'\n          <td class="num" data-value="{_or_minus_one(row.first_response_median)}">'
            f"{duration(row.first_response_median)}</td>"
            f"\n        </tr>\n      "
        )
    return _safe(out)


@register.simple_tag
def inbox_rows(cards) -> SafeString:
    """The inboxes side by side: one row per headline measure (``tables.inbox_rows``)."""
    return _safe(
        [
            f'\n        <tr data-measure="{_text(card["key"])}"><th scope="row">'
            f"{_text(card['label'])}</th>"
            + "".join(f'<td class="num">{_text(value)}</td>' for value in card["values"])
            + "</tr>\n      "
            for card in cards
        ]
    )
