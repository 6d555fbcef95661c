"""The README's "Production" block, run as written, then used in Chromium.

The test copies the working tree to a fresh directory (no var/, no collected
static files), reads the ```sh block under "## Production" from README.md and
runs its lines in order with DEBUG off on a throwaway database of the test
cluster: `export` sets the environment (each `...` gets a test value: a fresh
SECRET_KEY, the throwaway DATABASE_URL), `migrate`, `collectstatic`,
`check --deploy` and `close_solved_tickets` must exit 0, and gunicorn and
db_worker start as written and keep running. Two substitutions, both forced:

- the first line (make a venv, install requirements.lock) is not run: it needs
  the package index and minutes. The copy's `.venv` is this test's own venv,
  and the test checks it holds exactly the versions requirements.lock pins.
- gunicorn binds a free loopback port instead of 0.0.0.0:8000 (other
  processes may hold 8000); its other flags stay.

As the README says, the app runs behind a TLS-terminating proxy that sets
X-Forwarded-Proto: the test is that proxy (a self-signed certificate for the
README's host, desk.example.com, which Chromium resolves to 127.0.0.1), so
SECURE_SSL_REDIRECT, secure cookies, HSTS and the CSRF origin check all work
as in production. Chromium then signs in and opens the queue, a ticket, an
article and the report: no response may be a 5xx, every static file must
answer 200 from the manifest (hashed names), and no CSP violation may occur.
"""

import http.client
import importlib.metadata
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from packaging.markers import Marker
from playwright.sync_api import expect

from tests.browser.conftest import watch_csp
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

BASE_DIR = Path(settings.BASE_DIR)
HOST = "desk.example.com"  # the README's ALLOWED_HOSTS
INSTALL_LINE = (
    "python -m venv .venv && .venv/bin/pip install --require-hashes -r requirements.lock"
)
PASSWORD = "deploy-test-Password-7351"
# Variables of the test runner that must not leak into the deployment.
RUNNER_ONLY = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "VAR_DIR"}
RUNNER_ONLY |= {"STATIC_ROOT", "MEDIA_ROOT", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}


def production_block() -> list[str]:
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "README.md: no ```sh block under ## Production"
    return [line for line in block.group(1).splitlines() if line.strip()]


def locked_versions(lock: Path) -> dict[str, str]:
    """name -> version of every pin in ``lock`` whose marker holds on this machine."""
    pins = re.findall(r"^([\w.-]+)==([^\s;\\]+)(?: ; ([^\\]+))?", lock.read_text(), re.M)
    return {
        name.lower(): version
        for name, version, marker in pins
        if not marker or Marker(marker.strip()).evaluate()
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def database_url():
    """A throwaway database on the test cluster, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = "deploy_" + secrets.token_hex(4)
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "dbname": "postgres"}
    if db["PASSWORD"]:
        server["password"] = db["PASSWORD"]
    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"
    with psycopg.connect(**server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def checkout(tmp_path):
    """The working tree as a fresh clone has it, with this test's venv as .venv."""
    tree = tmp_path / "supportdesk"
    shutil.copytree(
        BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", ".ruff_cache"),
    )
    return tree


class TLSProxy(ThreadingHTTPServer):
    """The README's TLS-terminating proxy: HTTPS in, X-Forwarded-Proto: https to gunicorn."""

    daemon_threads = True

    def __init__(self, backend_port: int, certfile: Path, keyfile: Path):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.backend_port = backend_port
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        # Handshakes happen in the handler threads, not in the accepting one.
        self.socket = context.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )

    def handle_error(self, request, client_address) -> None:
        # Chromium drops connections and refuses the self-signed certificate on its
        # own probes (it is accepted for the pages); a real error fails the walk.
        if not isinstance(sys.exc_info()[1], ssl.SSLError | ConnectionError):
            super().handle_error(request, client_address)


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "upgrade"}


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() not in HOP_BY_HOP and k.lower() != "x-forwarded-proto"
        }
        headers["X-Forwarded-Proto"] = "https"
        backend = http.client.HTTPConnection("127.0.0.1", self.server.backend_port, timeout=60)
        try:
            backend.request(self.command, self.path, body=body, headers=headers)
            response = backend.getresponse()
            data = response.read()
        finally:
            backend.close()
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_HEAD = forward

    def log_message(self, format, *args):  # noqa: A002 -- the base class's signature
        pass


@pytest.fixture
def tls_certificate(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed for the proxy's certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def log_of(process: subprocess.Popen) -> str:
    return Path(process.log_path).read_text(errors="replace")[-3000:]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited: " + log_of(process)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/accounts/login/", headers={"Host": HOST})
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.3)
    raise AssertionError(f"gunicorn did not answer on port {port} within {seconds} s")


