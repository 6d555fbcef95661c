"""Every headline figure, matrix cell and table row of the report, against
numbers worked out by hand from tests/tickets/reports_world.py."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.tickets.reports_world import HOUR, D, build_world, today
from tickets.reports import measures as reports
from tickets.reports.measures import Scope


@pytest.fixture
def world(general_inbox, billing_inbox):
    return build_world(general_inbox, billing_inbox)


def scope_for(*inboxes, **extra) -> Scope:
    tz = timezone.get_current_timezone()
    since = datetime.combine(today() - timedelta(days=27), time.min, tzinfo=tz)
    until = datetime.combine(today() + timedelta(days=1), time.min, tzinfo=tz)
    return Scope(inbox_ids=tuple(i.pk for i in inboxes), since=since, until=until, **extra)


def test_headline_all_inboxes(world, general_inbox, billing_inbox):
    current, previous = reports.headline_figures(scope_for(general_inbox, billing_inbox))

    # Created: T1-T8, B1-B3. Solves: T1, T2 twice, T3, T4, T5, B1, B2 (T7 is spam).
    assert (current.created, current.solved) == (11, 8)
    # By an article: T1, T2 (first), T3, T4, B1; gaps: T2 (second), T5, B2.
    assert (current.by_article, current.gaps) == (5, 3)
    assert current.article_share == pytest.approx(5 / 8)
    # Held: T1, T2 (second), T3, B1; not held: T2 (first); T4, T5, B2 still pending.
    assert (current.held, current.not_held) == (4, 1)
    assert current.hold_rate == pytest.approx(4 / 5)
    assert current.reopen_rate == pytest.approx(1 / 8)
    # One agent reply when solved: T1, T3, T4, B1 (T2 had two, T5 and B2 none).
    assert current.one_touch == 4
    assert current.one_touch_rate == pytest.approx(0.5)
    # Resolution times 1, 2, 3, 4, 5, 6, 8, 72 h: median 4.5 h; p90 at 6.3 -> 8 + 0.3 * 64.
    assert current.resolution_median == pytest.approx(4.5 * HOUR)
    assert current.resolution_p90 == pytest.approx(27.2 * HOUR)
    # First responses 0.5, 1, 1, 2, 2, 4 h (T1, T6, T2, B1, T3, T4): median 1.5; p90 at 4.5 -> 3.
    assert current.first_response_median == pytest.approx(1.5 * HOUR)
    assert current.first_response_p90 == pytest.approx(3 * HOUR)
    # Moved between inboxes: T8 and B3.
    assert current.moved == 2

    # Previous period: P1 (A1, 2 h, one reply after 1 h) and P2 (gap, 4 h, reply after 3 h).
    assert (previous.created, previous.solved, previous.by_article, previous.gaps) == (2, 2, 1, 1)
    assert (previous.held, previous.not_held, previous.one_touch, previous.moved) == (2, 0, 2, 0)
    assert previous.resolution_median == pytest.approx(3 * HOUR)
    assert previous.resolution_p90 == pytest.approx(3.8 * HOUR)
    assert previous.first_response_median == pytest.approx(2 * HOUR)


def test_headline_general_inbox_only(world, general_inbox):
    current, _ = reports.headline_figures(scope_for(general_inbox))

    assert (current.created, current.solved, current.by_article, current.gaps) == (8, 6, 4, 2)
    assert (current.held, current.not_held, current.one_touch, current.moved) == (3, 1, 3, 1)
    # Resolution 1, 2, 3, 5, 6, 72 h: median 4; p90 at 4.5 -> 6 + 0.5 * 66 = 39.
    assert current.resolution_median == pytest.approx(4 * HOUR)
    assert current.resolution_p90 == pytest.approx(39 * HOUR)
    # First responses 0.5, 1, 1, 2, 4 h: median 1; p90 at 3.6 -> 2 + 0.6 * 2 = 3.2.
    assert current.first_response_median == pytest.approx(1 * HOUR)
    assert current.first_response_p90 == pytest.approx(3.2 * HOUR)


def test_category_and_agent_filters(world, general_inbox, billing_inbox):
    inboxes = (general_inbox, billing_inbox)
    video, _ = reports.headline_figures(scope_for(*inboxes, category_id=world.video.pk))
    bill, _ = reports.headline_figures(scope_for(*inboxes, agent_id=world.bill.pk))

    # Video: created T3, T4, T5, T8; solves T3, T4 (A2) and T5 (gap); moved T8.
    assert (video.created, video.solved, video.by_article, video.moved) == (4, 3, 2, 1)
    # Bill: assigned B1, B2; solved B1 (A3) and B2 (gap).
    assert (bill.created, bill.solved, bill.by_article, bill.gaps) == (2, 2, 1, 1)


def test_weekly_trend(world, general_inbox, billing_inbox):
    weeks = reports.weekly_trend(scope_for(general_inbox, billing_inbox))

    def week_of(days_ago):
        day = D(days_ago).date()
        return day - timedelta(days=day.weekday())

    expected = {}
    for days, created, solved, by_article in [
        # (days ago, created, solved, by article) per ticket event, from the table above
        (20, 1, 1, 1), (15, 1, 1, 1), (12, 0, 1, 0), (10, 1, 1, 1), (2, 1, 1, 1),
        (5, 1, 1, 0), (8, 1, 0, 0), (3, 1, 0, 0), (6, 1, 0, 0), (9, 1, 1, 1),
        (4, 1, 1, 0), (7, 1, 0, 0),
    ]:  # fmt: skip
        row = expected.setdefault(week_of(days), [0, 0, 0])
        for i, n in enumerate((created, solved, by_article)):
            row[i] += n
    got = {w.start: [w.created, w.solved, w.by_article] for w in weeks if w.created or w.solved}
    assert got == expected
    assert weeks[0].start == week_of(27)
    assert weeks[-1].start == week_of(0)


def test_category_matrix(world, general_inbox, billing_inbox):
    matrix = reports.category_matrix(scope_for(general_inbox, billing_inbox))

    # Login: solves T1, T2 (A1), T2 (gap): 3, A1 2 of them. Video: T3, T4 (A2), T5: 3.
    # Charges: B1 (A3), B2: 2.
    assert [a.title for a in matrix.articles] == [
        "Reset your password", "Video stuck at 90%", "Refunds"
    ]  # fmt: skip
    cells = {row.category.slug: (row.solved, row.gaps, row.cells) for row in matrix.rows}
    assert cells == {
        "login": (3, 1, {world.a1.pk: 2}),
        "video": (3, 1, {world.a2.pk: 2}),
        "charge": (2, 1, {world.a3.pk: 1}),
    }
    login = matrix.rows[0]
    assert login.rate(world.a1.pk) == pytest.approx(2 / 3)
    assert login.rate(world.a2.pk) == 0


def test_article_table(world, general_inbox, billing_inbox):
    rows = {
        r.article.title: r for r in reports.article_table(scope_for(general_inbox, billing_inbox))
    }

    a1 = rows["Reset your password"].measures
    # A1: linked T1, T2 (sent, r1), T6 (r2, not sent); resolved T1 (held) and T2 (not held).
    assert (a1.linked, a1.sent, a1.resolved, a1.held, a1.not_held) == (3, 2, 2, 1, 1)
    assert (a1.resolution_rate, a1.hold_rate) == (pytest.approx(2 / 3), 0.5)
    assert a1.median_resolution_seconds == pytest.approx(4.5 * HOUR)  # 3 h and 6 h
    revisions = {rev.number: (m.linked, m.sent, m.resolved, m.held)
                 for rev, m in rows["Reset your password"].revisions}  # fmt: skip
    assert revisions == {1: (2, 2, 2, 1), 2: (1, 0, 0, 0)}
    a2 = rows["Video stuck at 90%"].measures
    # A2: T3 held, T4 still inside its window: hold rate 1/1.
    assert (a2.linked, a2.sent, a2.resolved, a2.held, a2.not_held) == (2, 2, 2, 1, 0)
    assert a2.hold_rate == 1
    assert a2.median_resolution_seconds == pytest.approx(3 * HOUR)  # 1 h and 5 h
    a3 = rows["Refunds"].measures
    assert (a3.linked, a3.sent, a3.resolved, a3.held) == (1, 1, 1, 1)
    assert list(rows) == ["Reset your password", "Video stuck at 90%", "Refunds"]


def test_content_gaps(world, general_inbox, billing_inbox):
    gaps = reports.content_gaps(scope_for(general_inbox, billing_inbox))

    assert [(g.category.slug, g.gaps) for g in gaps] == [("login", 1), ("video", 1), ("charge", 1)]
    assert [subject for _, subject, _ in gaps[0].examples] == ["T2: help with login"]
    assert gaps[2].examples[0][2] == "Manual refund ZQX"


def test_agent_table(world, general_inbox, billing_inbox):
    rows = {
        r.agent.username: r for r in reports.agent_table(scope_for(general_inbox, billing_inbox))
    }

    gina, bill = rows["gina"], rows["bill"]
    # Gina solved T1, T2 twice, T3, T4, T5 (4 by an article); resolution 1,2,3,5,6,72 h.
    assert (gina.solved, gina.by_article, gina.created) == (6, 4, 6)
    assert gina.article_share == pytest.approx(4 / 6)
    assert gina.resolution_median == pytest.approx(4 * HOUR)
    assert gina.first_response_median == pytest.approx(1 * HOUR)  # 0.5, 1, 1, 2, 4
    # Bill solved B1 (4 h, A3) and B2 (8 h, gap); first response on B1 only, 2 h.
    assert (bill.solved, bill.by_article, bill.created) == (2, 1, 2)
    assert bill.resolution_median == pytest.approx(6 * HOUR)
    assert bill.first_response_median == pytest.approx(2 * HOUR)
    assert list(rows) == ["gina", "bill"]


def test_inbox_comparison(world, general_inbox, billing_inbox):
    figures = dict(reports.inbox_figures(scope_for(general_inbox, billing_inbox)))

    general, billing = figures[general_inbox], figures[billing_inbox]
    assert (general.created, general.solved, general.held, general.moved) == (8, 6, 3, 1)
    assert (billing.created, billing.solved, billing.by_article, billing.gaps) == (3, 2, 1, 1)
    assert (billing.held, billing.not_held, billing.one_touch, billing.moved) == (1, 0, 1, 1)
    assert billing.resolution_median == pytest.approx(6 * HOUR)
    assert billing.resolution_p90 == pytest.approx(7.6 * HOUR)  # 4 + 0.9 * 4
