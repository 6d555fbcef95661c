import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from supportdesk.settings import env_bool, env_int, parse_database_url

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "q8Jz-2vLr!e9Tn@4kWp7Ys1#dHc6Mb3Xf0Ua5Gi*oRt%wEy&-production-like",
    "ALLOWED_HOSTS": "desk.example.com",
    "DATABASE_URL": "postgres://desk:secret@db.internal:5432/supportdesk",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_outside_debug_is_refused():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_migrations_check_runs_without_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}

    result = manage("makemigrations", "--check", "--dry-run", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_debug_runs_without_secret_key():
    result = manage("check", env={"DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:"})

    assert result.returncode == 0, result.stderr


def test_postgres_url_uses_a_connection_pool():
    config = parse_database_url("postgres://desk:p%40ss@db.internal:6543/support")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "desk",
        "p@ss",
        "db.internal",
        "6543",
    )
    assert config["NAME"] == "support"
    assert config["OPTIONS"]["pool"]["max_size"] >= 1
    # The pool keeps connections, so statements are prepared (PostgreSQL skips planning).
    assert config["OPTIONS"]["server_side_binding"] is True
    assert config["OPTIONS"]["prepare_threshold"] >= 1


def test_prepared_statements_can_be_turned_off():
    config = parse_database_url("postgres://desk@db/support?prepare=false")

    assert "server_side_binding" not in config["OPTIONS"]
    assert "pool" in config["OPTIONS"]


def test_pool_can_be_turned_off_for_pgbouncer():
    config = parse_database_url("postgresql://desk@db/support?pool=false&sslmode=require")

    assert config["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url():
    assert parse_database_url("sqlite:////srv/desk/db.sqlite3")["NAME"] == "/srv/desk/db.sqlite3"


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="mysql"):
        parse_database_url("mysql://localhost/desk")


def test_strict_booleans_and_numbers(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    monkeypatch.setenv("NUMBER", "ten")

    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG")
    with pytest.raises(ImproperlyConfigured, match="NUMBER='ten' is not a whole number"):
        env_int("NUMBER", 1)


def test_missing_secret_key_is_one_line_saying_what_to_set():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("migrate", env=env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "manage.py: Set the SECRET_KEY environment variable. "
        "README.md lists the settings; DEBUG=true runs the demo."
    ]


@pytest.mark.parametrize("args", [["--help"], ["help"], ["help", "migrate"], ["migrate", "-h"]])
def test_help_works_without_secret_key(args):
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage(*args, env=env)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if args == ["--help"]:
        # Our own commands are listed too, not only Django's.
        assert "load_demo" in result.stdout
        assert "close_solved_tickets" in result.stdout
