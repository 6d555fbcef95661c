"""What the public pages show, read from published revisions only.

Pages are keyed by ``published_version()``, one aggregate query that changes
whenever anything a public page shows changes (an article published,
unpublished, moved to a category or a page, a page re-imported); it is the
ETag, and the key of the rendered copy in the shared cache.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, HelpCenterPage
from articles.rendering import render_markdown
from articles.suggest.index import sentences

# Rendered bodies are kept by revision id: revisions never change.
BODY_CACHE_SECONDS = 24 * 3600
DESCRIPTION_LENGTH = 160
OTHER = "Other questions"


@dataclass(frozen=True)
class Version:
    etag: str
    last_modified: datetime | None


def published_version() -> Version:
    """What every public page depends on, as an ETag and a Last-Modified."""
    figures = Article.objects.published().aggregate(
        count=Count("id"),
        last=Max("published_revision_id"),
        revisions=Sum("published_revision_id"),
        categories=Sum("category_id"),
        pages=Sum("page_id"),
        positions=Sum("position"),
        published_at=Max("published_at"),
    )
    page = HelpCenterPage.objects.aggregate(updated=Max("updated_at"), count=Count("id"))
    text = repr(sorted(figures.items())) + repr(sorted(page.items()))
    stamps = [t for t in (figures["published_at"], page["updated"]) if t is not None]
    return Version(
        etag=hashlib.sha256(text.encode()).hexdigest()[:32],
        last_modified=max(stamps) if stamps else None,
    )


def rendered_body(revision_id: int, body: str) -> SafeString:
    """A published revision's sanitised HTML, rendered once per revision."""
    html = cache.get_or_set(
        f"help:body:{revision_id}", lambda: str(render_markdown(body)), BODY_CACHE_SECONDS
    )
    return mark_safe(html)  # render_markdown's sanitised output, cached as text


def description_of(body: str) -> str:
    """The first sentence of an article, for search engines and link previews."""
    first = next(iter(sentences(body)), "")
    if len(first) <= DESCRIPTION_LENGTH:
        return first
    return first[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def public_articles():
    """Published articles with what a public page may show, and nothing else."""
    return (
        Article.objects.published()
        .select_related("published_revision", "category")
        .only(
            "slug",
            "position",
            "page_id",
            "published_at",
            "category__name",
            "category__slug",
            "category__position",
            "published_revision__title",
            "published_revision__body",
            "published_revision__number",
        )
    )


@dataclass
class Entry:
    """One article as the public pages list it: its published revision's words."""

    slug: str
    title: str
    revision_id: int
    body: str = ""

    @property
    def html(self) -> SafeString:
        return rendered_body(self.revision_id, self.body)


@dataclass
class CategoryGroup:
    # Name and slug only: a category's description is the editors' (admin) note.
    name: str
    slug: str
    entries: list[Entry] = field(default_factory=list)


def by_category() -> list[CategoryGroup]:
    """Every published article under its issue category, in the categories' order."""
    rows = (
        Article.objects.published()
        .order_by("category__position", "category__name", "published_revision__title")
        .values_list(
            "slug",
            "published_revision_id",
            "published_revision__title",
            "category__name",
            "category__slug",
        )
    )
    groups: dict[str, CategoryGroup] = {}
    for slug, revision_id, title, name, category_slug in rows:
        key = category_slug or ""
        if key not in groups:
            groups[key] = CategoryGroup(name or OTHER, key)
        groups[key].entries.append(Entry(slug=slug, title=title, revision_id=revision_id))
    # Articles without a category go last.
    return sorted(groups.values(), key=lambda g: g.slug == "")


@dataclass
class PageShape:
    """A help center page as its customers know it: title, introduction, one
    expandable answer per published article, the contact section at the end."""

    slug: str
    title: str
    description: str
    intro_html: SafeString
    tail_html: SafeString
    entries: list[Entry]


def page_shape(page: HelpCenterPage) -> PageShape:
    title, description, intro = split_head(page.head)
    articles = (
        public_articles().filter(page=page).order_by("position", "published_revision__title")
    )
    entries = [
        Entry(
            slug=a.slug,
            title=a.published_revision.title,
            revision_id=a.published_revision_id,
            body=a.published_revision.body,
        )
        for a in articles
    ]
    return PageShape(
        slug=page.slug,
        title=title or page.title or "Help",
        description=description,
        intro_html=render_markdown(intro),
        tail_html=render_markdown(page.tail),
        entries=entries,
    )


def split_head(head: str) -> tuple[str, str, str]:
    """(title, description, introduction) of a page's kept head.

    What comes before the ``# Title`` line is the publishing tool's own note
    (Mintlify's documentation index), not for customers; the quote right under
    the title is the page's description."""
    lines = head.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if start is None:
        return "", "", head
    title = lines[start][2:].strip()
    rest = lines[start + 1 :]
    while rest and not rest[0].strip():
        rest.pop(0)
    quoted = []
    while rest and rest[0].startswith(">"):
        quoted.append(rest.pop(0).lstrip(">").strip())
    return title, " ".join(q for q in quoted if q), "\n".join(rest).strip()


def default_page() -> HelpCenterPage | None:
    return HelpCenterPage.objects.order_by("imported_at", "pk").first()
