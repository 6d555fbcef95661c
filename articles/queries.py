"""Reads of the editor's pages: the filtered list and the review and attention lists."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.figures import ArticleFigures, figures_for
from articles.models import Article
from supportdesk import roles

FIGURE_DAYS = 90


@dataclass(frozen=True)
class Row:
    article: Article
    figures: ArticleFigures


def readable(user) -> QuerySet[Article]:
    """Editors read every article; everyone else only published ones."""
    if roles.is_editor(user):
        return Article.objects.all()
    return Article.objects.published()


def search(
    articles: QuerySet[Article], query: str, *, title: str = "title", body: str = "body"
) -> QuerySet[Article]:
    """Full-text on PostgreSQL (title weighs more), substring match on SQLite.

    ``title`` and ``body`` name the fields searched: readers search the published
    revision, so words of an unpublished draft never find an article for them."""
    query = query.strip()
    if not query:
        return articles
    if connection.vendor == "postgresql":
        vector = SearchVector(title, weight="A", config="english") + SearchVector(
            body, weight="B", config="english"
        )
        text = SearchQuery(query, search_type="websearch", config="english")
        return (
            articles.annotate(search=vector, rank=SearchRank(vector, text))
            .filter(Q(search=text) | Q(**{f"{title}__icontains": query}))
            .order_by("-rank", title)
        )
    return articles.filter(
        Q(**{f"{title}__icontains": query}) | Q(**{f"{body}__icontains": query})
    )


def with_figures(user, articles) -> list[Row]:
    """Each article with its figures over the last 90 days (a fixed number of queries)."""
    articles = list(articles)
    figures = figures_for(user, [a.pk for a in articles], days=FIGURE_DAYS)
    return [Row(a, figures.get(a.pk, ArticleFigures())) for a in articles]


def filtered(user, data: dict) -> QuerySet[Article]:
    """The list's articles for the filter form's cleaned ``data``."""
    articles = readable(user).select_related("category", "owner")
    fields = {}
    if not roles.is_editor(user):
        # Readers see published articles only; the workflow filters are not theirs.
        data = {"q": data.get("q"), "category": data.get("category")}
        fields = {"title": "published_revision__title", "body": "published_revision__body"}
        # ...and the published title in the list, never an unpublished one.
        articles = articles.select_related("published_revision")
    if data.get("status"):
        articles = articles.filter(status=data["status"])
    if data.get("category"):
        articles = articles.filter(category=data["category"])
    if data.get("owner"):
        articles = articles.filter(owner=data["owner"])
    if data.get("needs") == "review":
        articles = articles.needs_review().order_by("review_due", "title")
    return search(articles, data.get("q") or "", **fields)


def needing_attention(user) -> list[Row]:
    rows = with_figures(user, Article.objects.published().select_related("category", "owner"))
    return [row for row in rows if row.figures.needs_attention]


def review_lists(*, limit: int | None = None) -> dict:
    """Overdue reviews (oldest due first), reviews due in the next 30 days, and
    revisions waiting for an editor's approval."""
    today = timezone.localdate()
    published = Article.objects.published().select_related("category", "owner")
    overdue = (
        Article.objects.needs_review(today)
        .select_related("category", "owner")
        .order_by("review_due", "title")
    )
    soon = published.filter(
        review_due__gt=today, review_due__lte=today + timedelta(days=30)
    ).order_by("review_due", "title")
    waiting = (
        Article.objects.filter(status=Article.Status.IN_REVIEW)
        .select_related("category", "owner", "current_revision__author")
        .order_by("updated_at")
    )
    if limit:
        overdue, soon, waiting = overdue[:limit], soon[:limit], waiting[:limit]
    return {
        "overdue": list(overdue),
        "due_soon": list(soon),
        "waiting": list(waiting),
        "overdue_count": Article.objects.needs_review(today).count(),
        "today": today,
    }
