"""What the ticket page reads of macros and tags, as annotations of the
ticket's own query (the page keeps its fixed number of queries)."""

from django.db.models import Expression, OuterRef, Q
from django.db.models.functions import JSONObject

from tickets.lists import list_of
from tickets.models import Macro, TicketTag

# The digit keys 1-9 apply the first nine.
SHORTCUT_MACROS = 9


def ticket_page_lists(user, *, choices: bool) -> dict[str, Expression]:
    """The ticket's tag names and, for agents (``choices``), the macros the
    digit keys apply: the user's own and the ticket inbox's, most used first."""
    names = TicketTag.objects.filter(ticket_id=OuterRef("pk")).order_by("tag__name")
    lists: dict[str, Expression] = {"tag_names": list_of(names, "tag__name")}
    if choices:
        usable = (
            Macro.objects.visible_to(user)
            .filter(Q(owner=user) | Q(inbox_id=OuterRef("inbox_id")))
            .order_by("-usage_count", "title", "id")[:SHORTCUT_MACROS]
        )
        lists["macro_rows"] = list_of(usable, JSONObject(id="id", title="title"))
    return lists


def shortcut_macros(ticket) -> list[dict]:
    """[{"id", "title", "key"}] from the ticket's ``macro_rows``."""
    rows = getattr(ticket, "macro_rows", None) or []
    return [{**row, "key": str(n)} for n, row in enumerate(rows, start=1)]
