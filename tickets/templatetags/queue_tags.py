from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
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
    '<td class="subject"><a href="{url}">{subject}</a>{preview}</td>'
    '<td class="customer" title="{customer_email}">{customer}</td>'
    '<td class="inbox"><span class="tag {inbox_class}">{inbox}</span></td>'
    '<td class="status"><span class="status status-{status}">{status_label}</span></td>'
    '<td class="priority">{priority_label}</td>'
    '<td class="assignee">{assignee}</td>'
    '<td class="waiting">{waiting}</td>'
    '<td class="category">{category}</td>'
    "</tr>"
)
# The bulk actions' checkbox, for those who may use them (agents).
TICK = (
    '<td><input type="checkbox" name="tickets" value="{pk}" form="bulk-form"'
    ' aria-label="Tick ticket {number}"></td>'
)
MUTED_DASH = mark_safe('<span class="muted">—</span>')


@register.simple_tag
def ticket_rows(tickets, selectable: bool = True) -> str:
    """The queue's table rows. Printed here rather than by a template loop:
    fifty rows through the template engine cost more than all the page's
    queries together (see docs/benchmarks.md). Every value is escaped."""
    now = timezone.now()
    rows = []
    for ticket in tickets:
        customer, assignee, url = ticket.customer, ticket.assignee, ticket.get_absolute_url()
        tick = format_html(TICK, pk=ticket.pk, number=ticket.number) if selectable else ""
        rows.append(
            format_html(
                ROW,
                tick=tick,
                url=url,
                pk=ticket.pk,
                number=ticket.number,
                priority=ticket.priority,
                subject=ticket.subject,
                preview=format_html('<span class="preview">{}</span>', ticket.preview)
                if ticket.preview
                else "",
                customer=customer.name or customer.email,
                customer_email=customer.email,
                inbox_class="tag-billing billing" if ticket.inbox.is_billing else "general",
                inbox=ticket.inbox.name,
                status=ticket.status,
                status_label=ticket.get_status_display(),
                priority_label=ticket.get_priority_display(),
                assignee=user_label(assignee) or MUTED_DASH,
                waiting=f"waiting {waited(ticket.waiting_since, now)}"
                if ticket.is_open
                else MUTED_DASH,
                category=ticket.category.name if ticket.category else "",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - each row comes from format_html
