"""The ``ReportDay`` roll-up: kept right by the triggers whatever writes the rows,
and the report's weekly trend, matrix and gaps the same through it as from the rows."""

import io
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from tests.factories import ArticleFactory, IssueCategoryFactory, TicketFactory, UserFactory
from tests.tickets.reports_world import build_world, today
from tickets.models import ArticleLink, ReportDay, Resolution, ResolutionArticle, Ticket
from tickets.reports import days as report_days
from tickets.reports import measures as reports
from tickets.reports.measures import Scope
from tickets.resolution import link_article, reopen_ticket, solve_ticket
from tickets.services import set_category, transfer_ticket


def at(days_ago: int, hour: int = 10) -> datetime:
    day = today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def rolled_up() -> dict:
    """{(day, inbox, category): (created, solved, by_article, gaps)} over the stripes,
    empty rows left out."""
    totals: dict = {}
    for r in ReportDay.objects.all():
        key = (r.day, r.inbox_id, r.category_id)
        counts = totals.get(key, (0, 0, 0, 0))
        totals[key] = tuple(
            a + b for a, b in zip(counts, (r.created, r.solved, r.by_article, r.gaps), strict=True)
        )
    return {key: counts for key, counts in totals.items() if counts != (0, 0, 0, 0)}


def recounted() -> dict:
    """The same, counted afresh from the tickets and resolutions (the migration's SQL)."""
    with connection.cursor() as cursor:
        cursor.execute(report_days.REFRESH_SQL)
    return rolled_up()


@pytest.fixture
def agent(general_inbox, billing_inbox):
    user = UserFactory(role="Agent")
    general_inbox.members.add(user)
    billing_inbox.members.add(user)
    return user


def test_created_tickets_count_by_their_current_inbox_and_category(
    general_inbox, billing_inbox, agent
):
    login = IssueCategoryFactory(slug="login", name="Login")
    credits = IssueCategoryFactory(slug="credits", name="Credits")
    first = TicketFactory(inbox=general_inbox, category=login, created_at=at(3))
    TicketFactory(inbox=general_inbox, category=login, created_at=at(3, hour=23))
    moved = TicketFactory(inbox=general_inbox, created_at=at(2))
    gone = TicketFactory(inbox=billing_inbox, category=credits, created_at=at(1))

    transfer_ticket(moved, inbox=billing_inbox, by=agent)
    set_category(moved, category=credits, by=agent)
    set_category(first, category=None, by=agent)
    gone.delete()
    # A bulk edit that bypasses the services still moves the count.
    Ticket.objects.filter(pk=first.pk).update(created_at=at(5))

    assert rolled_up() == {
        (today() - timedelta(days=5), general_inbox.pk, 0): (1, 0, 0, 0),
        (today() - timedelta(days=3), general_inbox.pk, login.pk): (1, 0, 0, 0),
        (today() - timedelta(days=2), billing_inbox.pk, credits.pk): (1, 0, 0, 0),
    }
    assert rolled_up() == recounted()


def test_solves_count_by_the_resolution_and_only_article_or_no_article(general_inbox, agent):
    login = IssueCategoryFactory(slug="login", name="Login")
    article = ArticleFactory(title="I can't log in", category=login)
    by_article, gap, spam = (TicketFactory(inbox=general_inbox, created_at=at(4)) for _ in "abc")

    link = link_article(by_article, article=article, by=agent)
    solve_ticket(by_article, kind="article", links=[link], by=agent, at=at(2))
    solve_ticket(gap, kind="no_article", note="new problem", category=login, by=agent, at=at(2))
    solve_ticket(spam, kind="not_applicable", note="spam", by=agent, at=at(2))
    # Reopened and solved again: each solve counts, as in the report.
    reopen_ticket(gap, by=agent, at=at(1))
    solve_ticket(gap, kind="no_article", note="again", category=login, by=agent, at=at(1))

    assert rolled_up() == {
        (today() - timedelta(days=4), general_inbox.pk, login.pk): (2, 0, 0, 0),
        (today() - timedelta(days=4), general_inbox.pk, 0): (1, 0, 0, 0),
        (today() - timedelta(days=2), general_inbox.pk, login.pk): (0, 2, 1, 1),
        (today() - timedelta(days=1), general_inbox.pk, login.pk): (0, 1, 0, 1),
    }
    Resolution.objects.filter(ticket=gap).delete()
    assert rolled_up()[(today() - timedelta(days=2), general_inbox.pk, login.pk)] == (0, 1, 1, 0)
    assert rolled_up() == recounted()


