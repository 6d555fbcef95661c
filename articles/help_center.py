"""Import a help center page into articles and export it back (``articles.mdx`` parses).

Re-importing an unchanged page creates no revisions: an accordion whose title
and text equal its article's published revision is skipped. Everything is
written in one transaction after the whole page parsed, so bad MDX changes
nothing.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import mdx, services
from articles.models import Article, ArticleRevision, HelpCenterPage, IssueCategory

# A new article's category, guessed from words in its title (editors can change it).
CATEGORY_HINTS = [
    (("log in", "login", "sign in", "sign-in", "password", "account"), "sign-in"),
    (("upgrade", "pro model", "plan", "locked"), "plans"),
    (("failed", "error"), "failed-generations"),
    (("slow",), "slow-generations"),
    (("credit",), "credits"),
    (("gallery", "find a generation", "history"), "gallery"),
    (("refund", "invoice", "charge", "billing", "payment"), "billing"),
]


@dataclass
class ImportReport:
    page: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    # Articles of the page that the page no longer holds: taken off it, not deleted.
    removed: list[str] = field(default_factory=list)
    # Updated articles whose unpublished revision (a draft, or one in review) the
    # import published over: "Title: draft r3 by Ana". The draft stays in the history.
    superseded: list[str] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would be " if self.dry_run else ""
        out = []
        for label, titles, always in (
            ("created", self.created, True),
            ("updated", self.updated, True),
            ("skipped (unchanged)", self.skipped, True),
            ("taken off the page (not in it any more)", self.removed, False),
            ("superseded: unpublished revision (kept in its history)", self.superseded, False),
        ):
            if not (titles or always):
                continue
            out.append(f"{len(titles)} {verb}{label}")
            out += [f"  - {title}" for title in titles]
        return out


def guess_category(title: str) -> IssueCategory | None:
    lowered = title.lower()
    for words, slug in CATEGORY_HINTS:
        if any(word in lowered for word in words):
            return IssueCategory.objects.filter(slug=slug).first()
    return IssueCategory.objects.filter(slug="other").first()


def import_page(
    text: str,
    *,
    slug: str = "",
    by: AbstractBaseUser | None = None,
    dry_run: bool = False,
    source: str = "",
) -> ImportReport:
    """Make each accordion a published article, in page order. Raises mdx.MdxError.

    The page is known by its ``# Title`` (so an exported copy under another file
    name is the same page); ``slug`` is the fallback for a page without one.
    """
    page = mdx.parse_page(text)  # before any write: bad MDX changes nothing
    slug = slugify(page.title)[:100] or slug or "help-center"
    report = ImportReport(page=slug, dry_run=dry_run)
    with transaction.atomic():
        stored, _ = HelpCenterPage.objects.get_or_create(slug=slug)
        stored.title, stored.head, stored.tail = page.title, page.head, page.tail
        stored.imported_at = stored.updated_at = timezone.now()
        stored.save()
        note = f"Imported from {source or slug}"
        kept = []
        for position, accordion in enumerate(page.accordions):
            kept.append(
                _import_accordion(stored, accordion, position, by=by, note=note, report=report)
            )
        gone = stored.articles.exclude(pk__in=[a.pk for a in kept])
        report.removed = list(gone.values_list("title", flat=True))
        gone.update(page=None)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_accordion(
    page: HelpCenterPage,
    accordion: mdx.Accordion,
    position: int,
    *,
    by: AbstractBaseUser | None,
    note: str,
    report: ImportReport,
) -> Article:
    article = (
        Article.objects.select_related("published_revision", "current_revision__author")
        .filter(page=page, title=accordion.title)
        .first()
        or Article.objects.select_related("published_revision", "current_revision__author")
        .filter(slug=slugify(accordion.title)[:200])
        .first()
    )
    if article is None:
        article = services.create_article(
            title=accordion.title,
            body=accordion.body,
            by=by,
            category=guess_category(accordion.title),
            note=note,
            slug=services.unique_slug(accordion.title),
            page=page,
            position=position,
        )
        services.publish_article(article, by=by)
        report.created.append(accordion.title)
        return article
    article.page, article.position = page, position
    article.save(update_fields=["page", "position"])
    published = article.published_revision
    if (
        published is not None
        and article.is_published
        and (published.title, published.body) == (accordion.title, accordion.body)
    ):
        report.skipped.append(accordion.title)
        return article
    current = article.current_revision
    if current is not None and (current.title, current.body) == (accordion.title, accordion.body):
        revision = current  # the text is already the latest draft: publish it, no copy
    else:
        if current is not None and current.pk != article.published_revision_id:
            report.superseded.append(_pending(accordion.title, article, current))
        revision = services.save_revision(
            article,
            title=accordion.title,
            body=accordion.body,
            by=by,
            base_revision=current,
            note=note,
        )
    services.publish_article(article, by=by, revision=revision)
    report.updated.append(accordion.title)
    return article


def _pending(title: str, article: Article, revision: ArticleRevision) -> str:
    """How the report names an unpublished revision the import publishes over."""
    state = "in review" if article.status == Article.Status.IN_REVIEW else "draft"
    author = revision.author
    who = (author.get_full_name() or author.get_username()) if author else "an import"
    return f"{title}: {state} r{revision.number} by {who}"


def export_page(page: HelpCenterPage) -> str:
    """The page's kept text around one accordion per published article, in order."""
    articles = (
        page.articles.published()
        .select_related("published_revision")
        .order_by("position", "title")
    )
    return mdx.write_page(
        head=page.head,
        tail=page.tail,
        accordions=[(a.published_revision.title, a.published_revision.body) for a in articles],
    )


def default_page() -> HelpCenterPage | None:
    return HelpCenterPage.objects.order_by("imported_at", "pk").first()
