"""`make loadtest [FAULTS=1]`: the product under people and mail, on loopback only.

Runs under scripts/with_postgres.py (a throwaway cluster it may restart). Starts
gunicorn (4 workers, DEBUG off, as the README's Production block), ``db_worker``
and an SMTP sink; then Locust with 50 agents (pausing 1-5 s) and 20 mail
providers (a mail a second each, through the Mailgun webhook) for DURATION
seconds. With --faults: PostgreSQL restarted, ``db_worker`` killed with SIGKILL
and restarted, the SMTP sink down for a minute. Then it waits for the mail to
drain, runs a closed-loop stage (no think time) for ``max_rps``, and prints one
JSON line:

requests, rps, p50_ms, p95_ms (agents' requests in the mixed stage), errors
(5xx and failed connections in either stage: the closed-loop stage's report
too), mails_in (accepted by the webhook),
mails_filed, replies_queued, replies_delivered, replies_duplicated, lost
(mails_in - filed - quarantined, plus replies queued - delivered), max_rps,
and with --faults, errors_after_recovery (5xx once PostgreSQL is back).
LOADTEST_KEEP=1 keeps the run's logs and request records (the path is printed).
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
SIGNING_KEY = "loadtest-signing-key"
WEBHOOK_SECRET = "loadtest:webhook-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"loadtest: nothing listens on {port} after {seconds} s")


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="supportdesk-load-"))
        self.web_port, self.smtp_port = free_port(), free_port()
        self.received = self.work / "received.txt"
        self.log = self.work / "requests.jsonl"
        self.env = dict(
            os.environ,
            DEBUG="false",
            SECRET_KEY=os.environ.get("SECRET_KEY") or "loadtest-only-key-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_SSL_REDIRECT="false",
            VAR_DIR=str(self.work / "var"),
            EMAIL_MODE="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            EMAIL_TIMEOUT="5",
            MAIL_SEND_RETRY_SECONDS="2",
            MAIL_INBOUND_ESPS="mailgun",
            ANYMAIL_WEBHOOK_SECRET=WEBHOOK_SECRET,
            ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY=SIGNING_KEY,
            LOG_LEVEL="WARNING",
        )
        self.procs: dict[str, subprocess.Popen] = {}

    def manage(self, *argv: str) -> str:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *argv], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True,
        ).stdout  # fmt: skip

    def query(self, code: str):
        """The JSON that ``code`` prints, run in ``manage.py shell`` on the run's database."""
        return json.loads(self.manage("shell", "-v0", "-c", code).strip().splitlines()[-1])

    def start(self, name: str, argv: list[str]) -> None:
        out = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 - the process keeps it
        self.procs[name] = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )

    def start_sink(self) -> None:
        self.start("sink", [str(BIN / "python"), str(HERE / "sink.py"), str(self.smtp_port),
                            str(self.received)])  # fmt: skip
        wait_for_port(self.smtp_port)

    def start_worker(self) -> None:
        self.start("worker", [str(BIN / "python"), "manage.py", "db_worker"])

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def prepare(self) -> None:
        say(f"preparing {self.args.tickets:,} tickets and {self.args.agents} agents")
        subprocess.run(
            [str(BIN / "python"), str(HERE / "setup_data.py"), str(self.args.tickets),
             str(self.args.agents), str(self.work / "sessions.json")],
            cwd=ROOT, env=self.env, check=True,
        )  # fmt: skip
        # The Production block's steps: static files, the shared cache's table.
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("createcachetable")
        self.start_sink()
        self.start_worker()
        self.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "supportdesk.wsgi", "--bind", f"127.0.0.1:{self.web_port}",
             "--workers", "4", "--no-control-socket", "--access-logfile", "-"],
        )  # fmt: skip
        wait_for_port(self.web_port)
        # Replies of this run only: the dataset has replies of its own.
        self.env["LOADTEST_FIRST_MESSAGE"] = str(self.query(NEXT_MESSAGE))

    def locust(self, users: list[str], count: int, seconds: int, stage: str) -> subprocess.Popen:
        env = dict(
            self.env,
            LOADTEST_SESSIONS=str(self.work / "sessions.json"),
            LOADTEST_LOG=str(self.work / f"{stage}.jsonl"),
            LOADTEST_SIGNING_KEY=SIGNING_KEY,
            LOADTEST_WEBHOOK_SECRET=WEBHOOK_SECRET,
            LOADTEST_AGENTS=str(self.args.agents),
            LOADTEST_MAIL_RATE=str(self.args.mail_rate),
        )
        argv = [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
                "--only-summary", "--host", f"http://127.0.0.1:{self.web_port}",
                "-u", str(count), "-r", str(count), "-t", f"{seconds}s", "--stop-timeout", "10",
                *users]  # fmt: skip
        out = open(self.work / f"locust-{stage}.log", "ab")  # noqa: SIM115 - locust keeps it
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def faults(self, began: float) -> dict:
        """The faults, at fixed times into the mixed stage; returns when each ended."""
        marks = {}
        pg_ctl = shlex.split(os.environ["WITH_POSTGRES_CTL"])

        def at(second: float) -> None:
            time.sleep(max(0.0, began + second - time.monotonic()))

        at(20)
        say("fault: restarting PostgreSQL")
        subprocess.run([*pg_ctl, "restart", "-m", "fast", "-w"], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        marks["postgres_back"] = time.time()
        at(35)
        say("fault: db_worker killed with SIGKILL, restarted 3 s later")
        self.stop("worker", signal.SIGKILL)
        time.sleep(3)
        self.start_worker()
        at(45)
        say("fault: SMTP sink down for 60 s")
        self.stop("sink")
        at(105)
        self.start_sink()
        say("fault: SMTP sink back")
        return marks

    def drain(self, seconds: int = 150) -> None:
        """Wait until every accepted mail is filed and every reply sent (or failed)."""
        say("draining: waiting for mail to be filed and replies delivered")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            # A reply whose task died with the killed worker: what cron does every minute.
            self.manage("send_queued_mail", "--older-than", "20")
            left = self.query(PENDING)
            if not any(left.values()):
                return
            time.sleep(5)
        say(f"draining: gave up after {seconds} s with {left}")

    def figures(self, marks: dict, closed_seconds: int) -> dict:
        mixed = [json.loads(line) for line in (self.work / "mixed.jsonl").read_text().splitlines()]
        agents = [r for r in mixed if r["kind"] == "agent"]
        mails = [r for r in mixed if r["kind"] == "mail"]
        server_error = [r for r in agents + mails if r["status"] == 0 or r["status"] >= 500]
        times = sorted(r["ms"] for r in agents)
        span = (max(r["t"] for r in agents) - min(r["t"] for r in agents)) if agents else 1
        facts = self.query(FACTS)
        delivered_lines = [
            line for line in self.received.read_text().splitlines() if line in facts["reply_ids"]
        ] if self.received.exists() else []  # fmt: skip
        mails_in = sum(1 for r in mails if 200 <= r["status"] < 300)
        replies_queued = len(facts["reply_ids"])
        replies_delivered = len(set(delivered_lines))
        closed = [
            json.loads(line) for line in (self.work / "closed.jsonl").read_text().splitlines()
        ]
        server_error += [r for r in closed if r["status"] == 0 or r["status"] >= 500]
        result = {
            "requests": len(agents),
            "errors": len(server_error),
            "rps": round(len(agents) / span, 1),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1) if times else None,
            "mails_in": mails_in,
            "mails_filed": facts["filed"],
            "replies_queued": replies_queued,
            "replies_delivered": replies_delivered,
            "replies_duplicated": len(delivered_lines) - replies_delivered,
            "lost": (mails_in - facts["filed"] - facts["quarantined"])
            + (replies_queued - replies_delivered),
            "max_rps": round(
                sum(1 for r in closed if 200 <= r["status"] < 400) / closed_seconds, 1
            ),
        }
        if "postgres_back" in marks:
            grace = marks["postgres_back"] + 5
            result["errors_after_recovery"] = sum(1 for r in server_error if r["t"] > grace)
        result["faults"] = bool(marks)
        return result

    def main(self) -> dict:
        try:
            self.prepare()
            say(f"mixed stage: {self.args.agents} agents, {self.args.mail_rate} mails/s, "
                f"{self.args.duration} s")  # fmt: skip
            began = time.monotonic()
            locust = self.locust(["Agent", "MailProvider"], self.args.agents
                                 + self.args.mail_rate, self.args.duration, "mixed")  # fmt: skip
            marks = self.faults(began) if self.args.faults else {}
            locust.wait()
            self.drain()
            say(f"closed-loop stage: {self.args.closed_users} agents, no pause, "
                f"{self.args.closed_seconds} s")  # fmt: skip
            self.locust(["BusyAgent"], self.args.closed_users, self.args.closed_seconds,
                        "closed").wait()  # fmt: skip
            return self.figures(marks, self.args.closed_seconds)
        finally:
            for name in list(self.procs):
                self.stop(name)
            if os.environ.get("LOADTEST_KEEP"):
                say(f"logs and request records kept in {self.work}")
            else:
                shutil.rmtree(self.work, ignore_errors=True)


