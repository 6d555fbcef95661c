"""Figures about articles that come from outside the knowledge base.

The articles app knows nothing of tickets; the tickets app registers a
provider here at start-up (``tickets.apps``) that answers, for a user and some
articles, how those articles did on the tickets that user may see.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RevisionFigures:
    revision_id: int
    linked: int
    resolved: int
    held: int
    not_held: int


@dataclass(frozen=True)
class ArticleFigures:
    linked: int = 0
    sent: int = 0
    resolved: int = 0
    held: int = 0
    not_held: int = 0
    median_resolution_seconds: float | None = None
    resolution_rate: float | None = None
    hold_rate: float | None = None
    needs_attention: bool = False
    # Ticket numbers and subjects behind the flag (only tickets the user may see).
    reopened: tuple[tuple[int, str], ...] = ()
    # What else raised the flag (issue 14): customers' ratings and votes, recent ones.
    bad_ratings: int = 0
    ratings: int = 0
    no_votes: int = 0
    votes: int = 0
    reasons: tuple[str, ...] = ()
    revisions: tuple[RevisionFigures, ...] = field(default=())


Provider = Callable[..., dict[int, ArticleFigures]]
_provider: Provider | None = None


def register(provider: Provider) -> None:
    global _provider
    _provider = provider


def figures_for(
    user, article_ids: Iterable[int], *, days: int = 90, by_revision: bool = False
) -> dict[int, ArticleFigures]:
    """Figures per article id over the last ``days``; empty when no provider is set."""
    if _provider is None:
        return {}
    return _provider(user, list(article_ids), days=days, by_revision=by_revision)
