"""A real receiver on loopback: an HTTP server thread that records every POST and
answers with the status codes a test queues (200 once they run out)."""

import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import UserFactory
from tickets.models import Webhook


@dataclass
class Received:
    path: str
    headers: Message
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@pytest.fixture
def receiver(settings):
    # Explicitly: loopback receivers are refused outside tests and debug (SSRF).
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            # HTTP header names are case-insensitive (urllib sends "X-supportdesk-…").
            state.requests.append(Received(self.path, self.headers, body))
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/supportdesk"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_webhook(receiver, db):
    def make(*, events=("ticket.solved",), inbox=None, url=None) -> Webhook:
        return Webhook.objects.create(
            name="CRM",
            url=url or receiver.url,
            events=list(events),
            inbox=inbox,
            created_by=UserFactory(),
        )

    return make
