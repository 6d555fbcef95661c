"""The benchmark dataset: N tickets with threads, links, resolutions and audit
events in both inboxes, written with COPY (PostgreSQL) so 1M tickets take
minutes, not hours. Deterministic for a given N.

A dataset is marked by a customer ``bench-dataset-<N>@bench.invalid``, made
in the same transaction as the rows, so an interrupted build is never reused
and a finished one is.
"""

import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, ArticleRevision, IssueCategory
from supportdesk.roles import AGENT
from tickets.demo.sample_text import FIRST_NAMES, FOLLOW_UPS, LAST_NAMES, NOTES, TOPICS
from tickets.models import (
    ArticleLink,
    Customer,
    Inbox,
    Message,
    Notification,
    ReportDay,
    ReportSlice,
    ReportSliceBlock,
    Resolution,
    ResolutionArticle,
    Ticket,
    TicketEvent,
)
from tickets.queues import live_counts
from tickets.reports import article_days
from tickets.reports import days as report_days
from tickets.reports import moves as report_moves
from tickets.search import document as search_document
from tickets.services import preview_of
from tickets.sla import clock as sla_clock
from tickets.sla.policies import ensure_default_policies

MARKER = re.compile(r"^bench-dataset-(\d+)@bench\.invalid$")
PROBE_USERNAME = "bench-agent"
CHUNK = 20_000


def marker_email(size: int) -> str:
    return f"bench-dataset-{size}@bench.invalid"


def existing_sizes() -> list[int]:
    emails = Customer.objects.filter(email__endswith="@bench.invalid").values_list(
        "email", flat=True
    )
    return sorted(int(m.group(1)) for e in emails if (m := MARKER.match(e)))


@dataclass
class Setup:
    probe: User
    agents: dict[int, list[int]]  # inbox id -> agent ids (the probe agent first)
    inboxes: dict[str, int]
    categories: dict[str, int]
    articles: dict[str, list[tuple[int, int]]]  # category slug -> (article, revision)


def _setup() -> Setup:
    group, _ = Group.objects.get_or_create(name=AGENT)
    inboxes = {
        inbox.slug: inbox for inbox in Inbox.objects.filter(slug__in=["general", "billing"])
    }
    probe, _ = User.objects.get_or_create(
        username=PROBE_USERNAME, defaults={"first_name": "Bench", "last_name": "Agent"}
    )
    probe.groups.add(group)
    agents: dict[int, list[int]] = {}
    for slug, count in (("general", 8), ("billing", 3)):
        inbox = inboxes[slug]
        inbox.members.add(probe)
        ids = [probe.pk]
        for i in range(count):
            user, _ = User.objects.get_or_create(
                username=f"bench-{slug}-{i}",
                defaults={"first_name": FIRST_NAMES[i], "last_name": LAST_NAMES[i]},
            )
            user.groups.add(group)
            inbox.members.add(user)
            ids.append(user.pk)
        agents[inbox.pk] = ids
    for inbox in inboxes.values():
        ensure_default_policies(inbox)  # SLA targets (issue 15)
    categories = dict(IssueCategory.objects.values_list("slug", "pk"))
    articles: dict[str, list[tuple[int, int]]] = {}
    for slug, category_id in categories.items():
        published = list(
            Article.objects.published()
            .filter(category_id=category_id)
            .values_list("pk", "published_revision_id")[:3]
        )
        if not published:
            published = [_bench_article(slug, category_id, i, probe) for i in range(2)]
        articles[slug] = published
    return Setup(probe, agents, {s: i.pk for s, i in inboxes.items()}, categories, articles)


def _sla_clocks(first_ticket: int) -> None:
    """The SLA clocks and due times of the live tickets, by the same code that
    keeps them (the data step for tickets from before SLAs)."""
    live = Ticket.objects.filter(pk__gte=first_ticket, status__in=Ticket.OPEN_STATUSES)
    sla_clock.refresh_tickets(live.values_list("pk", flat=True))


