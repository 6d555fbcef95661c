"""The ticket page and its htmx swaps read a fixed, small number of queries,
and each swap reads only the part it replaces (issue 11)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, MessageFactory, TicketFactory
from tickets.management.commands.bench import PROBES, Dataset
from tickets.models import Attachment, Ticket
from tickets.resolution import link_article, reopen_ticket, solve_ticket
from tickets.services import send_reply, set_priority

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def ticket(general_inbox, billing_inbox, general_agent):
    """A ticket with everything the page shows: a suggestion, files, a sent
    article, events, a broken resolution, a follow-up, the customer's other tickets."""
    ArticleFactory(title="Render stuck at ninety percent", body="Clear the render cache.")
    refund = ArticleFactory(title="Refund a payment", body="Refunds take five days.")
    ticket = TicketFactory(inbox=general_inbox, subject="My render is stuck")
    message = MessageFactory(ticket=ticket, body_text="The render is stuck at ninety percent.")
    attachment = Attachment(
        ticket=ticket, message=message, name="shot.png", content_type="image/png", size=3
    )
    attachment.file.save("shot.png", ContentFile(b"png"), save=False)
    attachment.save()
    send_reply(ticket, body_text="Try this", by=general_agent, articles=[refund], status="")
    set_priority(ticket, priority=3, by=general_agent)
    solve_ticket(ticket, kind="article", by=general_agent, links=list(ticket.article_links.all()))
    reopen_ticket(ticket, by=general_agent)
    link_article(ticket, article=refund, by=general_agent)
    for n in range(3):
        TicketFactory(inbox=general_inbox, customer=ticket.customer, subject=f"Earlier {n}")
    TicketFactory(inbox=billing_inbox, customer=ticket.customer, subject="Not for this agent")
    TicketFactory(inbox=general_inbox, customer=ticket.customer, follow_up_of=ticket)
    return Ticket.objects.get(pk=ticket.pk)


def url(ticket, query: str = "") -> str:
    return reverse("tickets:detail", args=[ticket.pk]) + query


def test_the_whole_page_reads_at_most_12_queries(
    client, general_agent, ticket, django_assert_max_num_queries
):
    client.force_login(general_agent)
    client.get(url(ticket))  # warm caches (content types, session, suggestion index)

    with django_assert_max_num_queries(12):
        response = client.get(url(ticket))

    page = response.content.decode()
    assert "<mark>Render</mark> <mark>stuck</mark>" in page  # the suggestion
    assert "shot.png" in page and "Sent: <span" in page  # a file, a sent article
    assert "reopened after" in page and "Solved by Refund a payment (r1)" in page
    assert "Follow-ups:" in page and "Earlier 2" in page and "Not for this agent" not in page
    assert "(not yours)" in page  # the transfer's choices


def test_the_article_search_swap_reads_at_most_6_queries(
    client, general_agent, ticket, django_assert_max_num_queries
):
    client.force_login(general_agent)
    headers = {**HTMX, "HX-Target": "article-results"}
    client.get(url(ticket, "?q=render"), headers=headers)

    # Ranked by its words and looked up by its title, in one query.
    with django_assert_max_num_queries(6):
        response = client.get(url(ticket, "?q=refund"), headers=headers)

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="article-results"')
    assert "Refund a payment" in page and "Render stuck" not in page
    assert "The render is stuck" not in page and 'id="details"' not in page


def test_the_thread_swap_reads_only_the_thread(
    client, general_agent, ticket, django_assert_max_num_queries
):
    client.force_login(general_agent)
    headers = {**HTMX, "HX-Target": "thread"}
    client.get(url(ticket), headers=headers)

    with django_assert_max_num_queries(7):
        response = client.get(url(ticket), headers=headers)

    page = response.content.decode()
    assert page.lstrip().startswith('<ol class="thread" id="thread"')
    assert "shot.png" in page and "Refund a payment · r1" in page
    assert "Suggested" not in page and 'id="details"' not in page


def test_a_details_swap_reads_no_thread_and_no_suggestions(
    client, general_agent, ticket, django_assert_max_num_queries
):
    client.force_login(general_agent)
    client.get(url(ticket))

    # 5 of them take it: a savepoint, lock, update, event, release.
    with django_assert_max_num_queries(12) as swap:
        response = client.post(reverse("tickets:claim", args=[ticket.pk]), headers=HTMX)

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="details"')
    assert f"You took {ticket.number}." in page and "Earlier 2" in page
    queries = [query["sql"] for query in swap.captured_queries]
    # Neither the thread nor the suggestions (their index's version) are read. The
    # ticket's own query may hold a subquery over its mail's senders (issue 13's
    # participants box): no query of its own reads the messages.
    assert not [sql for sql in queries if sql.startswith('SELECT "tickets_message".')]
    assert 'FROM "articles_article"' not in " ".join(queries)


def test_the_bench_probe_times_the_search_swap(general_inbox, general_agent):
    """``bench`` sends the headers the page sends, so it times the partial."""
    TicketFactory(inbox=general_inbox, status="open", first_response_at=timezone.now())
    ArticleFactory(title="Buying credits")
    probe = next(probe for probe in PROBES if probe.key == "ticket_partial")
    client = Client()
    client.force_login(general_agent)

    response = client.get(probe.url(Dataset(1, general_agent)), headers=dict(probe.headers))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="article-results"') and "Buying credits" in page


def test_the_page_shows_the_thread_its_swap_shows(client, general_agent, ticket):
    """The page reads the thread with the ticket (one query), the swap apart:
    the same messages, files, sent articles and events, in the same order."""
    client.force_login(general_agent)
    MessageFactory(
        ticket=ticket, body_text="Still <stuck> & waiting", sender_name="Ann <Lee>",
        sender_email="ann@example.com",
    )  # fmt: skip

    page = client.get(url(ticket)).content.decode()
    swap = client.get(url(ticket), headers={**HTMX, "HX-Target": "thread"}).content.decode()

    start = page.index('<ol class="thread" id="thread"')
    thread = page[start : page.index("</ol>", start) + len("</ol>")]
    assert thread == swap.strip()
    assert "priority" in thread and "reopened by" in thread  # events, with who did them
    assert "Still &lt;stuck&gt; &amp; waiting" in thread and "Ann &lt;Lee&gt;" in thread
