"""Demo data of the tickets app for `manage.py load_demo`.

A few hundred tickets over the last 90 days in both inboxes, written through
the same services the app uses (threads, first responses, articles sent,
resolutions, reopenings), so every page has something true to show.
Deterministic (a fixed seed); running twice adds nothing.
"""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from articles.models import Article, IssueCategory
from supportdesk.demo import DEMO_USERS
from supportdesk.roles import AGENT
from tickets.demo.sample_text import FIRST_NAMES, FOLLOW_UPS, LAST_NAMES, NOTES, TOPICS
from tickets.models import Inbox, Message, Resolution, Ticket, TicketEvent
from tickets.resolution import close_solved_tickets, link_article, solve_ticket
from tickets.services import (
    add_customer_message,
    add_note,
    add_reply,
    create_ticket,
    get_or_create_customer,
    transfer_ticket,
)
from tickets.sla.policies import ensure_default_policies

SEED = 2026
TICKETS = 320
DAYS = 90
CUSTOMER_DOMAIN = "customers.demo.example"
# About a quarter of the mail is billing; failed generations lead the rest.
WEIGHTS = [
    12 if t.inbox == "billing" else 7 if t.category == "failed-generations" else 3 for t in TOPICS
]


def load(*, users: dict, stdout) -> None:
    """Create the demo tickets; running twice must not duplicate anything."""
    inboxes = {inbox.slug: inbox for inbox in Inbox.objects.all()}
    for spec in DEMO_USERS:
        if spec.inbox and spec.username in users and spec.inbox in inboxes:
            inboxes[spec.inbox].members.add(users[spec.username])
    for inbox in inboxes.values():
        ensure_default_policies(inbox)  # SLAs (issue 15): the queue flags what is due
    if Ticket.objects.filter(customer__email__endswith=f"@{CUSTOMER_DOMAIN}").exists():
        stdout.write("Demo tickets already loaded.")
        return
    agents = {
        slug: [
            users[s.username]
            for s in DEMO_USERS
            if s.inbox == slug and s.role == AGENT and s.username in users
        ]
        for slug in inboxes
    }
    made = DemoTickets(inboxes=inboxes, agents=agents).make(TICKETS)
    # The demo's replies are history: they went out when they were written
    # (their queued send tasks find nothing left to send).
    # By ticket ids: a join on freshly loaded, unanalysed tables can get a plan
    # that takes minutes on PostgreSQL.
    demo_tickets = list(
        Ticket.objects.filter(customer__email__endswith=f"@{CUSTOMER_DOMAIN}").values_list(
            "pk", flat=True
        )
    )
    Message.objects.filter(ticket_id__in=demo_tickets, delivery=Message.Delivery.QUEUED).update(
        delivery=Message.Delivery.SENT, sent_at=F("created_at")
    )
    closed = close_solved_tickets()
    stdout.write(f"Demo tickets: {made} in {len(inboxes)} inboxes ({closed} closed).")


