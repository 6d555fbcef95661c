"""The customers' side of the report (issue 14): deflections, the self-service
score, "Did this answer your question?" votes and satisfaction ratings.

Votes and deflections come from the public help center, where nobody has an
inbox: they follow the period and the category filter (the article's), never the
inbox or agent filters. Ratings belong to resolutions, so they follow every
filter, by the resolution's solve time like the rest of the report.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, Trim

from articles.models import ArticleFeedback, ArticleRevision
from tickets.models import Inbox, ResolutionArticle, Satisfaction
from tickets.reports.measures import Scope, created_count, rate


@dataclass
class Ratings:
    good: int = 0
    bad: int = 0

    @property
    def rated(self) -> int:
        return self.good + self.bad

    @property
    def satisfaction(self) -> float | None:
        """Good ratings ÷ all ratings (the usual CSAT)."""
        return rate(self.good, self.rated)


@dataclass
class RevisionRow:
    revision: ArticleRevision  # with its article and the article's category
    yes: int = 0
    no: int = 0
    deflections: int = 0
    ratings: Ratings = field(default_factory=Ratings)

    @property
    def helpful_share(self) -> float | None:
        return rate(self.yes, self.yes + self.no)


@dataclass
class CategoryRow:
    name: str
    deflections: int = 0
    yes: int = 0
    no: int = 0


@dataclass
class SelfService:
    deflections: int
    tickets: int
    yes: int
    no: int
    ratings: Ratings
    second_look: int
    revisions: list[RevisionRow]
    categories: list[CategoryRow]
    agents: list[tuple[str, Ratings]]
    inboxes: list[tuple[str, Ratings]]

    @property
    def score(self) -> float | None:
        """The self-service score: deflections ÷ tickets created."""
        return rate(self.deflections, self.tickets)

    @property
    def helpful_share(self) -> float | None:
        return rate(self.yes, self.yes + self.no)


def _feedback(scope: Scope):
    qs = ArticleFeedback.objects.filter(created_at__gte=scope.since, created_at__lt=scope.until)
    if scope.category_id is not None:
        qs = qs.filter(article__category_id=scope.category_id)
    return (
        qs.order_by()
        .values("revision_id")
        .annotate(
            yes=Count("id", filter=Q(helpful=True, source=ArticleFeedback.Source.ARTICLE)),
            no=Count("id", filter=Q(helpful=False)),
            deflections=Count("id", filter=Q(helpful=True, source=ArticleFeedback.Source.CONTACT)),
        )
    )


def _ratings(scope: Scope):
    qs = Satisfaction.objects.filter(
        scope.inbox_filter("inbox_id"), solved_at__gte=scope.since, solved_at__lt=scope.until
    )
    if scope.category_id is not None:
        qs = qs.filter(resolution__category_id=scope.category_id)
    if scope.agent_id is not None:
        qs = qs.filter(solved_by_id=scope.agent_id)
    return qs.order_by()


def _counts(**extra) -> dict:
    return {
        "good": Count("id", filter=Q(rating=Satisfaction.Rating.GOOD), **extra),
        "bad": Count("id", filter=Q(rating=Satisfaction.Rating.BAD), **extra),
    }


def self_service(scope: Scope) -> SelfService:
    """Every figure of the customers' side, in five queries whatever the data."""
    feedback = {row.pop("revision_id"): row for row in _feedback(scope)}
    ratings = _ratings(scope)
    # The articles that resolved the rated tickets: one row per (resolution, link).
    per_revision = {
        row.pop("revision_id"): row
        for row in ResolutionArticle.objects.filter(
            resolution__satisfaction__in=ratings.values("pk")
        )
        .order_by()
        .values("revision_id")
        .annotate(
            good=Count(
                "resolution_id", distinct=True, filter=Q(resolution__satisfaction__rating="good")
            ),
            bad=Count(
                "resolution_id", distinct=True, filter=Q(resolution__satisfaction__rating="bad")
            ),
        )  # fmt: skip
    }
    # Names in the same query (subqueries), so the count of queries never depends on data.
    users = get_user_model().objects.filter(pk=OuterRef("solved_by_id"))
    groups = list(
        ratings.values("inbox_id", "solved_by_id").annotate(
            **_counts(),
            unseen=Count("id", filter=Q(rating="bad", reviewed_at__isnull=True)),
            inbox_name=Subquery(Inbox.objects.filter(pk=OuterRef("inbox_id")).values("name")),
            agent_name=Subquery(
                users.annotate(full=Trim(Concat("first_name", Value(" "), "last_name"))).values(
                    "full"
                )
            ),
            agent_username=Subquery(users.values("username")),
        )
    )
    # Always one query (in_bulk of nothing would skip it): a constant count per page.
    # Only what the table and the CSV show: not the revisions' and articles' bodies.
    revisions = {
        revision.pk: revision
        for revision in ArticleRevision.objects.select_related("article__category")
        .only("title", "number", "article__category__name")
        .filter(pk__in=[*feedback.keys(), *per_revision.keys(), 0])
    }

    rows: list[RevisionRow] = []
    categories: dict[str, CategoryRow] = {}
    for pk, revision in revisions.items():
        votes = feedback.get(pk, {"yes": 0, "no": 0, "deflections": 0})
        rated = per_revision.get(pk, {"good": 0, "bad": 0})
        rows.append(RevisionRow(revision, **votes, ratings=Ratings(**rated)))
        category = revision.article.category
        name = category.name if category else "Uncategorised"
        row = categories.setdefault(name, CategoryRow(name))
        row.deflections += votes["deflections"]
        row.yes += votes["yes"]
        row.no += votes["no"]
    rows.sort(key=lambda r: (-r.deflections, -(r.yes + r.no), r.revision.title, r.revision.number))

    agents: dict[str, Ratings] = {}
    inboxes: dict[str, Ratings] = {}
    total = Ratings()
    for group in groups:
        who = group["agent_name"] or group["agent_username"] or "The customer (this is solved)"
        for bucket in (
            agents.setdefault(who, Ratings()),
            inboxes.setdefault(group["inbox_name"] or "?", Ratings()),
            total,
        ):
            bucket.good += group["good"]
            bucket.bad += group["bad"]

    return SelfService(
        deflections=sum(r["deflections"] for r in feedback.values()),
        tickets=created_count(scope),
        yes=sum(r["yes"] for r in feedback.values()),
        no=sum(r["no"] for r in feedback.values()),
        ratings=total,
        second_look=sum(g["unseen"] for g in groups),
        revisions=rows,
        categories=sorted(categories.values(), key=lambda c: (-c.deflections, c.name)),
        agents=sorted(agents.items(), key=lambda a: (-a[1].rated, a[0])),
        inboxes=sorted(inboxes.items()),
    )
