"""Fixtures of the email channel: our two inbox addresses, the corpus, and real
servers on loopback: an SMTP server (aiosmtpd) and an IMAP server (Dovecot)."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

CORPUS = Path(__file__).parent / "corpus"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def support(general_inbox):
    """The general inbox at support@example.com (position 0)."""
    general_inbox.address = general_inbox.reply_from = "support@example.com"
    general_inbox.position = 0
    general_inbox.save()
    return general_inbox


@pytest.fixture
def billing(billing_inbox):
    billing_inbox.address = billing_inbox.reply_from = "billing@example.com"
    billing_inbox.position = 1
    billing_inbox.save()
    return billing_inbox


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments go to a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


class Recorder:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = Recorder()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list:
        import email
        import email.policy

        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.handler.envelopes
        ]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a loopback port, and Django's mailer pointed at it."""
    server = SmtpServer(free_port())
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


class Dovecot:
    password = "imap-test-password"

    def __init__(self, root: Path, port: int, uid: int, gid: int) -> None:
        self.root, self.port, self.uid, self.gid = root, port, uid, gid
        self.count = 0

    USERS = 50  # written before start: Dovecot does not notice a passwd file growing

    def new_user(self) -> str:
        """A fresh mailbox per test; its Maildir exists, empty."""
        self.count += 1
        assert self.count <= self.USERS, "raise Dovecot.USERS"
        name = f"user{self.count}"
        maildir = self.root / "home" / name / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True)
        for path in (maildir.parent, maildir, *maildir.iterdir()):
            os.chown(path, self.uid, self.gid)
        return name

    def deliver(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        """Put a message in the user's mailbox through IMAP APPEND."""
        import imaplib

        conn = imaplib.IMAP4("127.0.0.1", self.port)
        conn.login(user, self.password)
        conn.create(folder) if folder != "INBOX" else None
        status, _ = conn.append(folder, None, None, raw)
        assert status == "OK"
        conn.logout()

    def drop_folder(self, user: str, folder: str) -> None:
        import imaplib

        conn = imaplib.IMAP4("127.0.0.1", self.port)
        conn.login(user, self.password)
        assert conn.delete(folder)[0] == "OK"
        conn.logout()


@pytest.fixture(scope="session")
def dovecot():
    """Debian's Dovecot on a free loopback port, with a throwaway config. Skipped
    when it is not installed, unless REQUIRE_IMAP=1 (CI), where it must be."""
    if not os.path.exists(DOVECOT):
        if os.environ.get("REQUIRE_IMAP") == "1":
            pytest.fail(f"REQUIRE_IMAP=1 but no Dovecot at {DOVECOT}")
        pytest.skip("no Dovecot: apt-get install dovecot-imapd to run the IMAP tests")
    root = Path(tempfile.mkdtemp(prefix="supportdesk-dovecot-"))
    root.chmod(0o755)  # the mail user (not us when we are root) must reach its home
    (root / "home").mkdir(mode=0o755)
    (root / "passwd").write_text(
        "".join(f"user{n}:{{PLAIN}}{Dovecot.password}\n" for n in range(1, Dovecot.USERS + 1))
    )
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        uid, gid, users = nobody.pw_uid, nobody.pw_gid, ""
    else:
        me = pwd.getpwuid(os.geteuid()).pw_name
        uid, gid = os.geteuid(), os.getegid()
        users = f"default_login_user = {me}\ndefault_internal_user = {me}\n"
    port = free_port()
    conf = root / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(root=root, port=port, uid=uid, gid=gid, users=users))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port)
    except RuntimeError:
        process.kill()
        raise RuntimeError(process.stderr.read().decode()) from None
    yield Dovecot(root, port, uid, gid)
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()
    shutil.rmtree(root, ignore_errors=True)
