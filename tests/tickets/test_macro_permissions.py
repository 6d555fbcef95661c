"""Who sees, edits and applies which macros: shared per inbox (managed by
managers), personal for their owner only."""

import pytest
from django.urls import reverse

from supportdesk.roles import AGENT, EDITOR
from tests.factories import TicketFactory, UserFactory
from tickets.models import Macro

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing_macro(billing_inbox):
    return Macro.objects.create(title="Refund policy QQX", body="Refunds take 5 days.",
                                inbox=billing_inbox)  # fmt: skip


@pytest.fixture
def general_macro(general_inbox):
    return Macro.objects.create(title="Greeting", body="Hello!", inbox=general_inbox)


def test_an_agent_cannot_edit_or_delete_a_shared_macro(client, general_agent, general_macro):
    client.force_login(general_agent)

    edit = client.post(reverse("tickets:macro_edit", args=[general_macro.pk]),
                       {"title": "Mine now", "body": "x", "shared_with": "personal"})  # fmt: skip
    delete = client.post(reverse("tickets:macro_delete", args=[general_macro.pk]))

    assert edit.status_code == 403 and delete.status_code == 403
    general_macro.refresh_from_db()
    assert general_macro.title == "Greeting" and general_macro.inbox_id is not None


def test_an_agent_can_only_make_personal_macros(client, general_agent):
    client.force_login(general_agent)

    refused = client.post(reverse("tickets:macro_new"),
                          {"title": "Sneaky", "body": "x", "shared_with": "general"})  # fmt: skip
    made = client.post(reverse("tickets:macro_new"),
                       {"title": "Mine", "body": "x", "shared_with": "personal"})  # fmt: skip

    assert refused.status_code == 400 and not Macro.objects.filter(title="Sneaky").exists()
    assert made.status_code == 302
    assert Macro.objects.get(title="Mine").owner == general_agent


def test_a_manager_shares_a_macro_with_an_inbox(client, manager, general_inbox):
    client.force_login(manager)

    client.post(reverse("tickets:macro_new"),
                {"title": "Shared", "body": "Hi {{ customer.first_name }}",
                 "shared_with": "general", "tag_names": "VIP, refund"})  # fmt: skip

    macro = Macro.objects.get(title="Shared")
    assert macro.inbox == general_inbox and macro.owner is None
    assert macro.tags == ["vip", "refund"]


def test_a_manager_edits_a_shared_macro(client, manager, general_macro):
    client.force_login(manager)

    response = client.post(reverse("tickets:macro_edit", args=[general_macro.pk]),
                           {"title": "Greeting v2", "body": "Hello!",
                            "shared_with": "general"})  # fmt: skip

    assert response.status_code == 302
    general_macro.refresh_from_db()
    assert general_macro.title == "Greeting v2"


def test_a_general_agent_neither_sees_nor_applies_billing_macros(
    client, general_agent, general_inbox, billing_macro, general_macro
):
    ticket = TicketFactory(inbox=general_inbox, status="open")
    client.force_login(general_agent)

    listed = client.get(reverse("tickets:macros"))
    picker = client.get(reverse("tickets:ticket_macros", args=[ticket.pk]))
    page = client.get(reverse("tickets:detail", args=[ticket.pk]))
    applied = client.post(reverse("tickets:macro_apply", args=[ticket.pk, billing_macro.pk]))
    edit = client.get(reverse("tickets:macro_edit", args=[billing_macro.pk]))

    for response in (listed, picker, page):
        assert "Greeting" in response.text and "QQX" not in response.text
    assert applied.status_code == 404 and edit.status_code == 404
    assert not ticket.messages.exists()


def test_a_billing_macro_cannot_be_applied_to_a_general_ticket_even_by_a_member_of_both(
    client, general_agent, billing_inbox, general_inbox, billing_macro
):
    billing_inbox.members.add(general_agent)
    ticket = TicketFactory(inbox=general_inbox, status="open")
    client.force_login(general_agent)

    response = client.post(reverse("tickets:macro_apply", args=[ticket.pk, billing_macro.pk]))

    assert response.status_code == 404


def test_personal_macros_are_their_owners_only(client, general_agent, general_inbox):
    colleague = UserFactory(role=AGENT)
    general_inbox.members.add(colleague)
    theirs = Macro.objects.create(title="Colleague's own", body="x", owner=colleague)
    ticket = TicketFactory(inbox=general_inbox, status="open")
    client.force_login(general_agent)

    assert "Colleague's own" not in client.get(reverse("tickets:macros")).text
    assert client.get(reverse("tickets:macro_edit", args=[theirs.pk])).status_code == 404
    assert (
        client.post(reverse("tickets:macro_apply", args=[ticket.pk, theirs.pk])).status_code == 404
    )
    client.force_login(colleague)
    assert "Colleague&#x27;s own" in client.get(reverse("tickets:macros")).text


def test_editors_have_no_macros(client, general_inbox):
    editor = UserFactory(role=EDITOR)
    general_inbox.members.add(editor)
    client.force_login(editor)

    assert client.get(reverse("tickets:macros")).status_code == 403
    assert client.get(reverse("tickets:macro_new")).status_code == 403


def test_a_manager_deletes_a_shared_macro(client, manager, general_macro):
    client.force_login(manager)

    response = client.post(reverse("tickets:macro_delete", args=[general_macro.pk]), follow=True)

    assert "Deleted the macro “Greeting”." in response.text
    assert not Macro.objects.filter(pk=general_macro.pk).exists()


def test_the_list_shows_usage_and_edit_links_only_where_allowed(
    client, general_agent, general_macro
):
    Macro.objects.filter(pk=general_macro.pk).update(usage_count=7)
    mine = Macro.objects.create(title="Mine", body="x", owner=general_agent)
    client.force_login(general_agent)

    page = client.get(reverse("tickets:macros")).text

    assert "<td>7</td>" in page
    assert reverse("tickets:macro_edit", args=[mine.pk]) in page
    assert reverse("tickets:macro_edit", args=[general_macro.pk]) not in page
