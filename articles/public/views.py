"""The public help center: no sign-in, published revisions only.

The home, page and sitemap are the same for everyone, so they are rendered
without the request (no session, no cookie, no per-visitor token), kept in the
shared cache under the published version and served with that version as
ETag and Last-Modified. An article page carries the vote form and its CSRF
token, so its ETag also covers the visitor's CSRF cookie.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article, HelpCenterPage
from articles.public import content, throttle
from articles.public.feedback import record_feedback
from articles.public.forms import FeedbackForm
from articles.suggest.ranking import search_articles, suggest_articles
from supportdesk.inputs import text_param

PAGE_CACHE_SECONDS = 600
# Browsers and proxies may keep a page this long before asking again (ETag).
MAX_AGE = 60
SEARCH_LIMIT = 10
QUERY_LENGTH = 200
VOTES_PER_HOUR = 20


def _conditional(
    request: HttpRequest, etag: str, last_modified, build: Callable[[], str], *, public: bool
) -> HttpResponse:
    """304 when the visitor's copy is current, else the page ``build`` makes."""
    etag = f'"{etag}"'
    stamp = last_modified.timestamp() if last_modified else None
    unchanged = get_conditional_response(request, etag=etag, last_modified=stamp)
    response = unchanged or HttpResponse(build())
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    if public:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    return response


def _shared_page(request: HttpRequest, name: str, build: Callable[[], str]) -> HttpResponse:
    """A page everyone sees alike, from the shared cache when the version is current."""
    version = content.published_version()
    key = f"help:page:{name}:{request.get_host()}:{version.etag}"

    def cached() -> str:
        return cache.get_or_set(key, build, PAGE_CACHE_SECONDS)

    return _conditional(request, version.etag, version.last_modified, cached, public=True)


def _meta(request: HttpRequest, path: str, title: str, description: str) -> dict:
    return {
        "page_title": title,
        "description": description,
        "canonical": request.build_absolute_uri(path),
        "support_address": settings.SUPPORT_ADDRESS,
    }


@login_not_required
@require_GET
def help_home(request: HttpRequest) -> HttpResponse:
    def build() -> str:
        page = content.default_page()
        shape = content.page_shape(page) if page else None
        context = _meta(
            request,
            reverse("help:home"),
            "Help center",
            (shape.description if shape else "")
            or "Answers to common questions, and how to reach us.",
        )
        context.update({"categories": content.by_category(), "shape": shape})
        return render_to_string("help/home.html", context)

    return _shared_page(request, "home", build)


@login_not_required
@require_GET
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(HelpCenterPage, slug=slug)

    def build() -> str:
        shape = content.page_shape(page)
        context = _meta(request, reverse("help:page", args=[slug]), shape.title, shape.description)
        context["shape"] = shape
        return render_to_string("help/page.html", context)

    return _shared_page(request, f"page:{slug}", build)


@login_not_required
@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    def build() -> str:
        articles = Article.objects.published().order_by("slug").values_list("slug", "published_at")
        urls = [(reverse("help:home"), content.published_version().last_modified)]
        urls += [
            (reverse("help:page", args=[page.slug]), page.updated_at)
            for page in HelpCenterPage.objects.order_by("slug")
        ]
        urls += [(reverse("help:article", args=[slug]), stamp) for slug, stamp in articles]
        entries = [(request.build_absolute_uri(path), stamp) for path, stamp in urls]
        return render_to_string("help/sitemap.xml", {"entries": entries})

    response = _shared_page(request, "sitemap", build)
    response["Content-Type"] = "application/xml; charset=utf-8"
    return response


def _article(slug: str) -> Article:
    return get_object_or_404(content.public_articles(), slug=slug)


@login_not_required
@require_GET
def help_article(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article(slug)
    revision = article.published_revision
    # The vote form's CSRF token belongs to the visitor's cookie: a copy made for
    # another cookie must not be reused.
    token = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    etag = hashlib.sha256(f"{revision.pk}:{article.category_id}:{token}".encode()).hexdigest()[:32]

    def build() -> str:
        context = _meta(
            request,
            reverse("help:article", args=[slug]),
            revision.title,
            content.description_of(revision.body),
        )
        context.update(
            {
                "article": article,
                "title": revision.title,
                "body": content.rendered_body(revision.pk, revision.body),
                "form": FeedbackForm(),
                "contact_html": content.contact_html(),
            }
        )
        return render(request, "help/article.html", context).content.decode()

    return _conditional(request, etag, article.published_at, build, public=False)


@login_not_required
@require_http_methods(["GET", "POST"])
def help_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Did this answer your question?": one answer per click, rate-limited per
    client; then a redirect to the thanks (GET), so reloading votes no twice."""
    article = _article(slug)
    context = {"article": article, "title": article.published_revision.title}
    if request.method == "GET":
        context["helpful"] = request.GET.get("answer") == "yes"
        return render(request, "help/feedback.html", context)
    form = FeedbackForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "help/feedback.html", context, status=400)
    if not throttle.allow(
        "vote", throttle.client_key(request), limit=VOTES_PER_HOUR, seconds=3600
    ):
        context["too_many"] = True
        return render(request, "help/feedback.html", context, status=429)
    helpful = form.cleaned_data["helpful"]
    record_feedback(article, helpful=helpful, comment=form.cleaned_data["comment"])
    url = reverse("help:feedback", args=[slug])
    return redirect(f"{url}?answer={'yes' if helpful else 'no'}")


@login_not_required
@require_GET
def help_search(request: HttpRequest) -> HttpResponse:
    """Search with the ranking agents' suggestions use; when it finds nothing
    sure enough, the looser ranking of the agents' article picker."""
    query = " ".join(text_param(request.GET, "q", QUERY_LENGTH * 2).split())[:QUERY_LENGTH]
    version = content.published_version()
    etag = hashlib.sha256(f"{version.etag}:{query}".encode()).hexdigest()[:32]

    def build() -> str:
        results = []
        if query:
            suggestions = suggest_articles(query, limit=SEARCH_LIMIT)
            results = [(s.article, s.passage) for s in suggestions]
            if not results:
                results = [(a, "") for a in search_articles(query, limit=SEARCH_LIMIT)]
        hits = [
            {
                "slug": article.slug,
                "title": article.published_revision.title,
                "summary": passage or content.description_of(article.published_revision.body),
            }
            for article, passage in results
        ]
        context = _meta(
            request,
            reverse("help:search"),
            f"Search: {query}" if query else "Search",
            "Search the help center.",
        )
        context.update({"query": query, "hits": hits})
        return render_to_string("help/search.html", context)

    return _conditional(request, etag, version.last_modified, build, public=True)