def _bench_article(slug: str, category_id: int, i: int, author: User) -> tuple[int, int]:
    article, _ = Article.objects.get_or_create(
        slug=f"bench-{slug}-{i}",
        defaults={"title": f"Bench article {i} on {slug}", "category_id": category_id},
    )
    if article.published_revision_id is None:
        revision = ArticleRevision.objects.create(
            article=article, number=1, title=article.title, body="Steps.", author=author
        )
        article.current_revision = article.published_revision = revision
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
        article.save()
    return article.pk, article.published_revision_id


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite takes MAX(id) + 1 by itself
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


COLUMNS = {
    "customer": (Customer, "id email name created_at"),
    "ticket": (
        Ticket,
        "id inbox_id subject customer_id status priority assignee_id category_id channel "
        "created_at updated_at first_response_at solved_at closed_at "
        "last_customer_message_at preview",
    ),
    "message": (
        Message,
        "id ticket_id kind author_id body_text body_html created_at message_id in_reply_to "
        "references delivery",
    ),
    "event": (TicketEvent, "ticket_id kind actor_id old_value new_value created_at"),
    "link": (
        ArticleLink,
        "id ticket_id article_id revision_id linked_by_id created_at message_id sent_at",
    ),
    "resolution": (
        Resolution,
        "id ticket_id kind category_id note solved_by_id inbox_id solved_at reopened_at "
        "ticket_created_at agent_replies",
    ),
    "resolution_link": (Resolution.links.through, "resolution_id articlelink_id"),
    "resolution_article": (
        ResolutionArticle,
        "resolution_id link_id ticket_id article_id revision_id linked_at inbox_id "
        "category_id solved_by_id solved_at reopened_at ticket_created_at",
    ),
}


def _copy(table_key: str, rows: list) -> None:
    """COPY on PostgreSQL; plain multi-row inserts elsewhere (SQLite demo)."""
    if not rows:
        return
    model, columns = COLUMNS[table_key]
    names = ", ".join(f'"{c}"' for c in columns.split())
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns.split()))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            return
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            # One text block per chunk: formatting here is several times
            # faster than adapting value by value (write_row).
            copy.write("".join(["\t".join(map(_text, row)) + "\n" for row in rows]))


def _text(value) -> str:
    """A value in COPY's text format (our sample text has no tabs or newlines)."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\")


def _drop_secondary_indexes(models) -> list[str]:
    """Drop the indexes no constraint needs and return their definitions:
    building an index once after COPY is far faster than row by row."""
    if connection.vendor != "postgresql":
        return []
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s)
              AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [tables],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def _create_indexes(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        for definition in definitions:
            cursor.execute(definition)


def _row_triggers(*, enabled: bool) -> None:
    """Pause the per-row triggers (search documents, report days, live counts):
    one statement each fills them in after the load."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for triggers in (search_document.TRIGGERS, report_days.TRIGGERS, live_counts.TRIGGERS,
                         article_days.TRIGGERS, report_moves.TRIGGERS):  # fmt: skip
            for table, names in triggers.items():
                for trigger in names:
                    action = "ENABLE" if enabled else "DISABLE"
                    cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")


def _report_days() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        report_days.refresh(cursor)
        report_days.refresh_blocks(cursor)
        article_days.refresh(cursor)
        report_moves.refresh(cursor)
        live_counts.refresh(cursor)


def _search_documents(first_ticket: int) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(search_document.REFRESH_SQL, [first_ticket, first_ticket])


def _tune_session() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Every row is consistent by construction: skip the millions of
        # foreign-key trigger checks when we may (a superuser, as in with_postgres).
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 - not permitted: keep the checks
            pass


