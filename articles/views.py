"""The knowledge base pages. Editors write; agents and managers read published articles."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import queries, services
from articles.diffing import diff_lines, diff_revisions
from articles.figures import ArticleFigures, figures_for
from articles.forms import (
    ArticleFilterForm,
    ArticleForm,
    HelpCenterApplyForm,
    HelpCenterUploadForm,
    RestoreForm,
    prefill,
)
from articles.help_center import export_page, import_page
from articles.mdx import MdxError
from articles.models import Article, ArticleRevision, HelpCenterPage
from articles.rendering import render_markdown
from supportdesk import roles
from supportdesk.roles import EDITOR, ROLES, role_required

PAGE_SIZE = 50
PUBLISH_PERMISSION = "articles.publish_article"


def _get_article(request: HttpRequest, slug: str) -> Article:
    """The one way views fetch an article: drafts do not exist for non-editors."""
    articles = queries.readable(request.user).select_related(
        "category", "owner", "current_revision", "published_revision", "page"
    )
    return get_object_or_404(articles, slug=slug)


def _require_publisher(request: HttpRequest) -> None:
    if not (roles.is_editor(request.user) and request.user.has_perm(PUBLISH_PERMISSION)):
        raise PermissionDenied("Only editors may approve and publish articles.")


@role_required(*ROLES)
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    """The list with filters and search; the table swaps in place and the URL holds the filters."""
    form = ArticleFilterForm(request.GET or None)
    form.is_valid()  # an invalid filter is shown as an error; the valid ones still apply
    data = form.cleaned_data if form.is_bound else {}
    articles = queries.filtered(request.user, data)
    editor = roles.is_editor(request.user)
    if editor and data.get("needs") == "attention":
        rows = [
            row
            for row in queries.with_figures(request.user, articles)
            if row.figures.needs_attention
        ]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = (
            queries.with_figures(request.user, page.object_list)
            if editor
            else [queries.Row(a, ArticleFigures()) for a in page.object_list]
        )
    template = "articles/article_list.html"
    if request.htmx and request.htmx.target == "article-table":
        template += "#article-table"
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"form": form, "page": page, "is_editor": editor, "query": query.urlencode()},
    )


@role_required(*ROLES)
@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article as customers get it; editors also see the latest revision and actions."""
    article = _get_article(request, slug)
    editor = roles.is_editor(request.user)
    shown = article.current_revision if editor else article.published_revision
    if shown is None:
        raise Http404("This article has no text yet.")
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "revision": shown,
            "html": render_markdown(shown.body),
            "is_editor": editor,
            "can_publish": editor and request.user.has_perm(PUBLISH_PERMISSION),
        },
    )


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    initial = {"owner": request.user}
    if request.method == "GET":
        initial |= prefill(request.GET)
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article = services.create_article(
            title=data["title"],
            body=data["body"],
            by=request.user,
            category=data["category"],
            owner=data["owner"] or request.user,
            note=data["note"],
            page=data["page"],
        )
        messages.success(request, f"“{article.title}” saved as a draft (revision 1).")
        return redirect("articles:edit", slug=article.slug)
    return render(
        request,
        "articles/article_form.html",
        {"form": form, "article": None, "preview": render_markdown(form["body"].value() or "")},
    )


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit as a new revision; a save based on an old revision is refused, nothing lost."""
    article = _get_article(request, slug)
    current = article.current_revision
    initial = {
        "title": article.title,
        "body": article.body,
        "category": article.category,
        "owner": article.owner,
        "page": article.page,
        "base_revision": current.pk if current else None,
    }
    form = ArticleForm(request.POST or None, initial=initial)
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_edit(request, article, form.cleaned_data)
        except services.Conflict as error:
            conflict, status = error, 409
            # Saving again after seeing their text is a deliberate choice: base it on theirs.
            form.data = form.data.copy()
            form.data["base_revision"] = error.theirs.pk
        else:
            if saved is None:
                messages.info(request, "Saved the details; the text did not change.")
            else:
                messages.success(request, f"Saved revision {saved.number}.")
            return redirect("articles:edit", slug=article.slug)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "article": article,
        "current": current,
        "preview": render_markdown(form["body"].value() or ""),
        "conflict": conflict,
        "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
    }
    if conflict:
        context["theirs_html"] = render_markdown(conflict.theirs.body)
        context["mine_html"] = render_markdown(form.cleaned_data["body"])
        context["conflict_diff"] = diff_lines(conflict.theirs.body, form.cleaned_data["body"])
    return render(request, "articles/article_form.html", context, status=status)


def _save_edit(request: HttpRequest, article: Article, data: dict) -> ArticleRevision | None:
    """Details change in place; title and body only ever as a new revision."""
    details = {name: data[name] for name in ("category", "owner", "page")}
    changed = [name for name, value in details.items() if getattr(article, name) != value]
    base = ArticleRevision.objects.filter(pk=data["base_revision"], article=article).first()
    revision = None
    if (data["title"], data["body"]) != (article.title, article.body) or (
        base is not None and base.pk != article.current_revision_id
    ):
        revision = services.save_revision(
            article,
            title=data["title"],
            body=data["body"],
            by=request.user,
            base_revision=base,
            note=data["note"],
        )
    if changed:
        for name in changed:
            setattr(article, name, details[name])
        article.save(update_fields=changed)
    return revision


@role_required(EDITOR)
@require_POST
def article_preview(request: HttpRequest) -> HttpResponse:
    """The live preview beside the editor (debounced hx-post of the body)."""
    return render(
        request,
        "articles/article_form.html#preview",
        {"preview": render_markdown(request.POST.get("body", "")[:200_000])},
    )


@role_required(EDITOR)
@require_POST
def article_send_for_review(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    try:
        services.send_for_review(article, by=request.user)
    except services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{article.title}” is waiting for an editor's approval.")
    return redirect(article)


@role_required(EDITOR)
@require_POST
def article_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Approve and publish the current revision."""
    _require_publisher(request)
    article = _get_article(request, slug)
    try:
        services.publish_article(article, by=request.user)
    except services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Published revision {article.published_revision.number}; "
            f"review due {article.review_due:%d %b %Y}.",
        )
    return redirect(article)


