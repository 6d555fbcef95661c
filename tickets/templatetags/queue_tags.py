import html
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from supportdesk.templatetags.kept_urls import kept_reverse
from tickets.models import Ticket
from tickets.services import user_label

register = template.Library()


@register.filter
def waited(since: datetime | None, now: datetime | None = None) -> str:
    """How long ago, as a queue shows it: "5 min", "3 h", "2 d"."""
    if since is None:
        return ""
    seconds = max(0, int(((now or timezone.now()) - since).total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


ROW = (
    '<tr data-row-link="{url}" class="priority-{priority}">{tick}'
    '<td class="num"><a href="{url}">{number}</a></td>'
    '<td class="subject"><a href="{url}">{subject}</a>{tags}{preview}</td>'
    '<td class="customer" title="{customer_email}">{customer}</td>'
    '<td class="inbox"><span class="tag {inbox_class}">{inbox}</span></td>'
    '<td class="status"><span class="status status-{status}">{status_label}</span></td>'
    '<td class="priority">{priority_label}</td>'
    '<td class="assignee">{assignee}</td>'
    '<td class="waiting">{waiting}</td>'
    '<td class="due">{due}</td>'
    '<td class="category">{category}</td>'
    "</tr>"
)


def _span(seconds: float) -> str:
    minutes = max(1, int(seconds // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


@lru_cache(maxsize=8192)
def _exact(due: datetime, zone) -> str:
    # Kept: a queue page shows fifty due times, most of them on the page before too.
    return due.astimezone(zone).strftime("%-d %b %H:%M")


@register.simple_tag(name="sla_badge")
def sla_badge(due: datetime | None, now: datetime | None = None, zone=None) -> str:
    """The SLA's next due time as a badge whose words say it all (the colour only
    repeats them): "Overdue 2 h", "Due in 35 min" (within the hour), "Due in 3 h"."""
    if due is None:
        return MUTED_DASH
    left = (due - (now or timezone.now())).total_seconds()
    exact = _exact(due, zone or timezone.get_current_timezone())
    if left < 0:
        kind, text = "sla-overdue", f"Overdue {_span(-left)}"
    elif left <= 3600:
        kind, text = "sla-soon", f"Due in {_span(left)}"
    else:
        kind, text = "sla-due", f"Due in {_span(left)}"
    # Our own words and a date: nothing to escape.
    return mark_safe(f'<span class="tag {kind}" title="SLA due {exact}">{text}</span>')  # noqa: S308


# The bulk actions' checkbox, for those who may use them (agents).
TICK = (
    '<td><input type="checkbox" name="tickets" value="{pk}" form="bulk-form"'
    ' aria-label="Tick ticket {number}"></td>'
)
MUTED_DASH = mark_safe('<span class="muted">—</span>')
TAG = '<a class="chip tag-chip" href="?tag={}&amp;view=all">{}</a>'


def _tags(ticket) -> str:
    """The row's tags (``tag_list``, annotated by tickets.queues.filters.queue_tickets), each
    a link to the queue filtered by it."""
    names = getattr(ticket, "tag_list", None)
    if not names:
        return ""
    return format_html(
        '<span class="row-tags">{}</span>',
        format_html_join(" ", TAG, ((quote(name), name) for name in names)),
    )


@register.simple_tag
def options(choices) -> str:
    """``<option>``s for (value, text) or (value, text, selected) tuples, printed
    here: the filter bar and the bulk bar list every member of the inboxes, and a
    template loop over them cost more than the page's queries. Escaped as the
    template did (``conditional_escape``: safe strings stay as they are)."""
    return mark_safe(  # noqa: S308 - values and texts escaped here
        "".join(
            f'<option value="{_escape(choice[0])}"'
            f"{' selected' if len(choice) > 2 and choice[2] else ''}>"
            f"{_escape(choice[1])}</option>"
            for choice in choices
        )
    )


# html.escape, its answers kept: a queue page escapes some 600 strings (names,
# labels, subjects), most of them the same as on the page before.
_escaped = lru_cache(maxsize=8192)(html.escape)


def _escape(value) -> str:
    """``conditional_escape``, without its lazy-string wrapper for plain strings
    (most of a page's 160 options): the same characters escaped the same way."""
    return _escaped(value) if type(value) is str else conditional_escape(value)


STATUS_LABELS = dict(Ticket.Status.choices)
PRIORITY_LABELS = dict(Ticket.Priority.choices)


@register.simple_tag
def ticket_rows(tickets, selectable: bool = True) -> str:
    """The queue's table rows (``tickets.queues.filters.QueueRow``s). Printed here
    rather than by a template loop: fifty rows through the template engine cost
    more than all the page's queries together (see docs/benchmarks.md). What
    people typed is escaped; what rows share (inbox, assignee, category) is
    escaped once a page."""
    now, zone = timezone.now(), timezone.get_current_timezone()
    escape = _escaped
    # One reverse() for the page, not one a row.
    before, after = map(escape, kept_reverse("tickets:detail", 987654321).split("987654321"))
    inboxes, people, categories = {}, {None: MUTED_DASH}, {None: ""}
    rows = []
    for ticket in tickets:
        inbox = ticket.inbox
        if inbox.pk not in inboxes:
            inboxes[inbox.pk] = ("tag-billing billing" if inbox.is_billing else "general",
                                 escape(inbox.name))  # fmt: skip
        if ticket.assignee_id not in people:
            people[ticket.assignee_id] = escape(user_label(ticket.assignee))
        if ticket.category_id not in categories:
            categories[ticket.category_id] = escape(ticket.category.name)
        inbox_class, inbox_name = inboxes[inbox.pk]
        url = f"{before}{ticket.pk}{after}"
        number = f"#{ticket.pk}"
        rows.append(
            ROW.format(
                tick=TICK.format(pk=ticket.pk, number=number) if selectable else "",
                url=url,
                number=number,
                priority=ticket.priority,
                subject=escape(ticket.subject),
                tags=_tags(ticket),
                preview=f'<span class="preview">{escape(ticket.preview)}</span>'
                if ticket.preview
                else "",
                customer=escape(ticket.customer_name or ticket.customer_email),
                customer_email=escape(ticket.customer_email),
                inbox_class=inbox_class,
                inbox=inbox_name,
                status=escape(ticket.status),
                status_label=escape(STATUS_LABELS.get(ticket.status, ticket.status)),
                priority_label=escape(str(PRIORITY_LABELS.get(ticket.priority, ticket.priority))),
                assignee=people[ticket.assignee_id] or MUTED_DASH,
                waiting=f"waiting {waited(ticket.waiting_since, now)}"
                if ticket.is_open
                else MUTED_DASH,
                category=categories[ticket.category_id],
                due=sla_badge(ticket.sla_due_at, now, zone),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - what people typed is escaped above
