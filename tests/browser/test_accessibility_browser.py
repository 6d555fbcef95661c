"""axe-core (WCAG 2.1 A and AA) on every page of tests/browser/audited_pages.py, at
1440 px and 390 px, light and dark: any violation fails.

axe-core comes from the npm registry (``make axe``, into var/axe) and is injected
into each page by the browser itself (an init script, past the CSP): no CDN."""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from supportdesk.roles import AGENT, EDITOR, MANAGER
from tests.browser.audited_pages import PUBLIC_PAGES, STAFF_PAGES
from tests.browser.conftest import watch_csp
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    CustomerFactory,
    InboxFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tickets.resolution import link_article, solve_ticket

pytestmark = pytest.mark.browser

BASE = Path(settings.BASE_DIR)
AXE = BASE / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = {"1440px": {"width": 1440, "height": 900}, "390px": {"width": 390, "height": 844}}


@pytest.fixture(scope="session")
def axe_source() -> Path:
    """axe-core, installed by ``make axe`` when this run did not go through ``make test``."""
    if not AXE.exists():
        subprocess.run(["make", "--no-print-directory", "axe"], cwd=BASE, check=True)
    return AXE


@dataclass
class World:
    ticket: int
    solved: int
    article: str
    inbox: str


@pytest.fixture
def world(transactional_db) -> World:
    inbox = InboxFactory(slug="general", name="General support")
    staff = UserFactory(username="audit", first_name="Ada", role=AGENT)
    for role in (EDITOR, MANAGER):  # every staff page in one sign-in
        staff.groups.add(Group.objects.get_or_create(name=role)[0])
    inbox.members.add(staff)
    article = ArticleFactory(title="Export fails with an error", slug="export-fails")
    revision = article.revisions.create(
        number=2, title=article.title, body="Try again.", author=staff
    )
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    customer = CustomerFactory(
        name="Ana Long", email="ana.with.a.very.long.address.for.testing.layouts@customer.example"
    )
    ticket = TicketFactory(inbox=inbox, customer=customer, subject="Export fails", status="open")
    MessageFactory(ticket=ticket, body_text="The export fails every time.")
    link_article(ticket, article=article, by=staff)
    solved = TicketFactory(inbox=inbox, customer=customer, subject="Export slow")
    MessageFactory(ticket=solved, body_text="Slow export.")
    solve_ticket(solved, kind="no_article", note="Told them to wait", by=staff, at=timezone.now())
    # Something on the second wave's pages: an SLA clock, a macro, a notification.
    from tickets.models import Macro, Notification, SlaPolicy
    from tickets.sla.clock import refresh_inbox

    SlaPolicy.objects.create(inbox=inbox, priority=2, first_response_minutes=60)
    refresh_inbox(inbox.pk)
    Macro.objects.create(title="Export help", body="Hi {{ customer.first_name }}", inbox=inbox)
    Notification.objects.create(
        recipient=staff, ticket_id=ticket.pk, kind=Notification.Kind.CUSTOMER_REPLY
    )
    return World(ticket=ticket.pk, solved=solved.pk, article=article.slug, inbox=inbox.slug)


# aria-describedby and aria-labelledby naming an id the page lacks (axe passes a
# reference when any one of its ids exists, and Django names help-text ids that a
# template may not print).
MISSING_IDS = """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")]
  .flatMap((el) => ["aria-describedby", "aria-labelledby"].flatMap((name) =>
    (el.getAttribute(name) || "").split(/\\s+/).filter((id) => id && !document.getElementById(id))
      .map((id) => `missing id: ${el.tagName.toLowerCase()}[${name}] names #${id}`)))"""


# What sticks out of the window (outside the tables that scroll on their own): the
# deepest such elements, to say where a reflow failure comes from.
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter((el) => !el.closest(".table-wrap")
    && el.getBoundingClientRect().right > innerWidth + 1
    && ![...el.children].some((c) => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 3)
  .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className
      ? "." + el.className.trim().split(/\\s+/).join(".") : ""))"""


def audit(page, url: str) -> list[str]:
    """The WCAG 2.1 A/AA violations axe finds on the page at ``url``, and whether
    the page scrolls sideways (WCAG 1.4.10 reflow, which axe cannot see)."""
    page.goto(url)
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    found = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(json.dumps(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]
    found += page.evaluate(MISSING_IDS)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        found.append(
            f"reflow: the page is {width} px wide in a {page.viewport_size['width']} px window"
            f" ({', '.join(page.evaluate(STICKING_OUT))} stick out)"
        )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_every_page_has_no_wcag_violations(browser, live_server, world, axe_source, scheme, size):
    found: dict[str, list[str]] = {}
    for signed_in, pages in ((True, STAFF_PAGES), (False, PUBLIC_PAGES)):
        context = browser.new_context(viewport=SIZES[size], color_scheme=scheme)
        context.add_init_script(path=str(axe_source))
        csp = watch_csp(context)
        page = context.new_page()
        # The audit itself can fail: a page with an unlabelled image is caught.
        page.set_content("<html lang='en'><title>t</title><main><img src='x.png'></main></html>")
        assert "image-alt" in page.evaluate(
            "async () => (await axe.run()).violations.map((v) => v.id)"
        )
        if signed_in:
            page.goto(live_server.url + "/accounts/login/")
            page.get_by_label("Username").fill("audit")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(live_server.url + "/")
        for name, path in pages:
            url = live_server.url + path.format(**vars(world))
            violations = audit(page, url)
            if violations:
                found[f"{name} ({path})"] = violations
        context.close()
        assert not csp, csp
    report = "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in found.items())
    assert not found, f"axe found WCAG 2.1 A/AA violations at {size}, {scheme}:\n{report}"
