import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from supportdesk.roles import AGENT, EDITOR, MANAGER
from tests.factories import InboxFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        raise pytest.UsageError(
            "The test suite runs on PostgreSQL: use `make test`, or set "
            "DATABASE_URL=postgres://... before running pytest."
        )
    # The test client speaks plain HTTP; production redirects it to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    # The reports router is tested against a second alias mirroring the test
    # database; reports read from it only when a test turns REPORTS_DATABASE on.
    settings.DATABASES.setdefault(
        "reports", {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}}
    )
    settings.REPORTS_DATABASE = None
    # Report figures are computed afresh in tests (test_reports_cache turns it on).
    settings.REPORTS_CACHE_SECONDS = 0
    # One process: local memory, so query ceilings count the page's queries only
    # (production's database cache is tested in test_shared_cache and the deploy test).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # No collectstatic before tests: serve static files without a manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; CI (REQUIRE_BROWSER=1) must have it."""
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM}.")
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, cached pages and figures),
    as the database cache's rows would roll back with the test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def agent(db):
    return UserFactory(role=AGENT)


@pytest.fixture
def editor(db):
    return UserFactory(role=EDITOR)


@pytest.fixture
def manager(db):
    return UserFactory(role=MANAGER)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def general_inbox(db):
    return InboxFactory(slug="general", name="General support")


@pytest.fixture
def billing_inbox(db):
    return InboxFactory(slug="billing", name="Billing")


@pytest.fixture
def general_agent(general_inbox):
    user = UserFactory(role=AGENT, first_name="Gina")
    general_inbox.members.add(user)
    return user


@pytest.fixture
def billing_agent(billing_inbox):
    user = UserFactory(role=AGENT, first_name="Bill")
    billing_inbox.members.add(user)
    return user
