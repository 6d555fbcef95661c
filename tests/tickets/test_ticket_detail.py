import pytest
from django.urls import reverse

from supportdesk.roles import EDITOR
from tests.factories import (
    ArticleFactory,
    MessageFactory,
    TicketEventFactory,
    TicketFactory,
    UserFactory,
)
from tickets.resolution import link_article, solve_ticket
from tickets.services import transfer_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, subject="Video stuck at 90%")
    MessageFactory(ticket=ticket, body_text="It never finishes rendering.")
    return ticket


def url(ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


def test_agent_sees_thread_composer_and_controls(client, general_agent, ticket):
    MessageFactory(ticket=ticket, kind="note", author=general_agent, body_text="Known bug")
    client.force_login(general_agent)

    response = client.get(url(ticket))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Video stuck at 90%" in page and "It never finishes rendering." in page
    assert 'class="msg msg-note"' in page and "Known bug" in page
    assert 'data-hotkey="r"' in page and 'data-hotkey="a"' in page and 'data-hotkey="s"' in page
    assert reverse("tickets:compose", args=[ticket.pk]) in page


def test_system_events_read_as_one_line(
    client, general_agent, ticket, general_inbox, billing_inbox
):
    transfer_ticket(ticket, inbox=billing_inbox, by=general_agent)
    transfer_ticket(ticket, inbox=general_inbox, by=general_agent)
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert f"moved to Billing by {general_agent.get_full_name()}" in page


def test_other_inbox_agent_gets_404(client, billing_agent, ticket):
    client.force_login(billing_agent)

    assert client.get(url(ticket)).status_code == 404


def test_editor_outside_the_inbox_gets_404(client, ticket):
    client.force_login(UserFactory(role=EDITOR))

    assert client.get(url(ticket)).status_code == 404


def test_editor_in_the_inbox_reads_without_controls(client, ticket, general_inbox):
    # Editors open the reopened tickets behind a needs-attention flag.
    editor = UserFactory(role=EDITOR)
    general_inbox.members.add(editor)
    client.force_login(editor)

    response = client.get(url(ticket))

    page = response.content.decode()
    assert response.status_code == 200 and "It never finishes rendering." in page
    assert reverse("tickets:compose", args=[ticket.pk]) not in page
    assert client.post(reverse("tickets:claim", args=[ticket.pk])).status_code == 403


def test_manager_reads_without_agents_controls(client, manager, ticket):
    """Managers work no tickets: no reply, claim or details form. Since issue 15
    they add internal notes and reassign (tests/test_rough_edges.py)."""
    client.force_login(manager)

    response = client.get(url(ticket))

    page = response.content.decode()
    assert response.status_code == 200 and "It never finishes rendering." in page
    assert 'name="kind" value="reply"' not in page
    assert reverse("tickets:update", args=[ticket.pk]) not in page
    assert reverse("tickets:claim", args=[ticket.pk]) not in page


def test_post_is_not_allowed(client, general_agent, ticket):
    client.force_login(general_agent)

    assert client.post(url(ticket)).status_code == 405


def test_customer_card_lists_only_visible_other_tickets(
    client, general_agent, ticket, billing_inbox
):
    mine = TicketFactory(inbox=ticket.inbox, customer=ticket.customer, subject="Older question")
    TicketFactory(inbox=billing_inbox, customer=ticket.customer, subject="Secret refund")
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert "Older question" in page and reverse("tickets:detail", args=[mine.pk]) in page
    assert "Secret refund" not in page


def test_linked_articles_show_their_revision(client, general_agent, ticket):
    article = ArticleFactory(title="Stuck renders")
    link_article(ticket, article=article, by=general_agent)
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert "Stuck renders" in page and "r1" in page


def test_resolution_history_and_solved_banner(client, general_agent, ticket):
    solve_ticket(ticket, kind="no_article", note="Cleared the cache", by=general_agent)
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert "content gap" in page and "Cleared the cache" in page
    assert reverse("tickets:reopen", args=[ticket.pk]) in page
    assert 'value="reply"' not in page  # replying waits for a reopen


def test_insert_without_javascript_prefills_the_reply(client, general_agent, ticket):
    article = ArticleFactory(title="Refresh", body="1. Refresh the page.")
    client.force_login(general_agent)

    page = client.get(url(ticket) + f"?insert={article.pk}").content.decode()

    assert "1. Refresh the page.</textarea>" in page
    assert f'name="articles" value="{article.pk}"' in page


def test_article_search_swaps_only_the_results(client, general_agent, ticket):
    ArticleFactory(title="Payment declined")
    client.force_login(general_agent)

    response = client.get(
        url(ticket) + "?q=declined", headers={"HX-Request": "true", "HX-Target": "article-results"}
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="article-results"')
    assert "Payment declined" in page and "It never finishes" not in page


def test_article_search_plain_renders_the_page(client, general_agent, ticket):
    ArticleFactory(title="Payment declined")
    client.force_login(general_agent)

    page = client.get(url(ticket) + "?q=declined").content.decode()

    assert "Payment declined" in page and "It never finishes" in page


def test_query_count_does_not_grow_with_the_thread(
    client, general_agent, ticket, django_assert_max_num_queries
):
    client.force_login(general_agent)
    article = ArticleFactory()
    for n in range(3):
        reply = MessageFactory(ticket=ticket, kind="reply", author=general_agent)
        link_article(ticket, article=article, by=general_agent, message=reply)
        TicketEventFactory(ticket=ticket, actor=general_agent)
        MessageFactory(ticket=ticket, body_text=f"still broken {n}")
    client.get(url(ticket))  # warm caches (content types, session)
    with django_assert_max_num_queries(30) as small:
        client.get(url(ticket))
    for n in range(30):
        reply = MessageFactory(ticket=ticket, kind="reply", author=UserFactory())
        TicketEventFactory(ticket=ticket, actor=UserFactory())
        MessageFactory(ticket=ticket, body_text=f"again {n}")

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url(ticket))

    assert response.status_code == 200


def test_suggestions_show_matched_words_and_insert_the_published_text(
    client, general_agent, ticket, monkeypatch
):
    from articles.suggest.ranking import Suggestion
    from tickets import ticket_page

    article = ArticleFactory(title="Video stuck while rendering", body="1. Wait ten minutes.")
    asked = {}

    def fake_suggest(text, *, inbox_slug=None, limit=3):
        asked.update(text=text, inbox_slug=inbox_slug)
        return [Suggestion(article, 0.8, terms=("stuck",), passage="If a video is stuck, wait.")]

    monkeypatch.setattr(ticket_page, "suggest_articles", fake_suggest)
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert asked == {
        "text": "Video stuck at 90%\nIt never finishes rendering.",
        "inbox_slug": "general",
    }
    assert "Video <mark>stuck</mark> while rendering" in page
    assert "If a video is <mark>stuck</mark>, wait." in page
    assert f'data-insert="{article.pk}"' in page and 'data-body="1. Wait ten minutes."' in page


def test_closed_ticket_and_its_follow_up_link_both_ways(client, general_agent, ticket):
    from tickets.models import Ticket
    from tickets.services import add_customer_message

    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    ticket.refresh_from_db()
    follow_up = add_customer_message(ticket, body_text="It broke again").ticket
    client.force_login(general_agent)

    old_page = client.get(url(ticket)).content.decode()
    new_page = client.get(url(follow_up)).content.decode()

    assert "closed is final" in old_page
    assert reverse("tickets:compose", args=[ticket.pk]) not in old_page
    assert f'href="{url(follow_up)}">{follow_up.number}</a>' in old_page
    assert f'Follow-up of <a href="{url(ticket)}">{ticket.number}</a>' in new_page


def test_each_reply_shows_its_delivery_state(client, general_agent, ticket):
    MessageFactory(ticket=ticket, kind="reply", author=general_agent, delivery="failed")
    MessageFactory(ticket=ticket, kind="reply", author=general_agent, delivery="queued")
    client.force_login(general_agent)

    page = client.get(url(ticket)).content.decode()

    assert '<span class="delivery delivery-failed">failed</span>' in page
    assert '<span class="delivery delivery-queued">queued</span>' in page


def test_the_thread_reloads_alone(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.get(url(ticket), headers={"HX-Request": "true", "HX-Target": "thread"})

    page = response.content.decode()
    assert page.lstrip().startswith('<ol class="thread" id="thread"')
    assert "It never finishes rendering." in page and "<html" not in page
