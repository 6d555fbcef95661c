import html
from datetime import datetime
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


@register.simple_tag(name="sla_badge")
def sla_badge(due: datetime | None, now: datetime | None = None) -> str:
    """The SLA's next due time as a badge whose words say it all (the colour only
    repeats them): "Overdue 2 h", "Due in 35 min" (within the hour), "Due in 3 h"."""
    if due is None:
        return MUTED_DASH
    left = (due - (now or timezone.now())).total_seconds()
    exact = timezone.localtime(due).strftime("%-d %b %H:%M")
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


def _escaped(values: dict) -> dict:
    """Each value as HTML: safe strings as they are, everything else escaped (what
    format_html does, without its per-value overhead: fifty rows of twenty cells)."""
    return {
        key: str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))
        for key, value in values.items()
    }


@register.simple_tag
def options(choices) -> str:
    """``<option>``s for (value, text) or (value, text, selected) tuples, printed
    here: the filter bar and the bulk bar list every member of the inboxes, and a
    template loop over them cost more than the page's queries. Escaped."""
    return mark_safe(  # noqa: S308 - values and texts escaped here
        "".join(
            f'<option value="{html.escape(str(choice[0]))}"'
            f"{' selected' if len(choice) > 2 and choice[2] else ''}>"
            f"{html.escape(str(choice[1]))}</option>"
            for choice in choices
        )
    )


@register.simple_tag
def ticket_rows(tickets, selectable: bool = True) -> str:
    """The queue's table rows. Printed here rather than by a template loop:
    fifty rows through the template engine cost more than all the page's
    queries together (see docs/benchmarks.md). Every value is escaped."""
    now = timezone.now()
    rows = []
    # One reverse() for the page, not one a row.
    before, after = reverse("tickets:detail", args=[987654321]).split("987654321")
    for ticket in tickets:
        customer, assignee = ticket.customer, ticket.assignee
        url = f"{before}{ticket.pk}{after}"
        number = html.escape(str(ticket.number))
        tick = TICK.format(pk=ticket.pk, number=number) if selectable else ""
        rows.append(
            ROW.format_map(
                _escaped(
                    dict(
                        tick=mark_safe(tick),  # noqa: S308 - its number is escaped above
                        url=url,
                        pk=ticket.pk,
                        number=ticket.number,
                        priority=ticket.priority,
                        subject=ticket.subject,
                        tags=_tags(ticket),
                        preview=format_html('<span class="preview">{}</span>', ticket.preview)
                        if ticket.preview
                        else "",
                        customer=customer.name or customer.email,
                        customer_email=customer.email,
                        inbox_class="tag-billing billing"
                        if ticket.inbox.is_billing
                        else "general",
                        inbox=ticket.inbox.name,
                        status=ticket.status,
                        status_label=ticket.get_status_display(),
                        priority_label=ticket.get_priority_display(),
                        assignee=user_label(assignee) or MUTED_DASH,
                        waiting=f"waiting {waited(ticket.waiting_since, now)}"
                        if ticket.is_open
                        else MUTED_DASH,
                        category=ticket.category.name if ticket.category else "",
                        due=sla_badge(ticket.sla_due_at, now),
                    )
                )
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value went through _escaped
