"""The load test's people and robots (Locust), started by scripts/loadtest/run.py.

- ``Agent``: a signed-in agent working the queue as people do, pausing 1-5 s
  between actions (and before the first: fifty people do not all click in the
  same instant): the queue, all tickets, a ticket page, a search, a reply, now
  and then solving a ticket.
- ``MailProvider``: a mail provider's webhook posting one new mail a second each
  (run.py starts 20 of them: 20 mails a second, each provider at its own random
  moment of the second; started together, they all posted in the same tenth of
  every second, a burst of 20 that no stream of independent senders makes).
- ``BusyAgent`` (the closed-loop stage): the read mix back to back, no pause:
  queue, all tickets, a ticket page, a search, and the report every tenth round.

Every request is recorded in LOADTEST_LOG (one JSON line each: time, kind, name,
status, ms), from which run.py makes its figures.

The users are Locust's ``FastHttpUser`` (geventhttpclient): the load generator runs
on the machine it measures, and the default ``HttpUser`` (requests) spent about
2 ms of CPU a request that the app servers then lacked.
"""

import hashlib
import hmac
import json
import os
import random
import re
import secrets
import time
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, events, task

SESSIONS = json.loads(Path(os.environ["LOADTEST_SESSIONS"]).read_text())
LOG = open(os.environ["LOADTEST_LOG"], "a", buffering=1)  # noqa: SIM115 - open for the run
SIGNING_KEY = os.environ["LOADTEST_SIGNING_KEY"]
WEBHOOK_AUTH = tuple(os.environ["LOADTEST_WEBHOOK_SECRET"].split(":", 1))
TICKET_LINK = re.compile(r'href="/tickets/(\d+)/"')
SEEN = re.compile(r'name="seen" value="([^"]+)"')
WORDS = ["refund", "credits", "login", "video", "invoice", "upgrade", "gallery", "slow"]
TOPICS = [
    ("My credits did not refresh", "The renewal date passed but my credits are still at 0."),
    ("Pro models still locked", "I upgraded to Pro an hour ago and the models are locked."),
    ("Video generation failed", "Every video stops at 90% and then fails."),
    ("Cannot sign in", "The sign-in link says it expired, twice now."),
    ("Where is my gallery?", "Yesterday's images are missing from my gallery."),
]


@events.request.add_listener
def record(request_type, name, response_time, response_length, response, exception, **kw):
    status = getattr(response, "status_code", 0) if response is not None else 0
    kind = "mail" if name == "mail webhook" else "agent"
    entry = {"t": time.time(), "kind": kind, "name": name, "status": status,
             "ms": round(response_time, 1), "error": bool(exception)}  # fmt: skip
    LOG.write(json.dumps(entry) + "\n")


class SignedIn(FastHttpUser):
    """An agent with a session made by setup_data.py; the proxy says HTTPS (as the
    TLS-terminating proxy of the README does), so the app's secure cookies apply."""

    abstract = True

    def on_start(self) -> None:
        account = SESSIONS[random.randrange(len(SESSIONS))]
        self.csrf = secrets.token_hex(16)  # a CSRF secret of our own, sent both ways
        host = self.host.split("://", 1)[1]
        self.headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": f"sessionid={account['session']}; csrftoken={self.csrf}",
            "Referer": f"https://{host}/",
            "Origin": f"https://{host}",
        }  # fmt: skip
        self.numbers: list[str] = []

    def get(self, url: str, name: str, **kwargs):
        return self.client.get(url, name=name, headers=self.headers, **kwargs)

    def post(self, url: str, data: dict, name: str):
        return self.client.post(url, data=data, name=name, headers=self.headers)

    def queue(self, url: str = "/tickets/", name: str = "queue") -> None:
        with self.get(url, name=name, catch_response=True) as response:
            found = TICKET_LINK.findall(response.text)
            if found:
                self.numbers = found
            if response.status_code == 200:
                response.success()
            else:
                response.failure(str(response.status_code))

    def ticket(self) -> str | None:
        if not self.numbers:
            self.queue()
        if not self.numbers:
            return None
        number = random.choice(self.numbers)
        response = self.get(f"/tickets/{number}/", name="ticket page")
        seen = SEEN.search(response.text)
        return seen.group(1) if seen else None, number

    def search(self) -> None:
        self.get(f"/tickets/?view=all&q={random.choice(WORDS)}", name="search")


class Agent(SignedIn):
    wait_time = between(1, 5)
    # Exactly as many of each as run.py asks for (Locust would split the users evenly).
    fixed_count = int(os.environ.get("LOADTEST_AGENTS", "50"))

    def on_start(self) -> None:
        super().on_start()
        gevent.sleep(random.uniform(0, 5))

    @task(4)
    def work_queue(self) -> None:
        self.queue()

    @task(1)
    def all_tickets(self) -> None:
        self.queue("/tickets/?view=all", name="all tickets")

    @task(4)
    def open_ticket(self) -> None:
        self.ticket()

    @task(1)
    def search_tickets(self) -> None:
        self.search()

    @task(2)
    def reply(self) -> None:
        opened = self.ticket()
        if not opened or not opened[0]:
            return
        seen, number = opened
        self.post(
            f"/tickets/{number}/compose/",
            {"kind": "reply", "body": "Thanks for writing: here is what fixes it.",
             "seen": seen, "csrfmiddlewaretoken": self.csrf},
            name="reply",
        )  # fmt: skip

    @task(1)
    def solve(self) -> None:
        opened = self.ticket()
        if not opened:
            return
        self.post(
            f"/tickets/{opened[1]}/solve/",
            {"kind": "no_article", "note": "Answered by hand.", "csrfmiddlewaretoken": self.csrf},
            name="solve",
        )


class BusyAgent(SignedIn):
    wait_time = constant(0)

    def on_start(self) -> None:
        super().on_start()
        self.round = 0

    @task
    def round_of_reads(self) -> None:
        self.round += 1
        self.queue()
        self.queue("/tickets/?view=all", name="all tickets")
        self.ticket()
        self.search()
        if self.round % 10 == 0:
            self.get("/tickets/reports/?period=90", name="report")


class MailProvider(FastHttpUser):
    """Mailgun's inbound webhook, signed, one new customer mail a second."""

    fixed_count = int(os.environ.get("LOADTEST_MAIL_RATE", "20"))

    def on_start(self) -> None:
        # Each provider posts at its own moment of every second, on its own clock:
        # Locust's constant_throughput kept every user in step with when it started.
        self.due = time.monotonic() + random.random()
        gevent.sleep(self.due - time.monotonic())

    def wait_time(self) -> float:
        self.due += 1.0
        return max(0.0, self.due - time.monotonic())

    @task
    def send_mail(self) -> None:
        subject, body = random.choice(TOPICS)
        sender = f"customer-{secrets.token_hex(5)}@mail.example"
        to = random.choice(["support@example.com", "billing@example.com"])
        raw = (
            f"From: A Customer <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: {format_datetime(datetime.now(UTC))}\r\n"
            f"Message-ID: {make_msgid(domain='mail.example')}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"{body}\r\n"
        )
        timestamp, token = str(int(time.time())), secrets.token_hex(25)
        signature = hmac.new(SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
        self.client.post(
            "/mail/inbound/mailgun/",
            {"body-mime": raw, "recipient": to, "timestamp": timestamp, "token": token,
             "signature": signature.hexdigest()},
            auth=WEBHOOK_AUTH, name="mail webhook",
            headers={"X-Forwarded-Proto": "https"},
        )  # fmt: skip
