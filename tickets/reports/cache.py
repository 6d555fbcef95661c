"""The report's figures per filter state: computed side by side, kept a few minutes.

Most parts read the daily roll-ups (``measures.roll_up``), a few rows per day
(the article table its own, ``article_days``, per day and per block of days).
Two things keep the page quick:

- on a miss, the independent parts run concurrently, each on its own database
  connection (PostgreSQL runs them on separate cores), unless we are inside a
  transaction (tests), where other connections could not see its rows;
- each part is kept for ``REPORTS_CACHE_SECONDS`` (default 300; 0 turns it
  off), so a manager's reloads, filter round trips and CSV downloads of the
  same state reuse it. The page says when its figures were computed.

The key is the whole scope (inboxes already limited to the viewer's), so two
viewers share figures only when they may see exactly the same tickets.
"""

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tickets.reports import measures, self_service, shared, tags
from tickets.reports.measures import Scope
from tickets.reports.side_by_side import side_by_side

# In the order they start on the threads: the longest first (the article
# table's and the agents' reads wait longest on PostgreSQL), so that the last
# ones to start are short and the threads finish together.
PARTS: dict[str, Callable[[Scope], object]] = {
    "articles": measures.article_table,
    "agents": measures.agent_table,
    "headline": measures.headline_figures,
    "self_service": self_service.self_service,
    "gaps": measures.content_gaps,
    "inboxes": measures.inbox_figures,
    "matrix": measures.category_matrix,
    "tags": tags.tag_table,
    "weeks": measures.weekly_trend,
}


def _key(name: str, scope: Scope) -> str:
    parts = (name, scope.inbox_ids, scope.since.isoformat(), scope.until.isoformat(),
             scope.category_id, scope.agent_id, scope.every_inbox)  # fmt: skip
    return "report:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _compute(name: str, scope: Scope) -> tuple[datetime, object]:
    return timezone.now(), PARTS[name](scope)


def figures(scope: Scope, names: list[str] | None = None) -> dict:
    """{part name: figures} plus "computed_at" (the oldest part's time)."""
    names = names or list(PARTS)
    seconds = settings.REPORTS_CACHE_SECONDS
    found = cache.get_many([_key(n, scope) for n in names]) if seconds else {}
    results = {n: found[_key(n, scope)] for n in names if _key(n, scope) in found}
    missing = [n for n in names if n not in results]
    calls = [lambda n=n: _compute(n, scope) for n in missing]
    with shared.sharing(together=len(missing) > 1):  # reads several parts need, made once
        computed = dict(zip(missing, side_by_side(*calls), strict=True))
    if seconds and computed:
        cache.set_many({_key(n, scope): value for n, value in computed.items()}, seconds)
    results.update(computed)
    out = {name: value for name, (_, value) in results.items()}
    out["computed_at"] = min(at for at, _ in results.values())
    return out
