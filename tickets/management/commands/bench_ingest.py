"""Push N varied raw messages through the whole inbound pipeline and time it.

    python manage.py bench_ingest --messages 2000

Writes tickets into the configured database (use a throwaway one, as
``make bench-mail`` does). The last line is JSON with ``ingest_per_s``.
"""

import base64
import json
import time
import uuid
from collections import Counter, defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand

from tickets.mail.inbound import ingest, load_inboxes
from tickets.models import Inbox

KINDS = ("plain", "html", "attachment", "reply", "billing", "auto-reply", "latin-1", "unroutable")


def sample(kind: str, n: int, run: str, support: str, billing: str) -> bytes:
    """One raw message of ``kind``; replies answer the plain message before them."""
    mid = f"<bench-{run}-{n}@customer.example>"
    head = f"From: Customer {n} <c{n % 500}@customer.example>\r\nMessage-ID: {mid}\r\n"
    to = billing if kind == "billing" else support
    if kind == "unroutable":
        to = "nobody@elsewhere.example"
    head += f"To: {to}\r\nSubject: Bench {kind} {n}\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
    text = f"My render {n} fails at 90%. Account c{n % 500}@customer.example.\r\n" * 5
    if kind == "reply":
        head += f"In-Reply-To: <bench-{run}-{n - 3}@customer.example>\r\n"
    if kind == "auto-reply":
        head += "Auto-Submitted: auto-replied\r\n"
    if kind == "html":
        body = f"<html><body><p>My <b>render</b> {n} fails.</p><script>x()</script></body></html>"
        return (head + "Content-Type: text/html; charset=utf-8\r\n\r\n" + body).encode()
    if kind == "latin-1":
        return (head + "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n"
                + f"Problème {n}: débité deux fois.\r\n").encode("latin-1")  # fmt: skip
    if kind == "attachment":
        data = base64.encodebytes(b"\x89PNG fake screenshot " * 200).decode()
        return (
            head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "--b\r\n"
            "Content-Type: image/png\r\nContent-Disposition: attachment; filename=shot.png\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + data + "--b--\r\n"
        ).encode()
    return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text).encode()


class Command(BaseCommand):
    help = "Benchmark the inbound mail pipeline; prints a table and a JSON line."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--messages", type=int, default=1000)
        parser.add_argument(
            "--warmup", type=int, default=200, help="untimed messages first (caches, plans)"
        )

    def handle(self, *args, messages: int, warmup: int, **options) -> None:
        support, _ = Inbox.objects.get_or_create(
            slug="general",
            defaults={"name": "General support", "address": settings.SUPPORT_ADDRESS,
                      "reply_from": settings.SUPPORT_ADDRESS},
        )  # fmt: skip
        billing, _ = Inbox.objects.get_or_create(
            slug="billing",
            defaults={"name": "Billing", "address": settings.BILLING_ADDRESS,
                      "reply_from": settings.BILLING_ADDRESS, "position": 1},
        )  # fmt: skip
        run = uuid.uuid4().hex[:8]
        inboxes = load_inboxes()  # as one IMAP poll does
        for n in range(warmup):
            ingest(sample(KINDS[n % len(KINDS)], n, f"{run}w", support.address,
                          billing.address), source="bench", inboxes=inboxes)  # fmt: skip
        raws = [
            (kind, sample(kind, n, run, support.address, billing.address))
            for n in range(messages)
            for kind in [KINDS[n % len(KINDS)]]
        ]
        seconds: dict[str, float] = defaultdict(float)
        counts: Counter = Counter()
        statuses: Counter = Counter()
        started, cpu_started = time.perf_counter(), time.process_time()
        for kind, raw in raws:
            t0 = time.perf_counter()
            result = ingest(raw, source="bench", inboxes=inboxes)
            seconds[kind] += time.perf_counter() - t0
            counts[kind] += 1
            statuses[result.status] += 1
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # this process only, not PostgreSQL
        self.stdout.write(f"{'kind':<12} {'count':>6} {'ms/msg':>8}")
        for kind in KINDS:
            if counts[kind]:
                per = seconds[kind] / counts[kind] * 1000
                self.stdout.write(f"{kind:<12} {counts[kind]:>6} {per:>8.2f}")
        self.stdout.write(f"{'all':<12} {messages:>6} {total / max(messages, 1) * 1000:>8.2f}")
        summary = {
            "messages": messages,
            "warmup": warmup,
            "seconds": round(total, 3),
            "ingest_per_s": round(messages / total, 1) if total else 0.0,
            "python_cpu_ms_per_msg": round(cpu / max(messages, 1) * 1000, 2),
            **{f"status_{name}": count for name, count in sorted(statuses.items())},
        }
        self.stdout.write(json.dumps(summary))
