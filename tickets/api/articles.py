"""/api/v1/articles/: published articles for everyone; editors also drafts, and
create, save revisions (the editor page's conflict rule), send for review, publish."""

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from articles import queries, services
from articles.models import Article, ArticleRevision, IssueCategory
from supportdesk import roles
from supportdesk.inputs import with_nul
from supportdesk.roles import EDITOR, ROLES
from tickets.api.auth import require_role
from tickets.api.base import ApiView
from tickets.api.serializers import (
    ArticleCreateSerializer,
    ArticleDetailSerializer,
    ArticlePageSerializer,
    ArticleSerializer,
    EditorArticleSerializer,
    RevisionCreateSerializer,
    RevisionSerializer,
)

PAGE_SIZE = 50
PUBLISH_PERMISSION = "articles.publish_article"


def _get_article(request: Request, slug: str) -> Article:
    """Drafts do not exist for non-editors (articles.queries.readable)."""
    article = (
        queries.readable(request.user)
        .select_related(
            "category",
            "current_revision__author",
            "published_revision__author",
        )
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404(f"No article {slug!r} that you can read.")
    return article


def _shown(request: Request, article: Article) -> dict:
    if roles.is_editor(request.user):
        return EditorArticleSerializer(article).data
    return ArticleDetailSerializer(article).data


def _category(slug: str | None) -> IssueCategory | None:
    if not slug:
        return None
    category = IssueCategory.objects.filter(slug=slug).first()
    if category is None:
        raise ValidationError({"category": [f"No category {slug!r}."]})
    return category


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ArticleList(ApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Search title and text."),
            OpenApiParameter("category", OpenApiTypes.STR, description="A category slug."),
            OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
        ],
        responses=ArticlePageSerializer,
        operation_id="articles_list",
    )
    def get(self, request: Request) -> Response:
        """Published articles (editors: every article), by title."""
        require_role(request, *ROLES)
        editor = roles.is_editor(request.user)
        articles = queries.readable(request.user).select_related("category", "published_revision")
        if bad := with_nul(request.query_params, "category", "q"):
            raise ValidationError({name: ["Contains a NUL character."] for name in bad})
        if slug := request.query_params.get("category"):
            articles = articles.filter(category__slug=slug)
        if q := request.query_params.get("q", "").strip()[:200]:
            # Readers match the published text only, never an unpublished revision's.
            fields = {} if editor else {"title": "published_revision__title",
                                        "body": "published_revision__body"}  # fmt: skip
            articles = queries.search(articles, q, **fields)
        else:
            articles = articles.order_by("title", "pk")
        number = request.query_params.get("page", "1")
        if not number.isdigit() or int(number) < 1:
            raise ValidationError({"page": ["A page number from 1."]})
        paginator = Paginator(articles, PAGE_SIZE)
        if int(number) > max(paginator.num_pages, 1):
            raise Http404("No such page.")
        page = paginator.page(int(number)) if paginator.count else None
        rows = list(page.object_list) if page else []

        def url(n: int) -> str:
            query = request.query_params.copy()
            query["page"] = str(n)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "results": ArticleSerializer(rows, many=True).data,
                "next": url(page.next_page_number()) if page and page.has_next() else None,
                "previous": url(page.previous_page_number())
                if page and page.has_previous()
                else None,
            }
        )

    @extend_schema(
        request=ArticleCreateSerializer,
        responses={201: EditorArticleSerializer},
        operation_id="articles_create",
    )
    def post(self, request: Request) -> Response:
        """A new draft with its first revision (editors)."""
        require_role(request, EDITOR)
        data = _valid(ArticleCreateSerializer, request)
        article = services.create_article(
            title=data["title"],
            body=data["body"],
            by=request.user,
            category=_category(data["category"]),
            note=data["note"],
        )
        response = Response(
            _shown(request, _get_article(request, article.slug)), status=http.HTTP_201_CREATED
        )
        response["Location"] = reverse("api:article", args=[article.slug])
        return response


class ArticleDetail(ApiView):
    @extend_schema(responses=EditorArticleSerializer, operation_id="articles_read")
    def get(self, request: Request, slug: str) -> Response:
        """The published text; editors also get the latest revision."""
        require_role(request, *ROLES)
        article = _get_article(request, slug)
        return Response(_shown(request, article))


class ArticleRevisions(ApiView):
    @extend_schema(
        request=RevisionCreateSerializer,
        responses={201: RevisionSerializer},
        operation_id="articles_revise",
    )
    def post(self, request: Request, slug: str) -> Response:
        """Save an edit as a new revision, unless someone saved since base_revision:
        then 409 with their revision, and nothing is lost or overwritten."""
        require_role(request, EDITOR)
        article = _get_article(request, slug)
        data = _valid(RevisionCreateSerializer, request)
        base = ArticleRevision.objects.filter(
            article=article, number=data["base_revision"]
        ).first()
        if base is None:
            raise ValidationError({"base_revision": ["This article has no such revision."]})
        revision = services.save_revision(
            article, title=data["title"], body=data["body"], by=request.user,
            base_revision=base, note=data["note"],
        )  # fmt: skip
        return Response(RevisionSerializer(revision).data, status=http.HTTP_201_CREATED)


class ArticleReview(ApiView):
    @extend_schema(request=None, responses=EditorArticleSerializer, operation_id="articles_review")
    def post(self, request: Request, slug: str) -> Response:
        """Send the current revision for an editor's approval."""
        require_role(request, EDITOR)
        article = _get_article(request, slug)
        services.send_for_review(article, by=request.user)
        return Response(_shown(request, _get_article(request, slug)))


class ArticlePublish(ApiView):
    @extend_schema(
        request=None, responses=EditorArticleSerializer, operation_id="articles_publish"
    )
    def post(self, request: Request, slug: str) -> Response:
        """Approve and publish the current revision (editors allowed to publish)."""
        require_role(request, EDITOR)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied("Only editors may approve and publish articles.")
        article = _get_article(request, slug)
        services.publish_article(article, by=request.user)
        return Response(_shown(request, _get_article(request, slug)))
