"""CACHE_URL: one cache that every app server process shares."""

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from supportdesk import settings as project_settings
from supportdesk.settings import parse_cache_url

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_PROCESS = """
import django
django.setup()
from django.core.cache import cache
print(cache.get("shared-test:from-tests"))
cache.set("shared-test:from-other", "written by process two", 60)
"""


def test_url_forms():
    assert parse_cache_url("locmem://")["BACKEND"].endswith("LocMemCache")
    db = parse_cache_url("db://desk_cache")
    assert db["BACKEND"].endswith("DatabaseCache") and db["LOCATION"] == "desk_cache"
    assert parse_cache_url("db://")["LOCATION"] == "supportdesk_cache"
    with pytest.raises(ImproperlyConfigured, match="use locmem, db or redis"):
        parse_cache_url("memcached://localhost")


def test_production_default_is_the_database_cache():
    # What settings.py chose with DEBUG off and no CACHE_URL (tests/conftest.py then
    # puts the suite on local memory).
    assert project_settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


@pytest.fixture
def database_cache(settings):
    settings.CACHES = project_settings.CACHES
    call_command("createcachetable")  # the Production block's step


def test_two_processes_see_the_same_cache(database_cache):
    db = connection.settings_dict
    url = (
        f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}"
        f"/{quote(db['NAME'])}?pool=false"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL"}}
    env |= {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "supportdesk.settings"}
    cache.set("shared-test:from-tests", "written by process one", 60)
    try:
        result = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "written by process one"
        assert cache.get("shared-test:from-other") == "written by process two"
    finally:
        cache.delete_many(["shared-test:from-tests", "shared-test:from-other"])