def test_readme_production_block_deploys_and_serves(
    checkout, database_url, tls_certificate, browser_type
):
    lines = production_block()
    assert lines[0] == INSTALL_LINE, "the install line changed: update this test's stand-in"
    (checkout / ".venv").symlink_to(sys.prefix)
    installed = {
        name: importlib.metadata.version(name)
        for name in locked_versions(checkout / "requirements.lock")
    }
    assert installed == locked_versions(checkout / "requirements.lock")

    env = {k: v for k, v in os.environ.items() if k not in RUNNER_ONLY}
    placeholders = {"SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": database_url}
    port = free_port()
    background: list[subprocess.Popen] = []
    try:
        for line in lines[1:]:
            words = shlex.split(line, comments=True)
            if words[0] == "export":
                for assignment in words[1:]:
                    name, _, value = assignment.partition("=")
                    env[name] = placeholders[name] if "..." in value else value
                assert env.get("ALLOWED_HOSTS") == HOST
            elif words[0].endswith("/gunicorn") or words[-1] == "db_worker":
                if words[0].endswith("/gunicorn"):
                    words[words.index("--bind") + 1] = f"127.0.0.1:{port}"
                log_path = checkout / f"{Path(words[-1]).name}.log"
                with open(log_path, "wb") as log:
                    process = subprocess.Popen(
                        words, cwd=checkout, env=env, stdout=log, stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )  # fmt: skip
                process.log_path = log_path
                background.append(process)
            else:
                done = subprocess.run(
                    words, cwd=checkout, env=env, capture_output=True, text=True, timeout=120
                )
                assert done.returncode == 0, f"{line}\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        gunicorn = background[0]
        assert "--workers" in gunicorn.args and "--no-control-socket" in gunicorn.args
        wait_for(port, gunicorn)

        # The README's next step: the first administrator. Then a ticket and an article.
        manage = [".venv/bin/python", "manage.py"]
        for args, extra in (
            (["createsuperuser", "--noinput", "--username", "olga", "--email", "o@x.example"],
             {"DJANGO_SUPERUSER_PASSWORD": PASSWORD}),
            (["shell", "-c", "from tests.factories import ArticleFactory, MessageFactory;"
              "MessageFactory(ticket__subject='Render stuck at 90%');"
              "ArticleFactory(title='Clear the render cache', slug='clear-render-cache')"], {}),
        ):  # fmt: skip
            done = subprocess.run(
                manage + args, cwd=checkout, env={**env, **extra}, capture_output=True, text=True
            )
            assert done.returncode == 0, done.stderr[-3000:]

        with TLSProxy(port, *tls_certificate) as proxy:
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            walk_the_product(browser_type, f"https://{HOST}:{proxy.server_address[1]}")
            proxy.shutdown()
        for process in background:
            assert process.poll() is None, log_of(process)  # db_worker and gunicorn still up
    finally:
        for process in background:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                process.wait(timeout=20)


def walk_the_product(browser_type, base: str) -> None:
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_FLAGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"],
    )
    try:
        context = browser.new_context(ignore_https_errors=True)
        violations = watch_csp(context)
        responses: list[tuple[int, str]] = []
        failed: list[str] = []
        page = context.new_page()
        page.on("response", lambda r: responses.append((r.status, r.url)))
        # A request the browser itself cancels when the test moves on (the bell's poll,
        # the favicon of a page just left) is ERR_ABORTED: not the server failing.
        page.on(
            "requestfailed",
            lambda r: r.failure == "net::ERR_ABORTED" or failed.append(f"{r.url} {r.failure}"),
        )

        page.goto(base + "/")
        expect(page).to_have_url(base + "/accounts/login/?next=/")
        page.get_by_label("Username").fill("olga")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Good to see you, olga")).to_be_visible()

        page.goto(base + "/tickets/")
        page.get_by_role("link", name="Render stuck at 90%").click()
        expect(page.get_by_role("heading", name="Render stuck at 90%")).to_be_visible()

        page.goto(base + "/articles/clear-render-cache/")
        expect(page.get_by_role("heading", name="Clear the render cache")).to_be_visible()

        page.goto(base + "/tickets/reports/")
        expect(page.get_by_role("heading", name="Resolution report")).to_be_visible()
        expect(page.locator('canvas[data-chart="trend"]')).to_have_attribute("data-drawn", "1")
        # The server-error page links its stylesheet by its plain name (templates/500.html).
        assert page.goto(base + "/static/supportdesk/error.css").status == 200
    finally:
        browser.close()

    assert not failed, failed
    assert not violations, violations
    server_errors = [(status, url) for status, url in responses if status >= 500]
    assert not server_errors, server_errors
    static = [(status, url) for status, url in responses if "/static/" in url]
    assert all(status == 200 for status, _ in static), static
    names = {url.rsplit("/", 1)[1] for _, url in static} - {"error.css"}
    # The pages link the manifest's hashed names: our files, htmx, the charts, the favicon.
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", name) for name in names), names
    assert {name.split(".")[0] for name in names} >= {"app", "htmx-2", "chart", "reports"}