def whole_days(*inboxes, **extra) -> Scope:
    tz = timezone.get_current_timezone()
    since = datetime.combine(today() - timedelta(days=27), time.min, tzinfo=tz)
    until = datetime.combine(today() + timedelta(days=1), time.min, tzinfo=tz)
    return Scope(inbox_ids=tuple(i.pk for i in inboxes), since=since, until=until, **extra)


PARTS = (reports.weekly_trend, reports.category_matrix, reports.content_gaps)


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.__name__)
def test_the_report_reads_the_same_figures_through_the_roll_up(
    part, general_inbox, billing_inbox, monkeypatch
):
    world = build_world(general_inbox, billing_inbox)
    scopes = [
        whole_days(general_inbox, billing_inbox),
        whole_days(billing_inbox),
        whole_days(general_inbox, category_id=world.login.pk),
    ]
    assert all(reports.report_days_of(scope) is not None for scope in scopes)
    through_roll_up = [part(scope) for scope in scopes]

    monkeypatch.setattr(report_days, "whole_days", lambda *args, **kwargs: None)

    assert through_roll_up == [part(scope) for scope in scopes]


def test_an_agent_filter_or_part_days_count_the_rows(general_inbox):
    scope = whole_days(general_inbox)
    assert reports.report_days_of(scope) is not None
    assert reports.report_days_of(replace(scope, agent_id=1)) is None
    noon = scope.since + timedelta(hours=12)
    assert reports.report_days_of(replace(scope, since=noon)) is None


def test_a_new_time_zone_counts_rows_until_migrate_rebuilds_the_roll_up(general_inbox):
    kolkata = ZoneInfo("Asia/Kolkata")
    # 23:30 UTC is already the next day in Kolkata (UTC+5:30).
    created = datetime.combine(today() - timedelta(days=3), time(23, 30), tzinfo=ZoneInfo("UTC"))
    TicketFactory(inbox=general_inbox, created_at=created)
    with override_settings(TIME_ZONE="Asia/Kolkata"), timezone.override(kolkata):
        scope = whole_days(general_inbox)
        assert not reports.report_days_of(scope).exists()  # built for UTC: no answer
        weeks = reports.weekly_trend(scope)  # counted from the rows instead

        assert report_days.rebuild_if_zone_changed(using="default")

        assert reports.report_days_of(scope).get().day == created.astimezone(kolkata).date()
        assert reports.weekly_trend(scope) == weeks
    assert sum(w.created for w in weeks) == 1


def test_the_command_finds_a_count_that_drifted_and_counts_afresh(general_inbox):
    TicketFactory(inbox=general_inbox, created_at=at(2))
    out = io.StringIO()
    call_command("report_days", "--check", stdout=out)
    assert "matches" in out.getvalue()

    # As if rows had changed with the triggers off (a bulk load that forgot them).
    ReportDay.objects.filter(created__gt=0).update(created=F("created") + 2)
    with pytest.raises(CommandError, match="1 day/inbox/category count"):
        call_command("report_days", "--check", stdout=io.StringIO())

    call_command("report_days", stdout=io.StringIO())

    assert report_days.drift() == []
    assert rolled_up() == {(today() - timedelta(days=2), general_inbox.pk, 0): (1, 0, 0, 0)}


# == ReportSlice: duration buckets, per-agent counts, the matrix's article solves ==


def test_slices_follow_every_change_and_match_a_recount(general_inbox, billing_inbox, agent):
    world = build_world(general_inbox, billing_inbox)
    assert report_days.slice_drift() == []
    other = UserFactory(role="Agent")
    t1, t2 = world.tickets["T1"], world.tickets["T2"]
    # Reassigned, recategorised, moved, answered later, a solve's facts deleted,
    # and a bulk edit that bypasses the services: each moves buckets and counts.
    Ticket.objects.filter(pk=t1.pk).update(assignee=other)
    set_category(world.tickets["T6"], category=world.video, by=agent)
    transfer_ticket(world.tickets["T8"], inbox=billing_inbox, by=agent)
    Ticket.objects.filter(pk=t2.pk).update(category=world.charge)
    Ticket.objects.filter(pk=world.tickets["T6"].pk).update(
        first_response_at=F("created_at") + timedelta(hours=3)
    )
    Resolution.objects.filter(ticket=world.tickets["B1"]).delete()
    Resolution.objects.filter(ticket=t1).update(solved_by=other, agent_replies=2)

    assert report_days.slice_drift() == []
    assert report_days.drift() == []


