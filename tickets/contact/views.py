"""/help/contact/: the form, the articles beside it, "this solved it", the receipt."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Article
from articles.public import content, throttle
from articles.public.feedback import record_deflection
from articles.suggest.learning import deflection_terms
from articles.suggest.ranking import Suggestion, suggest_articles
from tickets.contact.forms import TOPICS, ContactForm, SolvedForm
from tickets.contact.services import ContactMessage, file_contact
from tickets.models import Inbox

SUGGESTIONS = 3
# What the suggestions read of the message: its start states the problem.
SUGGEST_TEXT = 2_000
PER_IP_PER_HOUR = 10
PER_EMAIL_PER_HOUR = 5
DEFLECTIONS_PER_HOUR = 30
SENT_SALT = "help-contact-sent"
SENT_MAX_AGE = 24 * 3600


def suggestions_for(subject: str, message: str, topic: str) -> list[dict]:
    """The articles to show beside the form: the agents' suggestions for the same words."""
    text = f"{subject}\n{message}"[:SUGGEST_TEXT]
    if not text.strip():
        return []
    found: list[Suggestion] = suggest_articles(
        text, inbox_slug=topic if topic in TOPICS else None, limit=SUGGESTIONS
    )
    # A "this solved it" teaches the suggestions which words led to the article.
    terms = deflection_terms(text) if found else ""
    return [
        {
            "slug": s.article.slug,
            "title": s.article.published_revision.title,
            "revision_id": s.article.published_revision_id,
            "body": content.rendered_body(
                s.article.published_revision_id, s.article.published_revision.body
            ),
            "terms": terms,
        }
        for s in found
    ]


@login_not_required
@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            return _send(request, form)
        status = 400
    else:
        status = 200
    data = form.data if form.is_bound else {}
    context = {
        "form": form,
        "page_title": "Contact support",
        "description": "Write to support; the answers that match your words appear as you type.",
        "canonical": request.build_absolute_uri(reverse("contact:form")),
        # Without JavaScript the answers come with the page (after a refused send).
        "suggestions": suggestions_for(
            data.get("subject", ""), data.get("message", ""), data.get("topic", "")
        ),
        "max_upload": settings.ATTACHMENT_MAX_BYTES,
    }
    return render(request, "help/contact.html", context, status=status)


def _send(request: HttpRequest, form: ContactForm) -> HttpResponse:
    data = form.cleaned_data
    if form.is_spam:
        # Robots get the same answer as people, and nothing is filed.
        return redirect("contact:sent", token=signing.dumps([0, True], salt=SENT_SALT))
    if not (
        throttle.allow(
            "contact-ip", throttle.client_key(request), limit=PER_IP_PER_HOUR, seconds=3600
        )
        and throttle.allow(
            "contact-email",
            throttle.email_key(data["email"]),
            limit=PER_EMAIL_PER_HOUR,
            seconds=3600,
        )  # fmt: skip
    ):
        form.add_error(
            None,
            "You have sent us several messages in the last hour. Please wait a little, or "
            f"email {settings.SUPPORT_ADDRESS} directly. Your text is still here.",
        )
        context = {"form": form, "page_title": "Contact support", "suggestions": []}
        return render(request, "help/contact.html", context, status=429)
    inbox = Inbox.objects.get(slug=data["topic"])
    message, new_ticket = file_contact(
        ContactMessage(
            inbox=inbox,
            email=data["email"],
            name=data["name"],
            subject=data["subject"],
            message=data["message"],
            files=data["screenshots"],
            shown=data["shown"],
        )
    )
    # The receipt says "we email you a confirmation" only when one is on its way.
    acknowledged = new_ticket and inbox.acknowledge_new_tickets
    token = signing.dumps([message.ticket_id, acknowledged], salt=SENT_SALT)
    return redirect("contact:sent", token=token)


@login_not_required
@require_GET
def contact_sent(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt: the ticket number and what happens next, nothing else of the ticket."""
    try:
        number, acknowledged = signing.loads(token, salt=SENT_SALT, max_age=SENT_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404("This receipt link is not valid.") from None
    context = {
        "number": number,
        "acknowledged": acknowledged,
        "page_title": "Message sent",
        "description": "",
    }
    return render(request, "help/contact_sent.html", context)


@login_not_required
@require_GET
def contact_suggest(request: HttpRequest) -> HttpResponse:
    """The answers beside the form, swapped in by htmx while the customer types."""
    context = {
        "suggestions": suggestions_for(
            request.GET.get("subject", "")[:SUGGEST_TEXT],
            request.GET.get("message", "")[:SUGGEST_TEXT],
            request.GET.get("topic", ""),
        ),
        "searched": True,
    }
    return render(request, "help/contact.html#suggestions", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def contact_solved(request: HttpRequest) -> HttpResponse:
    """ "Yes, this solved it": a deflection for that revision, and no ticket; then
    a redirect to the same page by GET, so reloading it counts no second one."""
    form = SolvedForm(request.POST if request.method == "POST" else request.GET)
    article = None
    if form.is_valid():
        article = (
            Article.objects.published()
            .select_related("published_revision")
            .filter(published_revision_id=form.cleaned_data["revision"])
            .first()
        )
    if article is None:
        raise Http404("That answer is not published any more.")
    if request.method == "POST":
        if throttle.allow(
            "deflection", throttle.client_key(request), limit=DEFLECTIONS_PER_HOUR, seconds=3600
        ):
            record_deflection(article, terms=form.cleaned_data["terms"])
        return redirect(f"{reverse('contact:solved')}?revision={article.published_revision_id}")
    context = {
        "article": article,
        "title": article.published_revision.title,
        "page_title": "Glad it is solved",
        "description": "",
    }
    return render(request, "help/contact_solved.html", context)
