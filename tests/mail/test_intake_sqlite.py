"""The poisoned batch of test_intake_isolation on SQLite (the demo's database):
real subprocesses with DATABASE_URL=sqlite:///..., through the pipe
(``manage.py ingest_email``), IMAP (Dovecot) and the webhook."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mail.conftest import CORPUS, corpus
from tests.mail.test_intake_isolation import BATCH, SUBJECTS

ROOT = Path(__file__).resolve().parents[2]
HELPER = str(Path(__file__).with_name("sqlite_intake.py"))


def environment(path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{path}",
        "DEBUG": "true",
        "MAIL_INBOUND_ESPS": "mailgun",
        "ANYMAIL_WEBHOOK_SECRET": "hook:s3cret",
        "ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY": "mailgun-signing-key",
    }


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    run(path, [sys.executable, "manage.py", "migrate", "-v0"])
    run(path, [sys.executable, HELPER, "setup"])
    return path


@pytest.fixture
def sqlite_db(migrated_sqlite, tmp_path) -> Path:
    path = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return path


def run(path: Path, argv: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        argv, cwd=ROOT, env=environment(path), capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done


def helper(path: Path, *args: str):
    return json.loads(run(path, [sys.executable, HELPER, *args]).stdout.decode().splitlines()[-1])


def assert_batch_filed(rows: list[dict], *, raw, bcc_routes=False) -> None:
    assert len(rows) == len(BATCH)
    assert [r for r in rows if r["status"] == "received"] == []
    for row, (name, expected) in zip(rows, BATCH, strict=True):
        if raw is not None:
            assert row["sha256"] == hashlib.sha256(raw(name)).hexdigest(), name
        if name == "unroutable.eml" and bcc_routes:
            expected = "filed"
        if expected == "filed":
            assert row["status"] == "processed", (name, row["reason"])
            ascii_subject = "".join(c for c in row["subject"] if c.isascii())
            assert ascii_subject == SUBJECTS.get(name, "Wrong address"), name
        else:
            assert row["status"] == "quarantined", name
            assert expected in row["reason"], (name, row["reason"])
    body = rows[[n for n, _ in BATCH].index("nul-body.eml")]["body"]
    assert body.replace("\ufffd", "") == "The export stops at row 4096."


def test_the_pipe_files_a_poisoned_batch_on_sqlite(sqlite_db):
    files = [str(CORPUS / name) for name, _ in BATCH]

    done = run(sqlite_db, [sys.executable, "manage.py", "ingest_email", *files])

    assert len(done.stdout.decode().strip().splitlines()) == len(BATCH)
    assert_batch_filed(helper(sqlite_db, "rows"), raw=corpus)


def test_imap_files_a_poisoned_batch_on_sqlite(sqlite_db, dovecot):
    user = dovecot.new_user()
    for name, _ in BATCH:
        dovecot.deliver(user, corpus(name))

    polled = helper(sqlite_db, "imap", str(dovecot.port), user, dovecot.password)

    assert polled == {"error": "", "last_uid": len(BATCH)}
    assert_batch_filed(helper(sqlite_db, "rows"), raw=None, bcc_routes=True)


def test_the_webhook_files_a_poisoned_batch_on_sqlite(sqlite_db):
    answered = helper(sqlite_db, "webhook", *[str(CORPUS / name) for name, _ in BATCH])

    assert answered == {"statuses": [200] * len(BATCH)}
    assert_batch_filed(helper(sqlite_db, "rows"), raw=None)


def test_a_duplicate_message_id_is_recognised_on_sqlite_and_retry_succeeds(sqlite_db):
    files = [str(CORPUS / name) for name in ("duplicate-a.eml", "duplicate-b.eml")]

    run(sqlite_db, [sys.executable, "manage.py", "ingest_email", *files])

    first, second = helper(sqlite_db, "rows")
    assert first["status"] == "processed"
    assert second["status"] == "duplicate"
    assert second["reason"] == f"same Message-ID as mail {first['pk']}"
    # A copy quarantined by the old code ("UNIQUE constraint failed") retries cleanly.
    with sqlite3.connect(sqlite_db) as db:
        db.execute(
            "UPDATE tickets_inboundemail SET status = 'quarantined', reason = ? WHERE id = ?",
            ("could not be filed: UNIQUE constraint failed", second["pk"]),
        )
    assert helper(sqlite_db, "retry", str(second["pk"])) == {
        "status": "duplicate",
        "reason": f"same Message-ID as mail {first['pk']}",
    }
