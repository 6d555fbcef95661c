"""A hand-designed desk for the report tests; every figure below is worked out by hand.

Days are counted back from today; D(n) is 10:00 on the day n days ago. The
report period is the last 28 days (D(27)..today), the previous one D(55)..D(28).
Hold window 7 days. Inboxes: general (Gina) and billing (Bill).

current period                                       replies  solves (kind, at, held?)
T1 general login  created D20, reply+1h sends A1r1      1     A1 at +3h, held
T2 general login  created D15, reply+2h sends A1r1,     2     A1 at +6h, reopened D14 (not held);
                  reply+5h                                     no_article at D12, held
T3 general video  created D10, reply+30min sends A2     1     A2 at +1h, held
T4 general video  created D2,  reply+4h sends A2        1     A2 at +5h, pending
T5 general video  created D5                            0     no_article at +2h, pending
T6 general login  created D8,  reply+1h links A1r2      1     open (A1 r2 linked, not sent)
T7 general        created D3                            0     not applicable (spam) at +1h
T8 general video  created D6,  moved from billing D6+1h 0     open
B1 billing charge created D9,  reply+2h sends A3        1     A3 at +4h, held
B2 billing charge created D4                            0     no_article at +8h, pending
B3 billing charge created D7,  moved from general +1h   0     open
previous period
P1 general login  created D40, reply+1h sends A1r1      1     A1 at +2h, held
P2 general video  created D35, reply+3h                 1     no_article at +4h, held
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from articles.models import ArticleRevision
from tests.factories import (
    ArticleFactory,
    IssueCategoryFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import ArticleLink, TicketEvent
from tickets.resolution import link_article, reopen_ticket, solve_ticket

HOUR = 3600.0
BILLING_SUBJECTS = ("Refund for invoice ZQX-1", "Charged twice ZQX-2", "Moved ZQX-3")


def today() -> date:
    return timezone.localdate()


def D(days: int, hours: float = 0) -> datetime:
    start = datetime.combine(
        today() - timedelta(days=days), time(10), tzinfo=timezone.get_current_timezone()
    )
    return start + timedelta(hours=hours)


def period_query(days: int = 28) -> str:
    """The custom period of the last ``days`` days, as the filter bar sends it."""
    return f"period=custom&start={today() - timedelta(days=days - 1)}&end={today()}"


@dataclass
class World:
    gina: object
    bill: object
    login: object
    video: object
    charge: object
    a1: object
    a2: object
    a3: object
    r1: object
    r2: object
    tickets: dict


def build_world(general_inbox, billing_inbox) -> World:
    from supportdesk.roles import AGENT

    gina = UserFactory(role=AGENT, username="gina", first_name="Gina", last_name="General")
    bill = UserFactory(role=AGENT, username="bill", first_name="Bill", last_name="Billing")
    general_inbox.members.add(gina)
    billing_inbox.members.add(bill)
    login = IssueCategoryFactory(slug="login", name="Login", position=1)
    video = IssueCategoryFactory(slug="video", name="Video", position=2)
    charge = IssueCategoryFactory(slug="charge", name="Charges", position=3)
    a1 = ArticleFactory(title="Reset your password", category=login)
    a2 = ArticleFactory(title="Video stuck at 90%", category=video)
    a3 = ArticleFactory(title="Refunds", category=charge)
    r1 = a1.published_revision
    tickets = {}

    def ticket(name, inbox, category, created, assignee, subject=None):
        t = TicketFactory(
            inbox=inbox, category=category, created_at=created, status="open",
            assignee=assignee, subject=subject or f"{name}: help with {category.slug}",
        )  # fmt: skip
        tickets[name] = t
        return t

    def reply(t, by, at, article=None, send=True):
        message = MessageFactory(ticket=t, kind="reply", author=by, created_at=at)
        if t.first_response_at is None:
            t.first_response_at = at
            t.save(update_fields=["first_response_at"])
        if article is None:
            return None
        link = link_article(t, article=article, by=by, message=message if send else None)
        ArticleLink.objects.filter(pk=link.pk).update(created_at=at)
        return link

    def move(t, at, old, new):
        TicketEvent.objects.create(
            ticket=t, kind=TicketEvent.Kind.INBOX, old_value=old, new_value=new, created_at=at
        )

    t1 = ticket("T1", general_inbox, login, D(20), gina)
    link = reply(t1, gina, D(20, 1), a1)
    solve_ticket(t1, kind="article", links=[link], by=gina, at=D(20, 3))

    t2 = ticket("T2", general_inbox, login, D(15), gina)
    link = reply(t2, gina, D(15, 2), a1)
    reply(t2, gina, D(15, 5))
    solve_ticket(t2, kind="article", links=[link], by=gina, at=D(15, 6))
    reopen_ticket(t2, at=D(14))
    solve_ticket(t2, kind="no_article", note="Reset it from the admin", by=gina, at=D(12))

    t3 = ticket("T3", general_inbox, video, D(10), gina)
    link = reply(t3, gina, D(10, 0.5), a2)
    solve_ticket(t3, kind="article", links=[link], by=gina, at=D(10, 1))

    t4 = ticket("T4", general_inbox, video, D(2), gina)
    link = reply(t4, gina, D(2, 4), a2)
    solve_ticket(t4, kind="article", links=[link], by=gina, at=D(2, 5))

    t5 = ticket("T5", general_inbox, video, D(5), gina)
    solve_ticket(t5, kind="no_article", note="Cleared the cache server side", by=gina, at=D(5, 2))

    # A1 gets a second revision; T6's link is to it, linked only.
    r2 = ArticleRevision.objects.create(article=a1, number=2, title=a1.title, body="Better")
    a1.published_revision = r2
    a1.save(update_fields=["published_revision"])
    t6 = ticket("T6", general_inbox, login, D(8), gina)
    reply(t6, gina, D(8, 1), a1, send=False)

    t7 = ticket("T7", general_inbox, login, D(3), None)
    solve_ticket(t7, kind="not_applicable", by=gina, at=D(3, 1))

    t8 = ticket("T8", general_inbox, video, D(6), None)
    move(t8, D(6, 1), "billing", "general")

    b1 = ticket("B1", billing_inbox, charge, D(9), bill, BILLING_SUBJECTS[0])
    link = reply(b1, bill, D(9, 2), a3)
    solve_ticket(b1, kind="article", links=[link], by=bill, at=D(9, 4))

    b2 = ticket("B2", billing_inbox, charge, D(4), bill, BILLING_SUBJECTS[1])
    solve_ticket(b2, kind="no_article", note="Manual refund ZQX", by=bill, at=D(4, 8))

    b3 = ticket("B3", billing_inbox, charge, D(7), None, BILLING_SUBJECTS[2])
    move(b3, D(7, 1), "general", "billing")

    p1 = ticket("P1", general_inbox, login, D(40), gina)
    a1.published_revision = r1  # P1 was sent revision 1, long ago
    a1.save(update_fields=["published_revision"])
    link = reply(p1, gina, D(40, 1), a1)
    solve_ticket(p1, kind="article", links=[link], by=gina, at=D(40, 2))
    a1.published_revision = r2
    a1.save(update_fields=["published_revision"])

    p2 = ticket("P2", general_inbox, video, D(35), gina)
    reply(p2, gina, D(35, 3))
    solve_ticket(p2, kind="no_article", note="Explained the queue", by=gina, at=D(35, 4))

    return World(gina, bill, login, video, charge, a1, a2, a3, r1, r2, tickets)