class Generator:
    """Makes the rows of one chunk of tickets; ids are handed out here."""

    def __init__(self, setup: Setup, *, size: int, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.s = setup
        self.size = size
        self.now = now
        self.span = timedelta(days=max(90, min(730, size // 1000)))
        self.start = now - self.span
        self.ids = {
            "customer": _next_id(Customer),
            "ticket": _next_id(Ticket),
            "message": _next_id(Message),
            "link": _next_id(ArticleLink),
            "resolution": _next_id(Resolution),
        }
        self.first_ticket = self.ids["ticket"]
        self.customers = max(1, size // 3)
        self.first_customer = self.ids["customer"]
        self.topic_weights = [6 if t.inbox == "billing" else 4 for t in TOPICS]
        self.topic_weights[2] = 10  # failed generations are the biggest share

    def customers_rows(self) -> list:
        rows, rng = [], self.rng
        for i in range(self.customers):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{first.lower()}.{last.lower()}.{i}@{rng.choice(('mail', 'post'))}.example"
            rows.append((self.first_customer + i, email, f"{first} {last}", self.start))
        return rows

    def _take(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] += 1
        return value

    def chunk(self, start: int, stop: int) -> dict[str, list]:
        rng, s, now = self.rng, self.s, self.now
        out: dict[str, list] = {key: [] for key in COLUMNS if key != "customer"}
        step = self.span / self.size
        for i in range(start, stop):
            ticket_id = self._take("ticket")
            created = self.start + step * i + timedelta(seconds=rng.random() * 60)
            topic = rng.choices(TOPICS, self.topic_weights)[0]
            inbox_id = s.inboxes[topic.inbox]
            moved = rng.random() < 0.02  # filed in the wrong inbox, moved by an agent
            age = now - created
            roll = rng.random()
            if age < timedelta(days=1):
                status = "new" if roll < 0.45 else "open" if roll < 0.8 else "pending"
            elif age < timedelta(days=21):
                status = "solved" if roll < 0.8 else "open" if roll < 0.9 else "pending"
            else:
                status = "closed"
            agents = s.agents[inbox_id]
            assignee = None
            if status != "new" or rng.random() < 0.2:
                assignee = agents[0] if rng.random() < 0.15 else rng.choice(agents)
            category = s.categories.get(topic.category)
            if status in ("new", "open", "pending") and rng.random() < 0.5:
                category = None
            k = rng.randrange(len(topic.subjects))
            subject = topic.subjects[k]
            first_text = topic.messages[k % len(topic.messages)]
            out["message"].append(
                (self._take("message"), ticket_id, "customer", None, first_text, "", created,
                 "", "", "", "")
            )  # fmt: skip
            out["event"].append((ticket_id, "created", None, "", "email", created))
            last_customer, preview, updated = created, first_text, created
            first_response = solved = closed = None
            if moved:
                at = created + timedelta(minutes=rng.randrange(5, 120))
                other = "general" if topic.inbox == "billing" else "billing"
                out["event"].append((ticket_id, "inbox", assignee, other, topic.inbox, at))
                updated = at
            if assignee is not None:
                at = created + timedelta(minutes=rng.randrange(1, 60))
                out["event"].append((ticket_id, "assignee", assignee, "", "agent", at))
                updated = max(updated, at)
            if status != "new":
                first_response = created + timedelta(minutes=rng.randrange(5, 600))
                if first_response > now:
                    first_response = now - timedelta(seconds=1)
                reply_id = self._take("message")
                out["message"].append(
                    (reply_id, ticket_id, "reply", assignee, rng.choice(topic.replies), "",
                     first_response, "", "", "", "sent")
                )  # fmt: skip
                out["event"].append((ticket_id, "status", assignee, "new", "open", first_response))
                updated = max(updated, first_response)
                links = []
                if rng.random() < 0.7 and topic.category in s.articles:
                    article, revision = rng.choice(s.articles[topic.category])
                    link_id = self._take("link")
                    out["link"].append(
                        (link_id, ticket_id, article, revision, assignee, first_response,
                         reply_id, first_response)
                    )  # fmt: skip
                    links.append((link_id, article, revision, first_response))
                if rng.random() < 0.2:
                    at = first_response + timedelta(minutes=rng.randrange(1, 30))
                    out["message"].append(
                        (self._take("message"), ticket_id, "note", assignee, rng.choice(NOTES),
                         "", min(at, now), "", "", "", "")
                    )  # fmt: skip
                if rng.random() < 0.3:
                    at = min(now, first_response + timedelta(minutes=rng.randrange(10, 2000)))
                    text = rng.choice(FOLLOW_UPS)
                    out["message"].append(
                        (self._take("message"), ticket_id, "customer", None, text, "", at,
                         "", "", "", "")
                    )  # fmt: skip
                    last_customer, preview, updated = at, text, max(updated, at)
                if status in ("solved", "closed"):
                    solved = updated + timedelta(minutes=rng.randrange(5, 3000))
                    solved = min(solved, now - timedelta(seconds=1))
                    solved = self._resolve(out, ticket_id, inbox_id, category, assignee,
                                           links, solved, created)  # fmt: skip
                    updated = solved
                    if status == "closed":
                        closed = solved + timedelta(days=21)
                        out["event"].append(
                            (ticket_id, "status", None, "solved", "closed", closed)
                        )
                        updated = closed
            priority = rng.choices((1, 2, 3, 4), (15, 65, 15, 5))[0]
            out["ticket"].append(
                (ticket_id, inbox_id, subject, self.first_customer + rng.randrange(self.customers),
                 status, priority, assignee, category, "email", created, min(updated, now),
                 first_response, solved, closed, last_customer, preview_of(preview))
            )  # fmt: skip
        return out

    def _resolve(self, out, ticket_id, inbox_id, category, by, links, solved, created) -> datetime:
        """Record how the ticket was solved; 8% were reopened and solved again."""
        rng = self.rng
        attempts = 2 if rng.random() < 0.08 else 1
        at = solved
        for attempt in range(attempts):
            roll = rng.random()
            if links and roll < 0.8:
                kind = "article"
            elif roll < 0.92:
                kind = "no_article"
            else:
                kind = "not_applicable"
            reopened = None
            if attempt + 1 < attempts:
                reopened = at + timedelta(days=rng.randrange(1, 6))
            resolution_id = self._take("resolution")
            note = "Explained by hand: no article covers this." if kind == "no_article" else ""
            out["resolution"].append(
                (resolution_id, ticket_id, kind, category, note, by, inbox_id, at, reopened,
                 created, 1)  # the report's copies: creation time, the one agent reply
            )  # fmt: skip
            out["event"].append((ticket_id, "status", by, "open", "solved", at))
            if kind == "article":
                out["resolution_link"].extend((resolution_id, link[0]) for link in links)
                out["resolution_article"].extend(
                    (resolution_id, link_id, ticket_id, article, revision, linked_at, inbox_id,
                     category, by, at, reopened, created)
                    for link_id, article, revision, linked_at in links
                )  # fmt: skip
            if reopened:
                out["event"].append((ticket_id, "status", None, "solved", "open", reopened))
                at = reopened + timedelta(hours=rng.randrange(1, 48))
        return min(at, self.now - timedelta(seconds=1))


def build(size: int, *, stdout=None, seed: int = 4) -> float:
    """Build the dataset of ``size`` tickets; returns the seconds it took."""
    began = time.perf_counter()
    say = stdout.write if stdout else (lambda _text: None)
    with transaction.atomic():
        setup = _setup()
        _tune_session()
        bulk_tables = [Ticket, Message, TicketEvent, ArticleLink, Resolution, ResolutionArticle]
        indexes = _drop_secondary_indexes(bulk_tables + [Resolution.links.through])
        generator = Generator(setup, size=size, seed=seed + size, now=timezone.now())
        first_ticket = generator.first_ticket
        _row_triggers(enabled=False)
        _copy("customer", generator.customers_rows())
        for start in range(0, size, CHUNK):
            rows = generator.chunk(start, min(size, start + CHUNK))
            for key in ("ticket", "message", "event", "link", "resolution", "resolution_link",
                        "resolution_article"):  # fmt: skip
                _copy(key, rows[key])
            say(f"\r  {min(size, start + CHUNK):,} / {size:,} tickets")
        say(f"\n  rows in {time.perf_counter() - began:.0f} s; search documents ...\n")
        _search_documents(first_ticket)
        _report_days()
        _sla_clocks(first_ticket)
        _row_triggers(enabled=True)
        say(f"  documents at {time.perf_counter() - began:.0f} s; {len(indexes)} indexes ...\n")
        _create_indexes(indexes)
        _reset_sequences([Customer, *bulk_tables])
        Customer.objects.create(email=marker_email(size), name=f"Bench dataset of {size}")
    say(f"  indexes done at {time.perf_counter() - began:.0f} s; vacuum ...\n")
    # Fresh statistics everywhere; the visibility map of the tickets table for
    # the index-only counts of the sidebar, and of the tables the report reads
    # through covering indexes, the moves' among them (else each row is a heap
    # fetch until autovacuum comes by). VACUUM cannot run inside a transaction
    # (the test suite), where ANALYZE must do.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:
                tables = [Ticket, Resolution, ArticleLink, ResolutionArticle, ReportDay,
                          ReportSlice, ReportSliceBlock, TicketEvent]  # fmt: skip
                cursor.execute("VACUUM " + ", ".join(m._meta.db_table for m in tables))
            cursor.execute("ANALYZE")
    return time.perf_counter() - began


HELP_ARTICLES = 2_000


@contextmanager
def help_center_articles(count: int = HELP_ARTICLES) -> Iterator[str]:
    """``count`` published articles (replies of the sample text as their bodies)
    for the help center probes, yielding one's slug; rolled back afterwards, so
    the dataset and the other probes keep the dataset's own few articles."""
    rng = random.Random(14)
    categories = dict(IssueCategory.objects.values_list("slug", "pk"))
    author = User.objects.filter(username=PROBE_USERNAME).first()
    now = timezone.now()
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            Article(
                title=f"{rng.choice(topic.subjects)} ({i})",
                slug=f"bench-help-{i}",
                category_id=categories.get(topic.category),
                status=Article.Status.PUBLISHED,
                published_at=now,
                position=i,
            )
            for i, topic in ((i, rng.choice(TOPICS)) for i in range(count))
        )
        revisions = ArticleRevision.objects.bulk_create(
            ArticleRevision(
                article=article,
                number=1,
                title=article.title,
                body="\n\n".join(rng.sample(_replies(), 3)),
                author=author,
            )
            for article in articles
        )
        for article, revision in zip(articles, revisions, strict=True):
            article.current_revision = article.published_revision = revision
            article.body = revision.body
        Article.objects.bulk_update(
            articles, ["current_revision", "published_revision", "body"], batch_size=500
        )
        yield articles[count // 2].slug
        transaction.set_rollback(True)


def _replies() -> list[str]:
    return [reply for topic in TOPICS for reply in (*topic.replies, *topic.messages)]


# == Notifications (issue 15): what the bell's poll counts ==
NOTIFICATIONS_PER_AGENT = 2_000
UNREAD_PER_AGENT = 40


def bench_notifications(probe: User) -> None:
    """Give each bench agent NOTIFICATIONS_PER_AGENT notifications (the newest
    UNREAD_PER_AGENT unread) about recent tickets of their inboxes, once."""
    if Notification.objects.filter(recipient=probe).exists():
        return
    rng = random.Random(15)
    now = timezone.now()
    agents = User.objects.filter(inboxes__isnull=False, username__startswith="bench-").distinct()
    rows = []
    for agent in agents:
        tickets = list(
            Ticket.objects.filter(inbox__members=agent)
            .order_by("-created_at")
            .values_list("pk", flat=True)[: NOTIFICATIONS_PER_AGENT * 2]
        )
        kinds = list(Notification.Kind.values)
        for i in range(min(NOTIFICATIONS_PER_AGENT, len(tickets))):
            at = now - timedelta(minutes=7 * i)
            rows.append(
                Notification(
                    recipient=agent, ticket_id=rng.choice(tickets), kind=rng.choice(kinds),
                    created_at=at, read_at=None if i < UNREAD_PER_AGENT else at,
                )
            )  # fmt: skip
    Notification.objects.bulk_create(rows, batch_size=5_000)
