"""Queries every page asks, their SQL compiled once (supportdesk/db/kept.py):
each answers as the ORM's query does, for every user, and sees changes at once."""

import pytest
from django.utils import timezone

from articles.models import IssueCategory
from supportdesk.db import kept
from supportdesk.roles import AGENT, MANAGER
from tests.factories import TicketFactory, UserFactory
from tickets.models import Inbox, Ticket
from tickets.nav import visible_inboxes
from tickets.queues.filters import issue_categories

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same user as a new request loads it (nothing read yet)."""
    return type(user).objects.get(pk=user.pk)


def test_each_user_sees_the_inboxes_the_visibility_rule_gives(general_inbox, billing_inbox):
    ann, bob = UserFactory(role=AGENT), UserFactory(role=AGENT)
    general_inbox.members.add(ann)
    billing_inbox.members.add(bob)
    boss, newcomer = UserFactory(role=MANAGER), UserFactory(role=AGENT)

    # Ann's query is compiled first; Bob, the manager and the newcomer reuse the kept SQL.
    for user in (ann, bob, boss, newcomer, ann):
        user = fresh(user)
        assert visible_inboxes(user) == list(Inbox.objects.visible_to(user))
    assert [i.slug for i in visible_inboxes(fresh(bob))] == ["billing"]
    assert visible_inboxes(fresh(newcomer)) == []
    assert {i.slug for i in visible_inboxes(fresh(boss))} == {"general", "billing"}


def test_a_new_membership_shows_on_the_next_request(general_inbox, billing_inbox):
    ann = UserFactory(role=AGENT)
    general_inbox.members.add(ann)
    assert [i.slug for i in visible_inboxes(fresh(ann))] == ["general"]

    billing_inbox.members.add(ann)
    general_inbox.members.remove(ann)

    assert [i.slug for i in visible_inboxes(fresh(ann))] == ["billing"]


def test_the_kept_sql_is_really_reused(general_inbox):
    ann, bob = UserFactory(role=AGENT), UserFactory(role=AGENT)
    general_inbox.members.add(ann, bob)
    kept._kept.clear()
    visible_inboxes(fresh(ann))
    compiled = dict(kept._kept)
    visible_inboxes(fresh(bob))

    assert len(compiled) == 1 and kept._kept == compiled
    assert all(value is not None for value in compiled.values())


def test_categories_are_the_orm_s_and_new_ones_show_at_once():
    IssueCategory.objects.all().delete()
    IssueCategory.objects.create(name="Billing <&>", slug="billing-x", position=2)
    assert issue_categories() == list(IssueCategory.objects.all())

    IssueCategory.objects.create(name="Access", slug="access", position=1)

    got = issue_categories()
    assert got == list(IssueCategory.objects.all())
    assert [c.name for c in got][:2] == ["Access", "Billing <&>"]
    assert got[0].slug == "access" and isinstance(got[0].pk, int)


def test_a_query_whose_ids_the_orm_repeats_runs_as_it_is(general_inbox):
    # The same id twice in the SQL: no single place to put it, so the ORM runs it.
    def build(ids):
        return Inbox.objects.filter(pk=ids[0]) | Inbox.objects.filter(pk=ids[0], slug="x")

    kept._kept.clear()
    rows = kept.kept_instances(Inbox, "twice", build, [general_inbox.pk], alias="default")

    assert rows == [general_inbox]
    assert list(kept._kept.values()) == [None]


def test_a_query_that_finds_nothing():
    def build(ids):
        return Inbox.objects.none()

    assert kept.kept_instances(Inbox, "none", build, [], alias="default") == []


def test_a_query_with_the_clock_in_it_is_not_kept(general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    def build(ids):
        return Ticket.objects.filter(inbox_id=ids[0], created_at__lte=timezone.now())

    kept._kept.clear()
    rows = kept.kept_rows("clock", lambda ids: build(ids).values_list("pk"), [general_inbox.pk],
                          alias="default")  # fmt: skip

    assert rows == [(ticket.pk,)]
    assert list(kept._kept.values()) == [None]
