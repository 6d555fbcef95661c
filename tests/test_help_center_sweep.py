"""Nothing internal reaches a public page (issue 14).

With drafts, editors' notes, internal ticket notes and billing data present,
every public URL (the help center, the contact form and the customer's own
ticket through its signed link, from the resolver, so new ones are swept too)
is requested anonymously, GET and POST, with its parameters pointing at real
objects; none of the secrets may appear. The customer's link opens their own
ticket, whose internal note and the note's file are secrets too.
"""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, IssueCategoryFactory, MessageFactory, TicketFactory
from tests.urlwalk import fill, walk
from tickets import services as ticket_services
from tickets.models import ContactArticle, Message
from tickets.portal import links

SECRETS = {
    "draft title": "Refund loophole DRAFTQX",
    "draft body": "internal workaround DRAFTBODYQX",
    "revision note": "legal asked us to hide QXNOTE",
    "archived article": "Old pricing ARCHIVEDQX",
    "editor": "editorqx",
    "billing subject": "Refund for invoice ZQX-7731",
    "billing email": "zqx.payer@billing-secret.example",
    "billing message": "card ending 7731 was charged twice by ZQX",
    "internal note": "customer is a known chargeback risk NOTEQX",
    "agent": "agentqx",
    "category note": "editors only CATNOTEQX",
    "own ticket's note": "refund them quietly OWNNOTEQX",
    "own ticket's note file": "NOTEFILEQX.png",
}
PUBLIC_NAMESPACES = ("help:", "contact:", "customer:")


@pytest.fixture
def world(general_inbox, billing_inbox, editor, agent):
    cache.clear()
    editor.username, editor.first_name = SECRETS["editor"], SECRETS["editor"]
    editor.save()
    agent.username, agent.first_name = SECRETS["agent"], SECRETS["agent"]
    agent.save()
    billing = IssueCategoryFactory(slug="billing")
    billing.description = SECRETS["category note"]
    billing.save()
    published = ArticleFactory(
        slug="sample", title="Credits refresh monthly", category=billing, owner=editor,
        body="Subscription credits refresh on your billing anniversary.",
    )  # fmt: skip
    services.save_revision(
        published,
        title=SECRETS["draft title"],
        body=SECRETS["draft body"],
        by=editor,
        base_revision=published.current_revision,
        note=SECRETS["revision note"],
    )
    ArticleFactory(status=Article.Status.DRAFT, title=SECRETS["draft title"] + " 2")
    archived = ArticleFactory(title=SECRETS["archived article"])
    services.archive_article(archived, by=editor)
    ticket = TicketFactory(
        inbox=billing_inbox, subject=SECRETS["billing subject"],
        customer__email=SECRETS["billing email"], assignee=agent,
    )  # fmt: skip
    MessageFactory(ticket=ticket, body_text=SECRETS["billing message"])
    MessageFactory(
        ticket=ticket, kind=Message.Kind.NOTE, author=agent, body_text=SECRETS["internal note"]
    )
    ContactArticle.objects.create(
        ticket=ticket, article=published, revision=published.published_revision
    )
    yield published
    cache.clear()


@pytest.fixture
def own_ticket(world, general_inbox, agent, settings, tmp_path):
    """A customer's own ticket, as their signed link opens it: (token, note file id)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    ticket = TicketFactory(inbox=general_inbox, subject="My video stops", assignee=agent)
    MessageFactory(ticket=ticket, body_text="It stops at 90%.")
    MessageFactory(ticket=ticket, kind=Message.Kind.REPLY, author=agent, body_text="Try again.")
    note = MessageFactory(
        ticket=ticket, kind=Message.Kind.NOTE, author=agent, body_text=SECRETS["own ticket's note"]
    )
    upload = SimpleUploadedFile(SECRETS["own ticket's note file"], b"GIF89a", "image/gif")
    [note_file] = ticket_services.attach_files(note, [upload])
    return links.issue_link(ticket), note_file.pk


def public_paths(article, own: tuple[str, int] = ("", 0)) -> list[str]:
    token, note_file = own

    def value(name: str, converter: str) -> str | None:
        if name == "slug":
            return article.slug
        if name == "token" and token:
            return token
        if name == "attachment_id" and note_file:
            return str(note_file)
        return None

    paths = []
    for route in walk():
        if route.name == "sitemap" or route.name.startswith(PUBLIC_NAMESPACES):
            path = fill(route, value)
            if path is not None:
                paths.append(path)
    return paths


def test_no_public_page_shows_anything_internal(world, own_ticket):
    client = Client()
    problems = []
    queries = ["", "?q=refund+invoice+ZQX", "?q=DRAFTQX", "?subject=refund&message=invoice+ZQX"]
    for path in public_paths(world, own_ticket):
        for query in queries:
            for method in ("get", "post"):
                data = {"subject": "refund DRAFTQX", "message": "ZQX", "revision": "1"}
                response = getattr(client, method)(
                    path + query, data if method == "post" else None
                )
                assert response.status_code < 500, f"{method} {path}{query}"
                text = response.content.decode() + response.get("Location", "")
                url = path + query + " ".join(data.values())
                found = [n for n, s in SECRETS.items() if s in text and s not in url]
                if found:
                    problems.append(f"{method.upper()} {path}{query}: {', '.join(found)}")
    assert problems == []


def test_the_sweep_reaches_the_article_and_its_published_words(world, own_ticket):
    client = Client()
    paths = public_paths(world, own_ticket)
    token, _ = own_ticket
    assert f"/help/tickets/{token}/" in paths and f"/help/tickets/{token}/reply/" in paths
    own = client.get(f"/help/tickets/{token}/").text
    assert "My video stops" in own and "It stops at 90%." in own and "Try again." in own

    assert "/help/sample/" in paths and "/help/contact/" in paths and "/sitemap.xml" in paths
    assert "Subscription credits refresh" in client.get("/help/sample/").text
    assert "Credits refresh monthly" in client.get("/help/").text
    search = client.get("/help/search/?q=credits+refresh").text
    assert "Credits refresh monthly" in search