@role_required(EDITOR)
@require_POST
def article_confirm_review(request: HttpRequest, slug: str) -> HttpResponse:
    """Checked and still true: the next review is due in 90 days."""
    _require_publisher(request)
    article = _get_article(request, slug)
    try:
        services.confirm_review(article, by=request.user)
    except services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Reviewed; next review due {article.review_due:%d %b %Y}.")
    if request.POST.get("next_page") == "needs_review":
        return redirect("articles:needs_review")
    return redirect(article)


@role_required(EDITOR)
@require_POST
def article_archive(request: HttpRequest, slug: str) -> HttpResponse:
    _require_publisher(request)
    article = _get_article(request, slug)
    if article.status == Article.Status.ARCHIVED:
        services.unarchive_article(article, by=request.user)
        messages.success(request, f"“{article.title}” is a draft again.")
    else:
        services.archive_article(article, by=request.user)
        messages.success(request, f"Archived “{article.title}”; agents no longer see it.")
    return redirect(article)


@role_required(EDITOR)
@require_GET
def article_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every revision with who, why, and what it earned on tickets."""
    article = _get_article(request, slug)
    revisions = list(article.revisions.select_related("author").order_by("-number"))
    figures = figures_for(request.user, [article.pk], days=3650, by_revision=True)
    per_revision = {f.revision_id: f for f in figures.get(article.pk, ArticleFigures()).revisions}
    rows = [(revision, per_revision.get(revision.pk)) for revision in revisions]
    return render(request, "articles/article_history.html", {"article": article, "rows": rows})


@role_required(EDITOR)
@require_GET
def article_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed between two revisions (?a=2&b=5, by number)."""
    article = _get_article(request, slug)
    numbers = {}
    for key in ("a", "b"):
        try:
            numbers[key] = int(request.GET.get(key, ""))
        except ValueError:
            messages.error(request, "Pick two revisions to compare.")
            return redirect("articles:history", slug=article.slug)
    old = get_object_or_404(
        article.revisions.select_related("author"), number=min(numbers.values())
    )
    new = get_object_or_404(
        article.revisions.select_related("author"), number=max(numbers.values())
    )
    return render(
        request,
        "articles/article_diff.html",
        {"article": article, "old": old, "new": new, "diff": diff_revisions(old, new)},
    )