def test_the_matrix_counts_a_resolution_once_per_article(general_inbox, agent):
    login = IssueCategoryFactory(slug="login", name="Login")
    article = ArticleFactory(title="I can't log in", category=login)
    ticket = TicketFactory(inbox=general_inbox, category=login, created_at=at(3))
    first = link_article(ticket, article=article, by=agent)
    second = ArticleLink.objects.create(
        ticket=ticket, article=article, revision_id=first.revision_id, linked_by=agent
    )
    solve_ticket(ticket, kind="article", links=[first, second], by=agent, at=at(2))
    scope = whole_days(general_inbox)

    matrix = reports.category_matrix(scope)

    assert matrix.rows[0].cells == {article.pk: 1}
    ResolutionArticle.objects.filter(link=first).delete()
    assert reports.category_matrix(scope).rows[0].cells == {article.pk: 1}
    ResolutionArticle.objects.filter(link=second).delete()
    assert reports.category_matrix(scope).rows[0].cells == {}
    assert report_days.slice_drift() == []


ROLLED_PARTS = (reports.headline_figures, reports.inbox_figures, reports.agent_table)


@pytest.mark.parametrize("part", ROLLED_PARTS, ids=lambda p: p.__name__)
def test_headline_inbox_and_agent_figures_are_the_rows_through_the_roll_ups(
    part, general_inbox, billing_inbox, monkeypatch
):
    """The world's durations are whole hours and half hours, each alone in its
    bucket, so even the percentiles come out exactly as counted."""
    world = build_world(general_inbox, billing_inbox)
    scopes = [
        whole_days(general_inbox, billing_inbox),
        replace(whole_days(general_inbox, billing_inbox), every_inbox=True),
        whole_days(billing_inbox),
        whole_days(general_inbox, category_id=world.login.pk),
    ]
    assert all(reports.roll_up(scope) is not None for scope in scopes)
    through_roll_up = [part(scope) for scope in scopes]

    monkeypatch.setattr(report_days, "whole_days", lambda *args, **kwargs: None)

    assert through_roll_up == [part(scope) for scope in scopes]


def test_a_percentile_from_the_buckets_is_within_the_stated_error(db):
    values = [1.5 * 1.37**k for k in range(40)] + [0.25, 0.5, 90000.0, 90001.0]
    buckets: dict = {}
    with connection.cursor() as cursor:
        for value in values:
            cursor.execute("SELECT tickets_report_bucket(%s)", [value])
            bucket = cursor.fetchone()[0]
            n, total = buckets.get(bucket, (0, 0))
            buckets[bucket] = (n + 1, total + round(value * 1000))
    ordered = sorted(values)
    for fraction in (0.1, 0.5, 0.9):
        rank = fraction * (len(ordered) - 1)
        low = ordered[int(rank)]
        exact = low + (rank - int(rank)) * (ordered[min(int(rank) + 1, len(ordered) - 1)] - low)
        estimate = report_days.percentile(buckets, fraction)
        assert abs(estimate - exact) <= report_days.PERCENTILE_ERROR * exact
    assert report_days.percentile({}, 0.5) is None


def test_folding_past_stripes_keeps_every_count_and_figure(general_inbox, billing_inbox, agent):
    """Past days' stripes fold into one row each; the counts, the report's
    figures, and the triggers' later moves stay right."""
    for days_ago in (1, 3, 5, 9):
        for n in range(6):
            ticket = TicketFactory(inbox=general_inbox if n % 2 else billing_inbox)
            Ticket.objects.filter(pk=ticket.pk).update(created_at=at(days_ago))
    old = Ticket.objects.filter(created_at__lt=at(4)).order_by("pk").first()
    scope = Scope(inbox_ids=(general_inbox.pk, billing_inbox.pk), every_inbox=True,
                  since=at(30, 0), until=at(-1, 0))  # fmt: skip
    before = rolled_up(), reports.period_figures(scope), reports.weekly_trend(scope)
    assert ReportDay.objects.filter(day__lt=today() - timedelta(days=1)).exclude(stripe=0).exists()

    call_command("report_days", "--fold", stdout=io.StringIO())

    past = ReportDay.objects.filter(day__lt=today() - timedelta(days=1))
    assert not past.exclude(stripe=0).exists()
    assert ReportDay.objects.filter(day=today() - timedelta(days=1)).exclude(stripe=0).exists()
    assert (rolled_up(), reports.period_figures(scope), reports.weekly_trend(scope)) == before
    # A later move of a folded day's ticket: the triggers bump its stripe again.
    other = general_inbox if old.inbox_id == billing_inbox.pk else billing_inbox
    transfer_ticket(old, inbox=other, by=agent)
    assert report_days.drift() == []
    assert rolled_up() == recounted()
