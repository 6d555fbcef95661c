"""The queue's members (the assignee filter and the bulk bar): the kept SQL
answers exactly what the ORM's query answers."""

import pytest

from supportdesk.roles import AGENT, EDITOR, MANAGER
from tests.factories import UserFactory
from tickets.queues.members import Member, members, members_query


@pytest.fixture
def people(general_inbox, billing_inbox):
    agent = UserFactory(role=AGENT, first_name="Ada", last_name="Byrne")
    both = UserFactory(role=AGENT, first_name="", last_name="", username="zed")
    editor = UserFactory(role=EDITOR, first_name="Eve")
    boss = UserFactory(role=MANAGER, first_name="Max")
    admin = UserFactory(is_superuser=True, first_name="Root")
    gone = UserFactory(role=AGENT, first_name="Gone", is_active=False)
    outsider = UserFactory(role=AGENT, first_name="Out")
    general_inbox.members.add(agent, both, editor, admin, gone)
    billing_inbox.members.add(both, boss)
    return {"agent": agent, "both": both, "editor": editor, "boss": boss, "admin": admin,
            "gone": gone, "outsider": outsider}  # fmt: skip


def as_orm(inboxes) -> list[Member]:
    return [Member(*row) for row in members_query(inboxes).values_list(*Member._fields)]


def test_members_of_one_inbox_name_agents_and_others(people, general_inbox):
    found = members([general_inbox])

    assert found == as_orm([general_inbox])
    by_name = {member.username: member for member in found}
    assert set(by_name) == {people[k].username for k in ("agent", "both", "editor", "admin")}
    assert by_name[people["agent"].username].agent is True
    assert by_name[people["admin"].username].agent is True  # superusers count as agents
    assert by_name[people["editor"].username].agent is False
    assert by_name[people["agent"].username].get_full_name() == "Ada Byrne"
    assert by_name["zed"].get_full_name() == ""  # user_label falls back to the username


def test_members_of_two_inboxes_once_each_and_ids_follow_the_inboxes(
    people, general_inbox, billing_inbox
):
    both_inboxes = members([general_inbox, billing_inbox])
    billing_only = members([billing_inbox])

    assert both_inboxes == as_orm([general_inbox, billing_inbox])
    assert [m.username for m in both_inboxes].count("zed") == 1
    # The same kept SQL, other ids: billing's members only.
    assert {m.username for m in billing_only} == {"zed", people["boss"].username}
    assert billing_only == as_orm([billing_inbox])
    assert members([]) == []
