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


# Every page a browser test opens reports Content-Security-Policy violations
# (console messages, and securitypolicyviolation events turned into console errors
# by a script Playwright injects past the CSP); any of them fails the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || document.location.href}:${event.lineNumber}`;
  console.error(`CSP violation: ${event.violatedDirective} blocked`
    + ` ${event.blockedURI || "inline"} at ${where} ${event.sample || ""}`);
});
"""


def csp_violation(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


def watch_csp(context) -> list[str]:
    """The CSP violations seen on every page of ``context``, as they happen."""
    seen: list[str] = []
    context.add_init_script(REPORT_VIOLATIONS)

    def watch(page):
        page.on("console", lambda msg: csp_violation(msg.text) and seen.append(msg.text))

    context.on("page", watch)
    for page in context.pages:
        watch(page)
    return seen


@pytest.fixture
def csp_violations(context):
    return watch_csp(context)


@pytest.fixture
def page(csp_violations, page):
    yield page
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))