class DemoTickets:
    def __init__(self, *, inboxes: dict, agents: dict) -> None:
        self.rng = random.Random(SEED)
        self.inboxes = inboxes
        self.agents = agents
        self.now = timezone.now()
        self.categories = {c.slug: c for c in IssueCategory.objects.all()}
        self.articles: dict[str, list[Article]] = {}
        for article in Article.objects.published().select_related("category"):
            if article.category:
                self.articles.setdefault(article.category.slug, []).append(article)
        self.customers = [
            (f"{first} {last}", f"{first}.{last}@{CUSTOMER_DOMAIN}".lower())
            for first, last in zip(FIRST_NAMES * 4, LAST_NAMES * 5, strict=False)
        ][:70]

    def make(self, count: int) -> int:
        recent = count // 6  # the live queue: the last two days
        for i in range(count - recent):
            age = timedelta(days=2 + (DAYS - 2) * (1 - i / (count - recent)))
            self.ticket(self.now - age - timedelta(minutes=self.rng.randrange(0, 600)))
        for i in range(recent):
            self.ticket(self.now - timedelta(hours=48 * (1 - i / recent), minutes=5))
        return count

    def ticket(self, created) -> Ticket:
        rng = self.rng
        topic = rng.choices(TOPICS, WEIGHTS)[0]
        inbox = self.inboxes.get(topic.inbox) or next(iter(self.inboxes.values()))
        # Some billing questions reach support@ first and are moved (misrouted).
        misrouted = inbox.slug == "billing" and "general" in self.inboxes and rng.random() < 0.15
        k = rng.randrange(len(topic.subjects))
        name, email = rng.choice(self.customers)
        ticket = create_ticket(
            inbox=self.inboxes["general"] if misrouted else inbox,
            customer=get_or_create_customer(email, name),
            subject=topic.subjects[k],
            body_text=topic.messages[k % len(topic.messages)],
            channel=rng.choices(list(Ticket.Channel.values), [8, 1, 1, 1])[0],
            at=created,
        )
        priority = rng.choices([1, 2, 3, 4], [2, 12, 4, 1])[0]
        Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
        if misrouted and self.agents.get("general"):
            mover = rng.choice(self.agents["general"])
            ticket = transfer_ticket(
                ticket, inbox=inbox, by=mover, at=self._after(created, minutes=(5, 120))
            )
        age = self.now - created
        if age < timedelta(hours=6) and rng.random() < 0.7:
            return ticket  # new: nobody has looked yet
        agent = self._assign(ticket, inbox, created + timedelta(minutes=rng.randrange(2, 90)))
        if agent is None:
            return ticket
        reply_at = self._after(created, minutes=(10, 480))
        reply = add_reply(ticket, body_text=rng.choice(topic.replies), by=agent, at=reply_at)
        links = self._send_article(ticket, topic, agent, reply)
        if rng.random() < 0.25:
            add_note(
                ticket, body_text=rng.choice(NOTES), by=agent, at=self._after(reply_at, (1, 30))
            )
        if (age < timedelta(days=2) and rng.random() < 0.6) or rng.random() < 0.04:
            if rng.random() < 0.35:
                self._status(ticket, agent, "pending", self._after(reply_at, (1, 20)))
            return ticket
        solved_at = self._after(reply_at, minutes=(30, 2880))
        self._solve(ticket, topic, agent, links, solved_at)
        if rng.random() < 0.12:
            # The answer did not hold: the customer writes back, it reopens.
            again = self._after(solved_at, minutes=(60, 4 * 1440))
            add_customer_message(ticket, body_text=FOLLOW_UPS[1], at=again)
            if rng.random() < 0.7:
                reply_at = self._after(again, minutes=(10, 240))
                add_reply(ticket, body_text="Sorry it came back. " + rng.choice(topic.replies),
                          by=agent, at=reply_at)  # fmt: skip
                self._solve(ticket, topic, agent, links, self._after(reply_at, (30, 1440)))
        return ticket

    def _after(self, moment, minutes: tuple[int, int]):
        later = moment + timedelta(minutes=self.rng.randrange(*minutes))
        return min(later, self.now - timedelta(minutes=1))

    def _assign(self, ticket: Ticket, inbox: Inbox, at):
        candidates = self.agents.get(inbox.slug) or []
        if not candidates:
            return None
        agent = self.rng.choice(candidates)
        Ticket.objects.filter(pk=ticket.pk).update(assignee=agent, updated_at=at)
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.ASSIGNEE, actor=agent,
            new_value=agent.get_full_name(), created_at=at,
        )  # fmt: skip
        return agent

    def _status(self, ticket: Ticket, agent, status: str, at) -> None:
        old = Ticket.objects.get(pk=ticket.pk).status
        Ticket.objects.filter(pk=ticket.pk).update(status=status, updated_at=at)
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.STATUS, actor=agent, old_value=old,
            new_value=status, created_at=at,
        )  # fmt: skip

    def _send_article(self, ticket: Ticket, topic, agent, reply) -> list:
        articles = self.articles.get(topic.category)
        if not articles or self.rng.random() < 0.25:
            return []
        try:
            return [
                link_article(ticket, article=self.rng.choice(articles), by=agent, message=reply)
            ]
        except ValidationError:
            return []

    def _solve(self, ticket: Ticket, topic, agent, links: list, at) -> None:
        roll = self.rng.random()
        if links and roll < 0.8:
            kind, note = Resolution.Kind.ARTICLE, ""
        elif roll < 0.93:
            kind, note = Resolution.Kind.NO_ARTICLE, "Explained the steps by hand; no article yet."
        else:
            kind, note = Resolution.Kind.NOT_APPLICABLE, "Duplicate of an earlier ticket."
        solve_ticket(
            ticket, kind=kind, by=agent, links=links if kind == Resolution.Kind.ARTICLE else (),
            note=note, category=self.categories.get(topic.category), at=at,
        )  # fmt: skip