# These run in `manage.py shell` against the run's database.
NEXT_MESSAGE = """
from django.db.models import Max
from tickets.models import Message
print((Message.objects.aggregate(last=Max("pk"))["last"] or 0) + 1)
"""
PENDING = """
import json
from tickets.models import InboundEmail, Message
print(json.dumps({
    "received": InboundEmail.objects.filter(status="received").count(),
    "queued": Message.objects.filter(delivery="queued").count(),
}))
"""
FACTS = """
import json, os
from tickets.models import InboundEmail, Message
first = int(os.environ["LOADTEST_FIRST_MESSAGE"])
print(json.dumps({
    "filed": InboundEmail.objects.filter(status__in=["processed", "duplicate"]).count(),
    "quarantined": InboundEmail.objects.filter(status="quarantined").count(),
    "reply_ids": list(Message.objects.filter(kind="reply", pk__gte=first).exclude(delivery="none")
                      .values_list("message_id", flat=True)),
}))
"""


def say(text: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--mail-rate", type=int, default=20, help="mails a second")
    parser.add_argument("--duration", type=int, default=120, help="seconds of the mixed stage")
    parser.add_argument("--closed-users", type=int, default=8)
    parser.add_argument("--closed-seconds", type=int, default=30)
    args = parser.parse_args()
    if args.faults and args.duration < 110:
        parser.error("--faults needs --duration 110 or more (the SMTP sink is down 45-105 s)")
    print(json.dumps(Run(args).main()))


if __name__ == "__main__":
    main()