@role_required(EDITOR)
@require_POST
def article_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = _get_article(request, slug)
    revision = get_object_or_404(article.revisions, number=number)
    form = RestoreForm(request.POST)
    base_id = form.cleaned_data["base_revision"] if form.is_valid() else None
    base = article.revisions.filter(pk=base_id).first() if base_id else None
    try:
        new = services.restore_revision(
            article, revision=revision, by=request.user, base_revision=base
        )
    except services.Conflict as error:
        messages.error(
            request,
            f"Not restored: revision {error.theirs.number} was saved meanwhile. Look at it first.",
        )
        return redirect("articles:history", slug=article.slug)
    restored = f"Restored revision {number} as revision {new.number}."
    if article.published_revision_id and article.published_revision_id != new.pk:
        restored += " The live article is unchanged until you publish it."
    messages.success(request, restored)
    return redirect("articles:edit", slug=article.slug)


@role_required(EDITOR)
@require_GET
def needs_review(request: HttpRequest) -> HttpResponse:
    """Overdue first, then the ones due soon; and drafts waiting for approval."""
    can_publish = request.user.has_perm(PUBLISH_PERMISSION)
    return render(
        request,
        "articles/needs_review.html",
        {**queries.review_lists(), "can_publish": can_publish},
    )


@role_required(EDITOR)
@require_GET
def needs_attention(request: HttpRequest) -> HttpResponse:
    """Published articles whose recent fixes keep getting reopened, with the tickets."""
    return render(
        request, "articles/needs_attention.html", {"rows": queries.needing_attention(request.user)}
    )


def home_panel(request: HttpRequest) -> dict | None:
    """What the home page shows of articles for this user; None shows nothing."""
    if not roles.is_editor(request.user):
        return None
    lists = queries.review_lists(limit=5)
    return {**lists, "attention": queries.needing_attention(request.user)[:5]}


def search_results(request: HttpRequest, query: str) -> list:
    """Articles matching the top-bar search (by title) that this user may see."""
    # Readers match the published title, never the words of an unpublished revision.
    field = "title" if roles.is_editor(request.user) else "published_revision__title"
    articles = (
        queries.readable(request.user)
        .filter(**{f"{field}__icontains": query.strip()})
        .annotate(shown_title=F(field))
    )
    return list(articles.select_related("category").order_by("shown_title")[:20])


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def help_center(request: HttpRequest) -> HttpResponse:
    """Import a page (upload; dry run first by default) and download the export."""
    applying = request.method == "POST" and "text" in request.POST
    form = HelpCenterUploadForm(None if applying else request.POST or None, request.FILES or None)
    report = problems = upload = None
    status = 200
    if request.method == "POST":
        _require_publisher(request)  # an import publishes
        if applying:
            apply_form = HelpCenterApplyForm(request.POST)
            if apply_form.is_valid():
                upload = apply_form.cleaned_data["name"], apply_form.cleaned_data["text"], False
        elif form.is_valid():
            name, text = form.cleaned_data["file"]
            upload = name, text, form.cleaned_data["dry_run"]
        if upload is None:
            status = 400
        else:
            name, text, dry_run = upload
            try:
                report = import_page(
                    text, slug=Path(name).stem, by=request.user, dry_run=dry_run, source=name
                )
            except MdxError as error:
                problems, status = error.problems, 400
    pages = HelpCenterPage.objects.annotate(
        published=Count("articles", filter=Q(articles__in=Article.objects.published()))
    )
    return render(
        request,
        "articles/help_center.html",
        {
            "form": form,
            "report": report,
            "problems": problems,
            "pages": pages,
            # After a clean dry run, the page read is offered to apply as it is.
            "applicable": upload if report and report.dry_run else None,
        },
        status=status,
    )


@role_required(EDITOR)
@require_GET
def help_center_export(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(HelpCenterPage, slug=slug)
    response = HttpResponse(export_page(page), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.mdx"'
    return response
