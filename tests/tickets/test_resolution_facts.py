"""The report's facts (ResolutionArticle): one row per article link a solve names,
written with the solve, following its reopen, backfilled, and in the bench data."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from articles.models import ArticleRevision
from tests.factories import ArticleFactory, IssueCategoryFactory, MessageFactory, TicketFactory
from tickets.models import ArticleLink, Resolution, ResolutionArticle
from tickets.resolution import link_article, reopen_ticket, solve_ticket

migration = importlib.import_module("tickets.migrations.0009_resolution_article_facts")


def _sent_links(ticket, agent, *articles):
    reply = MessageFactory(ticket=ticket, kind="reply", author=agent)
    return [link_article(ticket, article=a, by=agent, message=reply) for a in articles]


def test_a_solve_by_articles_writes_one_fact_per_link(general_inbox, general_agent):
    now = timezone.now()
    login = IssueCategoryFactory(slug="login")
    a, b = ArticleFactory(category=login), ArticleFactory()
    ticket = TicketFactory(inbox=general_inbox, status="open", created_at=now - timedelta(days=2))
    links = _sent_links(ticket, general_agent, a, b)
    # The link's time as stored counts, not the caller's copy of the link.
    ArticleLink.objects.filter(pk=links[0].pk).update(created_at=now - timedelta(days=1))

    resolution = solve_ticket(
        ticket, kind="article", links=links, by=general_agent, at=now - timedelta(hours=1)
    )

    facts = {f.article_id: f for f in ResolutionArticle.objects.all()}
    assert set(facts) == {a.pk, b.pk}
    fact = facts[a.pk]
    assert fact.resolution_id == resolution.pk and fact.link_id == links[0].pk
    assert fact.ticket_id == ticket.pk and fact.revision_id == a.published_revision_id
    assert fact.linked_at == now - timedelta(days=1)
    assert fact.inbox_id == general_inbox.pk and fact.category_id == login.pk
    assert fact.solved_by_id == general_agent.pk and fact.solved_at == resolution.solved_at
    assert fact.ticket_created_at == ticket.created_at and fact.reopened_at is None


def test_solves_without_an_article_write_no_fact(general_inbox, general_agent):
    ticket = TicketFactory(inbox=general_inbox, status="open")
    link_article(ticket, article=ArticleFactory(), by=general_agent)

    solve_ticket(ticket, kind="no_article", note="by hand", by=general_agent)

    assert not ResolutionArticle.objects.exists()


def test_a_reopen_inside_the_window_marks_the_facts_not_held(general_inbox, general_agent):
    now = timezone.now()
    ticket = TicketFactory(inbox=general_inbox, status="open", created_at=now - timedelta(days=5))
    links = _sent_links(ticket, general_agent, ArticleFactory())
    solve_ticket(ticket, kind="article", links=links, by=general_agent, at=now - timedelta(days=3))

    reopen_ticket(ticket, at=now - timedelta(days=2))
    second = solve_ticket(ticket, kind="article", links=links, by=general_agent, at=now)

    facts = ResolutionArticle.objects.order_by("solved_at")
    assert [f.reopened_at for f in facts] == [now - timedelta(days=2), None]
    assert facts[1].resolution_id == second.pk


def test_a_reopen_after_the_window_leaves_the_facts_held(general_inbox, general_agent):
    now = timezone.now()
    ticket = TicketFactory(inbox=general_inbox, status="open", created_at=now - timedelta(days=30))
    links = _sent_links(ticket, general_agent, ArticleFactory())
    solve_ticket(
        ticket, kind="article", links=links, by=general_agent, at=now - timedelta(days=20)
    )

    reopen_ticket(ticket, at=now)

    assert ResolutionArticle.objects.get().reopened_at is None


def test_backfill_writes_the_facts_of_earlier_solves_once(general_inbox, general_agent):
    now = timezone.now()
    article = ArticleFactory()
    r2 = ArticleRevision.objects.create(article=article, number=2, title="A", body="better")
    ticket = TicketFactory(inbox=general_inbox, status="open", created_at=now - timedelta(days=9))
    first = _sent_links(ticket, general_agent, article)
    article.published_revision = r2
    article.save(update_fields=["published_revision"])
    second = _sent_links(ticket, general_agent, article)
    solve_ticket(ticket, kind="article", links=first + second, by=general_agent)
    reopen_ticket(ticket)
    expected = sorted(ResolutionArticle.objects.values_list(
        "resolution_id", "link_id", "revision_id", "linked_at", "reopened_at", "category_id"
    ))  # fmt: skip
    ResolutionArticle.objects.filter(link=second[0]).delete()  # as if recorded before

    migration.backfill_facts(apps, _Executor())
    migration.backfill_facts(apps, _Executor())  # a second run adds nothing

    assert len(expected) == 2
    assert sorted(ResolutionArticle.objects.values_list(
        "resolution_id", "link_id", "revision_id", "linked_at", "reopened_at", "category_id"
    )) == expected  # fmt: skip


class _Executor:
    """The one method of a schema editor the backfill uses."""

    def execute(self, sql, params=()):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_bench_dataset_writes_the_facts_of_its_solves(db):
    call_command("bench", tickets=300, repeat=1, stdout=_Null())

    expected = sorted(
        (m.resolution_id, m.articlelink_id, m.articlelink.article_id, m.articlelink.revision_id,
         m.articlelink.created_at, m.resolution.ticket_id, m.resolution.inbox_id,
         m.resolution.category_id, m.resolution.solved_by_id, m.resolution.solved_at,
         m.resolution.reopened_at, m.resolution.ticket_created_at)
        for m in Resolution.links.through.objects.select_related("resolution", "articlelink")
    )  # fmt: skip
    facts = sorted(ResolutionArticle.objects.values_list(
        "resolution_id", "link_id", "article_id", "revision_id", "linked_at", "ticket_id",
        "inbox_id", "category_id", "solved_by_id", "solved_at", "reopened_at",
        "ticket_created_at",
    ))  # fmt: skip
    assert facts and facts == expected
    assert any(fact[10] is not None for fact in facts)  # reopened ones too


class _Null:
    def write(self, text: str) -> None:
        pass
