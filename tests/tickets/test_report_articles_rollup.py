"""The article table's roll-up (``ReportArticle``): kept right by the triggers
whatever writes links, facts and tickets, and the report's article table the
same through it as counted from the rows."""

import io
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import ArticleRevision
from tests.factories import (
    ArticleFactory,
    IssueCategoryFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tests.tickets.reports_world import HOUR, D, build_world, today
from tickets.models import ArticleLink, ReportArticle, Resolution, ResolutionArticle, Ticket
from tickets.reports import article_days
from tickets.reports import days as report_days
from tickets.reports import measures as reports
from tickets.reports.measures import Scope
from tickets.resolution import link_article, reopen_ticket, solve_ticket
from tickets.services import set_category, transfer_ticket


def whole_days(*inboxes, days: int = 28, **extra) -> Scope:
    tz = D(0).tzinfo
    since = datetime.combine(today() - timedelta(days=days - 1), time.min, tzinfo=tz)
    until = datetime.combine(today() + timedelta(days=1), time.min, tzinfo=tz)
    # Noon today: the hold window ends at noon seven days ago (D(7, 2)).
    extra.setdefault("now", datetime.combine(today(), time(12), tzinfo=tz))
    return Scope(inbox_ids=tuple(i.pk for i in inboxes), since=since, until=until, **extra)


def counted(scope: Scope, monkeypatch) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(report_days, "whole_days", lambda *args, **kwargs: None)
        return reports.article_table(scope)


def assert_same_through_the_roll_up(scopes, monkeypatch) -> None:
    for scope in scopes:
        rows = counted(scope, monkeypatch)
        if rows:  # else the roll-up holds nothing either, and the rows are counted
            assert reports._rolled_article_measures(reports.roll_up(scope)) is not None
        assert reports.article_table(scope) == rows, scope
    assert article_days.drift() == []


def figures(rows) -> dict:
    """{article title: (linked, sent, resolved, held, not held, median h)} and per revision."""
    out = {}
    for row in rows:
        m = row.measures
        median = m.median_resolution_seconds and m.median_resolution_seconds / HOUR
        out[row.article.title] = (m.linked, m.sent, m.resolved, m.held, m.not_held, median)
        for revision, r in row.revisions:
            out[f"{row.article.title} r{revision.number}"] = (
                r.linked, r.sent, r.resolved, r.held, r.not_held,
            )  # fmt: skip
    return out


def test_the_report_world_reads_the_same_article_table_through_the_roll_up(
    general_inbox, billing_inbox, monkeypatch
):
    world = build_world(general_inbox, billing_inbox)
    both = whole_days(general_inbox, billing_inbox)
    scopes = [
        both,
        replace(both, every_inbox=True),
        whole_days(billing_inbox),
        whole_days(general_inbox, category_id=world.login.pk),
        whole_days(general_inbox, billing_inbox, days=60),
        # The default clock: the hold window ends at this moment's time of day.
        replace(both, now=datetime.now(tz=both.now.tzinfo)),
    ]

    assert_same_through_the_roll_up(scopes, monkeypatch)
    # The figures test_reports_figures works out by hand, through the roll-up.
    assert figures(reports.article_table(both))["Reset your password"] == (3, 2, 2, 1, 1, 4.5)


@pytest.fixture
def agent(general_inbox, billing_inbox):
    user = UserFactory(role="Agent")
    general_inbox.members.add(user)
    billing_inbox.members.add(user)
    return user


def linked(link, at):
    ArticleLink.objects.filter(pk=link.pk).update(created_at=at)
    link.refresh_from_db()
    return link


def send(ticket, article, *, by, at):
    message = MessageFactory(ticket=ticket, kind="reply", author=by, created_at=at)
    return linked(link_article(ticket, article=article, by=by, message=message), at)


def test_links_sends_solves_reopens_moves_and_deletes_keep_the_roll_up_on_the_rows(
    general_inbox, billing_inbox, agent, monkeypatch
):
    login = IssueCategoryFactory(slug="login", name="Login")
    video = IssueCategoryFactory(slug="video", name="Video")
    article = ArticleFactory(title="Reset your password", category=login)
    other = ArticleFactory(title="Video stuck", category=video)
    scopes = [
        whole_days(general_inbox, billing_inbox),
        replace(whole_days(general_inbox, billing_inbox), every_inbox=True),
        whole_days(general_inbox),
        whole_days(billing_inbox),
        whole_days(general_inbox, billing_inbox, category_id=login.pk),
        whole_days(general_inbox, billing_inbox, category_id=video.pk),
    ]

    def check():
        assert_same_through_the_roll_up(scopes, monkeypatch)

    # T1: linked, then sent in a reply (the link turns into a sent one), linked
    # again by hand, solved naming both links: one ticket in every figure.
    t1 = TicketFactory(inbox=general_inbox, category=login, created_at=D(12), status="open")
    first = linked(link_article(t1, article=article, by=agent), D(12, 1))
    send(t1, article, by=agent, at=D(12, 2))
    first.refresh_from_db()
    again = ArticleLink.objects.create(
        ticket=t1, article=article, revision_id=first.revision_id, linked_by=agent,
        created_at=D(11), sent_at=D(11),
    )  # fmt: skip
    solve_ticket(t1, kind="article", links=[first, again], by=agent, at=D(11, 2))
    check()
    # Both facts 26 h after the ticket was created.
    assert figures(reports.article_table(scopes[0]))["Reset your password"] == (1, 1, 1, 1, 0, 26)

    # Reopened inside the window (not held), then solved again: held by the
    # second solve, and still one ticket.
    reopen_ticket(t1, at=D(10))
    check()
    solve_ticket(t1, kind="article", links=[again], by=agent, at=D(9))
    check()

    # A new revision, linked on the same ticket: the article still counts it once.
    r2 = ArticleRevision.objects.create(article=article, number=2, title=article.title, body="B")
    article.published_revision = r2
    article.save(update_fields=["published_revision"])
    later = send(t1, article, by=agent, at=D(8))
    check()

    # T2 in billing, solved on the turning day before the window's end (held)
    # and T3 after it (not yet); then T2 moves to general and to video.
    t2 = TicketFactory(inbox=billing_inbox, category=login, created_at=D(7), status="open")
    link = send(t2, article, by=agent, at=D(7))
    solve_ticket(t2, kind="article", links=[link], by=agent, at=D(7, 1))
    t3 = TicketFactory(inbox=billing_inbox, category=video, created_at=D(7), status="open")
    link = send(t3, other, by=agent, at=D(7))
    solve_ticket(t3, kind="article", links=[link], by=agent, at=D(7, 3))
    check()
    assert figures(reports.article_table(scopes[3])) == {
        "Reset your password": (1, 1, 1, 1, 0, 1.0),
        "Reset your password r2": (1, 1, 1, 1, 0),
        "Video stuck": (1, 1, 1, 0, 0, 3.0),
        "Video stuck r1": (1, 1, 1, 0, 0),
    }
    reopen_ticket(t2, at=D(0, 2))  # after its window: the solve still held
    transfer_ticket(t2, inbox=general_inbox, by=agent)
    check()
    set_category(t2, category=video, by=agent)
    check()
    assert "Reset your password" not in figures(reports.article_table(scopes[3]))

    # Bulk edits that bypass the services: a link moved to another day, a fact reopened.
    ArticleLink.objects.filter(ticket=t3).update(created_at=D(6))
    ResolutionArticle.objects.filter(ticket=t3).update(reopened_at=D(6, 5))
    check()

    # Deletes: a solve's facts, a whole solve, a link, a ticket.
    ResolutionArticle.objects.filter(link=first).delete()
    check()
    Resolution.objects.filter(ticket=t3).delete()
    check()
    ArticleLink.objects.filter(pk=later.pk).delete()
    check()
    t2.delete()
    check()
    Ticket.objects.filter(pk=t1.pk).update(inbox=billing_inbox, category=None)
    check()
    t1.delete()
    t3.delete()
    assert not ReportArticle.objects.exclude(n=0, total_ms=0).exists()


def test_a_solve_on_the_turning_day_after_one_that_held_counts_the_pair_once(
    general_inbox, agent, monkeypatch
):
    """Held counts a pair by its earliest solve not reopened. A ticket whose first
    solve held (reopened only after its window) and that is solved again on the
    turning day, before the window's end, at a new revision: the article is held
    once (by the first solve), each revision once (r2 by the turning day's solve),
    through the roll-up as counted."""
    article = ArticleFactory(title="Reset your password")
    ticket = TicketFactory(inbox=general_inbox, created_at=D(20), status="open")
    first = send(ticket, article, by=agent, at=D(20))
    solve_ticket(ticket, kind="article", links=[first], by=agent, at=D(19))
    reopen_ticket(ticket, at=D(9))  # ten days on: past the window, the solve held
    r2 = ArticleRevision.objects.create(article=article, number=2, title=article.title, body="B")
    article.published_revision = r2
    article.save(update_fields=["published_revision"])
    later = send(ticket, article, by=agent, at=D(7))
    solve_ticket(ticket, kind="article", links=[later], by=agent, at=D(7, 1))
    scope = whole_days(general_inbox)

    assert_same_through_the_roll_up([scope], monkeypatch)
    held = {title: row[3] for title, row in figures(reports.article_table(scope)).items()}
    assert held == {"Reset your password": 1, "Reset your password r1": 1,
                    "Reset your password r2": 1}  # fmt: skip


def test_a_pair_first_linked_before_the_period_counts_in_the_earlier_period_only(
    general_inbox, agent, monkeypatch
):
    """The one place the roll-up and the rows differ (``article_days``): a ticket
    linked to the article before the period and again inside it."""
    article = ArticleFactory(title="Reset your password")
    ticket = TicketFactory(inbox=general_inbox, created_at=D(40))
    linked(link_article(ticket, article=article, by=agent), D(40))
    # A second link at the same revision: sending makes one when none is unsent...
    ArticleLink.objects.filter(ticket=ticket).update(sent_at=D(40))
    send(ticket, article, by=agent, at=D(5))
    # Another ticket linked inside the period, so the roll-up answers it.
    other = TicketFactory(inbox=general_inbox, created_at=D(3))
    send(other, ArticleFactory(title="Video stuck"), by=agent, at=D(3))
    scope = whole_days(general_inbox)

    rolled = {row.article.title: row.measures for row in reports.article_table(scope)}
    rows = {row.article.title: row.measures for row in counted(scope, monkeypatch)}

    assert rolled["Video stuck"] == rows["Video stuck"]
    assert (rows["Reset your password"].linked, rows["Reset your password"].sent) == (1, 1)
    assert "Reset your password" not in rolled
    # Over both periods the two agree.
    longer = whole_days(general_inbox, days=60)
    assert reports.article_table(longer) == counted(longer, monkeypatch)
    assert article_days.drift() == []


def test_an_agent_filter_or_part_days_count_the_rows(general_inbox, agent, monkeypatch):
    article = ArticleFactory(title="Reset your password")
    ticket = TicketFactory(inbox=general_inbox, created_at=D(3))
    send(ticket, article, by=agent, at=D(3, 1))
    scope = whole_days(general_inbox)
    called = []
    monkeypatch.setattr(reports, "_rolled_article_measures", lambda r: called.append(r))

    by_agent = reports.article_table(replace(scope, agent_id=agent.pk))
    noon = reports.article_table(replace(scope, since=scope.since + timedelta(hours=12)))

    assert called == []
    assert by_agent[0].measures.linked == noon[0].measures.linked == 1


def test_the_migration_sql_counts_what_the_triggers_kept(general_inbox, billing_inbox):
    build_world(general_inbox, billing_inbox)
    kept = sorted(ReportArticle.objects.exclude(n=0, total_ms=0).values_list())
    kept = [row[1:] for row in kept]

    with connection.cursor() as cursor:
        article_days.refresh(cursor)

    assert sorted(r[1:] for r in ReportArticle.objects.values_list()) == sorted(kept)
    assert len(kept) > 0


@pytest.mark.parametrize(
    ("first", "end"),
    [(date(2026, 8, 31), date(2026, 11, 29)), (date(2024, 1, 1), date(2026, 1, 1)),
     (date(2026, 3, 3), date(2026, 3, 4)), (date(1999, 12, 1), date(2000, 3, 1))],
)  # fmt: skip
def test_periods_cover_the_days_exactly_with_aligned_blocks(first, end):
    ranges = article_days.periods(first, end)

    covered = []
    for span, start, stop in ranges:
        assert span in article_days.SPANS
        assert (start - article_days.EPOCH).days % span == 0
        assert (stop - start).days % span == 0
        covered += [start + timedelta(days=i) for i in range((stop - start).days)]
    assert covered == [first + timedelta(days=i) for i in range((end - first).days)]
    # Whole blocks instead of days: a two-year period reads a few dozen units.
    units = sum((stop - start).days // span for span, start, stop in ranges)
    assert units <= 2 * (7 + 7) + (end - first).days // 64 + 1


def test_the_command_finds_an_article_figure_that_drifted_and_counts_afresh(general_inbox, agent):
    ticket = TicketFactory(inbox=general_inbox, created_at=D(2))
    send(ticket, ArticleFactory(title="Video stuck"), by=agent, at=D(2, 1))
    call_command("report_days", "--check", stdout=io.StringIO())

    # As if links had changed with the triggers off (a bulk load that forgot them).
    ReportArticle.objects.filter(
        measure="l", span=1, inbox_id=-1, category_id=-1, revision_id=-1, n=1
    ).update(n=5)
    with pytest.raises(CommandError, match="1 article figure"):
        call_command("report_days", "--check", stdout=io.StringIO())

    call_command("report_days", stdout=io.StringIO())

    assert article_days.drift() == []


class _Null:
    def write(self, text: str) -> None:
        pass


def test_the_bench_dataset_fills_the_article_roll_up(db):
    # The bench loads rows with the triggers paused, then counts the roll-ups.
    call_command("bench", tickets=300, repeat=1, stdout=_Null())

    assert ReportArticle.objects.filter(measure="l", n__gt=0).exists()
    assert article_days.drift() == []
