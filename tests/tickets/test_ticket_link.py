import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, TicketFactory
from tickets.models import ArticleLink, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, status=Ticket.Status.OPEN)


def url(ticket) -> str:
    return reverse("tickets:link", args=[ticket.pk])


def test_link_records_the_published_revision_without_sending(client, general_agent, ticket):
    article = ArticleFactory(title="Clear the cache")
    client.force_login(general_agent)

    response = client.post(url(ticket), {"article": article.pk})

    assert response.status_code == 302
    link = ArticleLink.objects.get(ticket=ticket)
    assert link.revision == article.published_revision and link.revision.number == 1
    assert not link.is_sent and link.message is None and link.linked_by == general_agent


def test_htmx_link_rerenders_the_articles_column(client, general_agent, ticket):
    article = ArticleFactory(title="Clear the cache")
    client.force_login(general_agent)

    response = client.post(url(ticket), {"article": article.pk}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="articles">')
    assert "Linked “Clear the cache” (revision 1)." in page
    assert '<span class="tag">linked</span>' in page


def test_linking_twice_keeps_one_link(client, general_agent, ticket):
    article = ArticleFactory()
    client.force_login(general_agent)

    client.post(url(ticket), {"article": article.pk})
    client.post(url(ticket), {"article": article.pk})

    assert ArticleLink.objects.filter(ticket=ticket).count() == 1


def test_a_draft_or_unknown_article_is_404(client, general_agent, ticket):
    client.force_login(general_agent)

    assert (
        client.post(url(ticket), {"article": ArticleFactory(status="draft").pk}).status_code == 404
    )
    assert client.post(url(ticket), {"article": "nope"}).status_code == 404
    assert not ArticleLink.objects.exists()


def test_a_solved_ticket_takes_no_new_links(client, general_agent, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status="solved")
    client.force_login(general_agent)

    client.post(url(ticket), {"article": ArticleFactory().pk})

    assert not ArticleLink.objects.exists()


def test_other_inbox_404_manager_403_get_405(
    client, billing_agent, manager, general_agent, ticket
):
    article = ArticleFactory()
    client.force_login(billing_agent)
    assert client.post(url(ticket), {"article": article.pk}).status_code == 404
    client.force_login(manager)
    assert client.post(url(ticket), {"article": article.pk}).status_code == 403
    client.force_login(general_agent)
    assert client.get(url(ticket)).status_code == 405
    assert not ArticleLink.objects.exists()
