import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, IssueCategoryFactory, MessageFactory, TicketFactory
from tickets.models import Resolution, Ticket
from tickets.resolution import link_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, status=Ticket.Status.OPEN)


def url(ticket) -> str:
    return reverse("tickets:solve", args=[ticket.pk])


def checkbox(page: str, link_id: int) -> str:
    return re.search(rf'<input type="checkbox" name="links" value="{link_id}"[^>]*>', page)[0]


def sent_link(ticket, agent, **article):
    reply = MessageFactory(ticket=ticket, kind="reply", author=agent)
    return link_article(ticket, article=ArticleFactory(**article), by=agent, message=reply)


def test_the_sent_article_and_its_category_are_prefilled(client, general_agent, ticket):
    category = IssueCategoryFactory(slug="video-generation")
    linked = link_article(ticket, article=ArticleFactory(title="Only linked"), by=general_agent)
    sent = sent_link(ticket, general_agent, title="The one we sent", category=category)
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert "checked" in checkbox(page, sent.pk)
    assert "checked" not in checkbox(page, linked.pk)
    assert f'<option value="{category.pk}" selected>' in page
    assert "The one we sent (r1, sent)" in page
    assert f'data-category="{category.pk}"' in page  # ticking it proposes its category


def test_two_clicks_solve_by_the_sent_article(client, general_agent, ticket):
    link = sent_link(ticket, general_agent)
    client.force_login(general_agent)

    response = client.post(
        url(ticket), {"kind": "article", "links": [link.pk], "category": link.article.category_id}
    )

    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    resolution = Resolution.objects.get(ticket=ticket)
    assert resolution.kind == "article" and list(resolution.links.all()) == [link]
    assert resolution.category == link.article.category
    ticket.refresh_from_db()
    assert ticket.status == "solved" and ticket.category == link.article.category


def test_content_gap_needs_a_note(client, general_agent, ticket):
    client.force_login(general_agent)

    refused = client.post(url(ticket), {"kind": "no_article", "note": " "})
    accepted = client.post(url(ticket), {"kind": "no_article", "note": "Reset the password"})

    assert refused.status_code == 400 and "this is a content gap" in refused.content.decode()
    assert accepted.status_code == 302
    resolution = Resolution.objects.get(ticket=ticket)
    assert resolution.kind == "no_article" and resolution.note == "Reset the password"


def test_not_applicable(client, general_agent, ticket):
    client.force_login(general_agent)

    client.post(url(ticket), {"kind": "not_applicable", "note": "spam"})

    assert Resolution.objects.get(ticket=ticket).kind == "not_applicable"


def test_article_kind_needs_a_ticked_article(client, general_agent, ticket):
    sent_link(ticket, general_agent)
    client.force_login(general_agent)

    response = client.post(url(ticket), {"kind": "article"})

    assert response.status_code == 400 and "Tick the article" in response.content.decode()
    assert not Resolution.objects.exists()


def test_a_link_of_another_ticket_is_not_a_choice(client, general_agent, ticket, general_inbox):
    foreign = sent_link(TicketFactory(inbox=general_inbox), general_agent)
    client.force_login(general_agent)

    response = client.post(url(ticket), {"kind": "article", "links": [foreign.pk]})

    assert response.status_code == 400 and not Resolution.objects.exists()


def test_htmx_dialog_gets_the_form_and_redirects_when_done(client, general_agent, ticket):
    link = sent_link(ticket, general_agent)
    client.force_login(general_agent)
    hx = {"HX-Request": "true"}

    form = client.get(url(ticket), headers=hx).content.decode()
    invalid = client.post(url(ticket), {"kind": "no_article"}, headers=hx)
    done = client.post(url(ticket), {"kind": "article", "links": [link.pk]}, headers=hx)

    assert form.lstrip().startswith('<form id="solve-form"') and "<html" not in form
    assert invalid.status_code == 200 and "this is a content gap" in invalid.content.decode()
    assert done["HX-Redirect"] == reverse("tickets:detail", args=[ticket.pk])


def test_already_solved_goes_back_to_the_ticket(client, general_agent, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status="solved")
    client.force_login(general_agent)

    response = client.post(url(ticket), {"kind": "not_applicable"}, follow=True)

    assert "already solved" in response.content.decode()
    assert not Resolution.objects.exists()


def test_other_inbox_404_and_manager_403(client, billing_agent, manager, ticket):
    client.force_login(billing_agent)
    assert client.get(url(ticket)).status_code == 404
    assert client.post(url(ticket), {"kind": "not_applicable"}).status_code == 404
    client.force_login(manager)
    assert client.post(url(ticket), {"kind": "not_applicable"}).status_code == 403
    assert not Resolution.objects.exists()


def test_put_is_not_allowed(client, general_agent, ticket):
    client.force_login(general_agent)

    assert client.put(url(ticket)).status_code == 405


def test_a_refused_solve_says_its_title_once(client, general_agent, ticket):
    """The solve page posts through htmx when JavaScript runs: the form it swaps
    back after an error carries no second "Solve #N" heading."""
    client.force_login(general_agent)

    response = client.post(url(ticket), {"kind": "no_article"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert f"Solve #{ticket.pk}" not in response.content.decode()
    page = client.get(url(ticket)).content.decode()
    assert page.count(f"<h1>Solve #{ticket.pk}</h1>") == 1
    assert f"<h2>Solve #{ticket.pk}" not in page
