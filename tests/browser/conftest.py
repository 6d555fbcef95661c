import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django would refuse
# the test's own database calls without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.fixture
def readme_screenshot():
    """Save a screenshot for the README, only when SCREENSHOTS=1 (`make screenshots`),
    so the pictures follow the screens without every test run rewriting them."""

    def take(page, name: str, **options) -> None:
        if os.environ.get("SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / name, **options)

    return take
