from pathlib import Path

import pytest
from django.conf import settings

SHARED_PAGE = Path(settings.BASE_DIR).parent / "shared" / "help-center" / "troubleshooting.mdx"


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
