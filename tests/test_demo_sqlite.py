"""`make demo` serves the product on SQLite: every role's main pages answer there,
with the demo's tickets, threads and tags on them (the pages' lists are read
inside their queries, as JSON arrays where PostgreSQL has arrays)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    env |= {"DATABASE_URL": f"sqlite:///{path}", "DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_every_role_walks_the_demo_on_sqlite(tmp_path):
    database = tmp_path / "demo.sqlite3"
    run(database, "manage.py", "migrate", "-v0", "--noinput")
    run(database, "manage.py", "load_demo")

    results = json.loads(run(database, "tests/sqlite_demo_walk.py").strip().splitlines()[-1])

    assert len(results) >= 20
    failures = {page: result for page, result in results.items() if result != [200, []]}
    assert failures == {}
