"""`manage.py bench --tickets N`: build (or reuse) a dataset of N tickets, then
time pages through the test client as an agent of both inboxes.

Prints a table, then ONE final JSON line (``<probe>_p50_ms``, ``_p95_ms``,
``_queries`` per probe, plus the build figures) for scripts to compare runs.
To time another page, add a Probe to PROBES: its ``url`` gets the Dataset.
"""

import json
import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from supportdesk.roles import MANAGER
from tickets.bench import data as benchdata
from tickets.models import Ticket
from tickets.queues.filters import SORTS, encode_cursor
from tickets.reports.tables import CSV_TABLES


@dataclass
class Dataset:
    size: int
    user: User
    # An article of the help center probes' 2,000 (benchdata.help_center_articles).
    help_slug: str = ""

    def deep_cursor(self) -> str:
        """The cursor halfway down the whole queue (the "all" view, newest first)."""
        tickets = Ticket.objects.order_by("-updated_at", "-id")
        middle = tickets.only("updated_at")[self.size // 2]
        return encode_cursor(middle, SORTS["-updated"])

    def bell(self) -> str:
        """The bell's poll, for an agent with 2,000 notifications, 40 unread."""
        benchdata.bench_notifications(self.user)
        return "/notifications/bell/"

    def busy_ticket(self) -> int:
        """An open ticket with a thread, as an agent would open one."""
        ticket = (
            Ticket.objects.filter(status="open", first_response_at__isnull=False)
            .order_by("-updated_at")
            .only("pk")
            .first()
        )
        return ticket.pk if ticket else Ticket.objects.order_by("-pk").values_list("pk")[0][0]


@dataclass(frozen=True)
class Probe:
    key: str  # JSON keys are <key>_p50_ms, <key>_p95_ms, <key>_queries
    label: str
    url: Callable[[Dataset], str]
    # Public pages are timed as a visitor who is not signed in.
    anonymous: bool = False
    # Request headers, e.g. those htmx sends, so a probe times a partial swap.
    headers: tuple[tuple[str, str], ...] = ()


def htmx_swap(target: str) -> tuple[tuple[str, str], ...]:
    """The headers htmx sends when it swaps ``#target`` of the page it is on."""
    return (("HX-Request", "true"), ("HX-Target", target))


PROBES = [
    Probe("queue", "Queue, open, 50 rows", lambda d: "/tickets/"),
    Probe("queue_all", "Queue, all tickets", lambda d: "/tickets/?view=all"),
    Probe(
        "deep_page",
        "Queue, page halfway down",
        lambda d: f"/tickets/?view=all&after={d.deep_cursor()}",
    ),
    Probe(
        "inbox_unassigned",
        "Billing, unassigned",
        lambda d: "/tickets/inbox/billing/?view=unassigned",
    ),
    Probe("search", 'Queue search "refund"', lambda d: "/tickets/?view=all&q=refund"),
    Probe("ticket", "Ticket page", lambda d: f"/tickets/{d.busy_ticket()}/"),
    # Typing in the ticket page's article search: htmx swaps only the results.
    Probe(
        "ticket_partial",
        "Ticket page, article search",
        lambda d: f"/tickets/{d.busy_ticket()}/?q=credits",
        headers=htmx_swap("article-results"),
    ),
    Probe("home", "Home", lambda d: "/"),
    # The public help center (issue 14), among 2,000 published articles (see probe_help).
    Probe("help_home", "Help center home", lambda d: "/help/", anonymous=True),
    Probe(
        "help_article", "Help center article", lambda d: f"/help/{d.help_slug}/", anonymous=True
    ),
    Probe(
        "contact_suggest",
        "Contact form answers",
        lambda d: (
            "/help/contact/suggest/?topic=billing&subject=Credits"
            "&message=my+credits+did+not+refresh+after+I+paid"
        ),
        anonymous=True,
    ),
    # The JSON API (issue 16), as the same agent: the queue's first page, one ticket.
    Probe("api_tickets", "API: tickets, open, 50 rows", lambda d: "/api/v1/tickets/"),
    Probe(
        "api_ticket", "API: one ticket, thread", lambda d: f"/api/v1/tickets/{d.busy_ticket()}/"
    ),
    # The SLA-sorted queue (issue 15): open tickets, next due first.
    Probe("queue_due", "Queue, open, due soonest", lambda d: "/tickets/?sort=due"),
    # Issue 15: the header's bell, polled by htmx every 30 s on every open page.
    Probe(
        "notifications",
        "Bell: unread count (poll)",
        lambda d: d.bell(),
        headers=(("HX-Request", "true"), ("HX-Target", "bell")),
    ),
]


REPORT_URL = "/tickets/reports/?period=90"

# The test client talks to the app in-process: let it in, and serve static
# file URLs without the manifest that only collectstatic makes.
SERVE_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


def _get(client: Client, url: str, headers: dict | None = None):
    """GET, reading a streamed body (CSV) to its end: its queries run as it streams."""
    response = client.get(url, secure=True, headers=headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _record(
    results: dict, key: str, label: str, url: str, timings: list, status: int, queries: int
) -> tuple:
    """Put a probe's figures in the JSON results; return its row of the table."""
    results[f"{key}_p50_ms"] = round(statistics.median(timings), 1)
    results[f"{key}_p95_ms"] = round(percentile(timings, 0.95), 1)
    results[f"{key}_queries"] = queries
    results[f"{key}_status"] = status
    return label, url, status, results[f"{key}_p50_ms"], results[f"{key}_p95_ms"], queries


class Command(BaseCommand):
    help = (
        "Build or reuse N benchmark tickets, then time the queue, ticket, home and "
        "report pages and each report CSV; the last line is JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tickets", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")

    def handle(self, *args, tickets: int, repeat: int, **options) -> None:
        if tickets < 100:
            raise CommandError("Use at least 100 tickets.")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)  # CACHE_URL=db:// (the default)
        results: dict = {"tickets": tickets, "database": connection.vendor}
        sizes = benchdata.existing_sizes()
        if tickets in sizes:
            self.stdout.write(f"Reusing the dataset of {tickets:,} tickets.")
            results["build_s"] = 0
        elif sizes:
            raise CommandError(
                f"This database holds a bench dataset of {sizes[0]:,} tickets; "
                "use a fresh database (scripts/with_postgres.py makes one) for another size."
            )
        else:
            self.stdout.write(f"Building {tickets:,} tickets ...")
            results["build_s"] = round(benchdata.build(tickets, stdout=self.stdout), 1)
            self.stdout.write(f"Built in {results['build_s']} s.")

        dataset = Dataset(tickets, User.objects.get(username=benchdata.PROBE_USERNAME))
        # A probe that answers 4xx would log a line per request; the table shows it.
        logging.getLogger("django.request").setLevel(logging.ERROR)
        with override_settings(**SERVE_SETTINGS):
            rows = self.probe_all(dataset, results, repeat)
            rows += self.probe_reports(results, repeat)

        self.stdout.write(
            f"\n{'page':<28} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"
        )
        for label, url, status, p50, p95, queries in rows:
            self.stdout.write(f"{label:<28} {status:>6} {p50:>8} {p95:>8} {queries:>8}")
            self.stdout.write(f"  {url[:100]}")
        self.stdout.write(json.dumps(results))

    def probe_all(self, dataset: Dataset, results: dict, repeat: int) -> list[tuple]:
        client = Client()
        client.force_login(dataset.user)
        rows = []
        for probe in PROBES:
            if probe.anonymous:
                continue
            url = probe.url(dataset)
            timed = self.time(client, url, repeat, headers=dict(probe.headers))
            rows.append(_record(results, probe.key, probe.label, url, *timed))
        return rows + self.probe_public(dataset, results, repeat)

    def probe_public(self, dataset: Dataset, results: dict, repeat: int) -> list[tuple]:
        """The public probes, not signed in, with 2,000 published articles that are
        rolled back afterwards (the other probes keep the dataset's own articles).
        The help center's pages come from the shared cache, as in production."""
        rows = []
        with benchdata.help_center_articles() as slug:
            dataset.help_slug = slug
            client = Client()
            for probe in PROBES:
                if not probe.anonymous:
                    continue
                url = probe.url(dataset)
                timed = self.time(client, url, repeat, headers=dict(probe.headers))
                rows.append(_record(results, probe.key, probe.label, url, *timed))
        return rows

    def probe_reports(self, results: dict, repeat: int) -> list[tuple]:
        """The resolution report for the last 90 days and each of its CSV files, as a
        manager (all inboxes). ``report_p50_ms`` and ``csv_p50_ms`` (the slowest
        CSV's median) compute every figure afresh on every request: the report's
        per-filter-state cache is off, so they are what a new filter state costs.
        The ``*_cached_*`` figures are repeated views of one state, from the cache.
        Query counts miss the queries the report runs on its worker threads."""
        manager, _ = User.objects.get_or_create(username="bench-manager")
        manager.groups.add(Group.objects.get_or_create(name=MANAGER)[0])
        client = Client()
        client.force_login(manager)
        probes = [("report", "Report, 90 days", REPORT_URL)] + [
            (f"csv_{table}", f"CSV {table}, 90 days", f"/tickets/reports/{table}.csv?period=90")
            for table in CSV_TABLES
        ]
        rows = []
        with override_settings(REPORTS_CACHE_SECONDS=0):
            for key, label, url in probes:
                rows.append(_record(results, key, label, url, *self.time(client, url, repeat)))
        results["csv_p50_ms"] = max(results[f"csv_{table}_p50_ms"] for table in CSV_TABLES)
        # The same requests again, each filter state computed once and then reused.
        cache.clear()
        for key, label, url in probes:
            timings, status, queries = self.time(client, url, repeat)
            results[f"{key}_cached_p50_ms"] = round(statistics.median(timings), 1)
            rows.append((label + ", cached", url, status, results[f"{key}_cached_p50_ms"],
                         round(percentile(timings, 0.95), 1), queries))  # fmt: skip
        results["csv_cached_p50_ms"] = max(
            results[f"csv_{table}_cached_p50_ms"] for table in CSV_TABLES
        )
        return rows

    def time(
        self, client: Client, url: str, repeat: int, headers: dict | None = None
    ) -> tuple[list[float], int, int]:
        for _ in range(3):  # warm caches, connections and templates
            response = _get(client, url, headers)
        queries = []
        # A wrapper, not connection.queries: it survives the reconnects
        # between requests (CONN_MAX_AGE=0 with the pool).
        with connection.execute_wrapper(
            lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
        ):
            response = _get(client, url, headers)
        timings = []
        for _ in range(repeat):
            began = time.perf_counter()
            _get(client, url, headers)
            timings.append((time.perf_counter() - began) * 1000)
        return timings, response.status_code, len(queries)
