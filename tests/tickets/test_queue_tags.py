"""Tags in the queue: the ?tag= filter, the rows' tags, bulk add and remove."""

import pytest
from django.urls import reverse

from tests.factories import IssueCategoryFactory, TicketFactory
from tickets.models import Ticket, TicketEvent
from tickets.tags.services import add_tags

pytestmark = pytest.mark.django_db

QUEUE = reverse("tickets:queue")
BULK = reverse("tickets:bulk")


@pytest.fixture
def tickets(general_inbox, general_agent):
    vip, plain, other = (TicketFactory(inbox=general_inbox, status="open") for _ in range(3))
    add_tags(vip, names=["vip", "refund"], by=general_agent)
    add_tags(other, names=["refund"], by=general_agent)
    return vip, plain, other


def test_the_tag_filter_lists_only_tagged_tickets(client, general_agent, tickets):
    vip, plain, other = tickets
    client.force_login(general_agent)

    response = client.get(QUEUE, {"tag": "VIP", "view": "all"})

    assert response.context["page"].rows == [vip]
    assert "Tag: vip" in response.text  # the removable chip
    refund = client.get(QUEUE, {"tag": "refund", "view": "all"}).context["page"].rows
    assert set(refund) == {vip, other}


def test_rows_show_their_tags_as_filter_links(client, general_agent, tickets):
    client.force_login(general_agent)

    page = client.get(QUEUE).text

    assert '<a class="chip tag-chip" href="?tag=vip&amp;view=all">vip</a>' in page


def test_a_bad_tag_filter_is_reported_not_applied(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"tag": "<script>"})

    assert len(response.context["page"].rows) == 3
    assert "Tag: " in response.text and "is not a tag" in response.text
    assert "<script>" not in response.text


def test_another_inbox_tag_filter_shows_nothing_of_it(client, general_agent, billing_inbox):
    billing = TicketFactory(inbox=billing_inbox, status="open", subject="Secret QZX")
    add_tags(billing, names=["vip"], by=None)
    client.force_login(general_agent)

    response = client.get(QUEUE, {"tag": "vip", "view": "all"})

    assert response.context["page"].rows == [] and "QZX" not in response.text


def test_bulk_add_and_remove_a_tag(client, general_agent, tickets, general_inbox):
    vip, plain, other = tickets
    solved = TicketFactory(inbox=general_inbox, status="solved")
    client.force_login(general_agent)
    ids = [vip.pk, plain.pk, solved.pk]

    client.post(BULK, {"tickets": ids, "action": "tag", "tag": "Follow up"})

    tagged = set(Ticket.objects.filter(tags__name="follow-up").values_list("pk", flat=True))
    assert tagged == {vip.pk, plain.pk}
    assert TicketEvent.objects.filter(kind="tags", new_value="follow-up").count() == 2
    response = client.post(BULK, {"tickets": [vip.pk, other.pk], "action": "untag",
                                  "tag": "refund"}, follow=True)  # fmt: skip
    assert "Updated 2 tickets." in response.text
    assert not Ticket.objects.filter(tags__name="refund").exists()
    assert Ticket.objects.filter(tags__name="vip").get() == vip


def test_bulk_tag_needs_a_valid_tag(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.post(BULK, {"tickets": [tickets[1].pk], "action": "tag", "tag": ""},
                           follow=True)  # fmt: skip

    assert "Type a tag first." in response.text
    assert not tickets[1].tags.exists()


def test_bulk_tag_never_touches_another_inbox(client, general_agent, billing_inbox):
    billing = TicketFactory(inbox=billing_inbox, status="open")
    client.force_login(general_agent)

    client.post(BULK, {"tickets": [billing.pk], "action": "tag", "tag": "mine"})

    assert not billing.tags.exists()


@pytest.mark.parametrize("rows", [10, 50])
def test_query_count_does_not_grow_with_tagged_rows(
    client, general_agent, general_inbox, django_assert_max_num_queries, rows
):
    category = IssueCategoryFactory()
    for n in range(rows):
        ticket = TicketFactory(inbox=general_inbox, status="open", assignee=general_agent,
                               category=category)  # fmt: skip
        add_tags(ticket, names=[f"tag-{n}", "common"], by=general_agent)
    client.force_login(general_agent)

    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)
    with django_assert_max_num_queries(12):
        filtered = client.get(QUEUE, {"tag": "common"})

    assert len(response.context["page"].rows) == rows
    assert len(filtered.context["page"].rows) == rows
    assert all(row.tag_list for row in response.context["page"].rows)


def test_options_escape_what_people_typed_and_keep_safe_labels():
    from django.utils.safestring import mark_safe

    from tickets.templatetags.queue_tags import options

    printed = options([("7", '<b>"Ann"</b>', True), ("8", mark_safe("<i>ok</i>"))])
    assert printed == (
        '<option value="7" selected>&lt;b&gt;&quot;Ann&quot;&lt;/b&gt;</option>'
        '<option value="8"><i>ok</i></option>'
    )
