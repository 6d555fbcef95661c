"""The sidebar's tickets part (``tickets.nav.sidebar``), printed here: it is on
every page, and its dozen links through the template engine cost more than the
query that counts them (tickets/_nav.html calls it). Prints what that template
printed as a loop (tests/tickets/test_nav.py holds the two to the same bytes)."""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from supportdesk.templatetags.kept_urls import kept_reverse

register = template.Library()

CURRENT = ' aria-current="page"'


def _link(url: str, current: bool, text: str) -> str:
    return f'<li><a href="{escape(url)}"{CURRENT if current else ""}>{text}</a></li>'


@register.simple_tag
def tickets_nav(nav: dict) -> SafeString:
    """The sidebar's inboxes and views with their counts; nothing for a user who
    works no tickets (an empty ``nav``)."""
    if not nav:
        return mark_safe("\n")
    lines = [
        "",
        f'<div id="tickets-nav" hx-get="{escape(kept_reverse("tickets:nav"))}"'
        ' hx-trigger="every 60s, tickets-changed from:body, ticketChanged from:body"'
        ' hx-swap="outerHTML">',
        '  <ul class="nav-list">',
        "    " + _link(nav["all_url"], nav["all_current"], "All tickets"),
        "    " + _link(nav["breaching_url"], nav["breaching_current"], "Breaching soon"),
        "    " + (_link(new, False, "New ticket") if (new := nav["new_ticket_url"]) else ""),
        "  </ul>",
    ]  # fmt: skip
    for section in nav["sections"]:
        inbox = section["inbox"]
        lines += [
            "  ",
            f'  <h2 class="{"billing" if inbox.is_billing else ""}">{escape(inbox.name)}</h2>',
            f'  <ul class="nav-list" data-inbox="{escape(inbox.slug)}">',
        ]
        for link in section["links"]:
            text = f'{escape(link.label)} <span class="count">{link.count}</span>'
            lines += ["    ", "    " + _link(link.url, link.current, text)]
        lines += ["    ", "  </ul>"]
    lines += ["  ", "</div>", "", ""]
    return mark_safe("\n".join(lines))  # noqa: S308 - names and URLs escaped above
