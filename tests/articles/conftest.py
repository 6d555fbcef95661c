import os
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings

# SHARED_DIR: where the shared folder is when it is not beside the clone (a worktree).
SHARED_DIR = Path(os.environ.get("SHARED_DIR") or Path(settings.BASE_DIR).parent / "shared")
SHARED_PAGE = SHARED_DIR / "help-center" / "troubleshooting.mdx"


@pytest.fixture
def shared_page() -> Path:
    """The real help center page; CI places shared/ beside the clone."""
    if not SHARED_PAGE.exists():
        pytest.skip(f"the shared help center page is not at {SHARED_PAGE}")
    return SHARED_PAGE


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are made in nearly every test here; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def migration_data(request):
    """Role groups (with the publish permission) and issue categories come from data
    migrations, which a transactional test's flush removes: put them back if so."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    elif "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps
    from django.contrib.auth.models import Group

    from articles.models import IssueCategory
    from supportdesk.roles import EDITOR, sync_role_groups

    if not Group.objects.filter(name=EDITOR, permissions__codename="publish_article").exists():
        sync_role_groups(apps)
    if not IssueCategory.objects.exists():
        import_module("articles.migrations.0002_categories_and_roles").create_categories(
            apps, None
        )
