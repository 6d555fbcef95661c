"""Every HTML page carries a Content-Security-Policy that allows no inline code.

The sweep requests every URL pattern as a superuser (every role) with its
parameters pointing at real objects, and checks the header and the markup:
scripts and styles inline only with the response's nonce, no style attributes,
no inline event handlers. The browser tests (tests/browser/conftest.py) fail
on any violation Chromium reports; this catches pages they do not visit.
"""

import re

import pytest

from tests.factories import ArticleFactory, MessageFactory, TicketFactory
from tests.urlwalk import fill, walk

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
TAG = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_strict(response, what: str) -> None:
    policy = response.get("Content-Security-Policy")
    assert policy, f"{what}: no Content-Security-Policy header"
    rules = directives(policy)
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in rules[directive], f"{what}: {policy}"
        assert "'unsafe-eval'" not in rules[directive], f"{what}: {policy}"
    assert rules["object-src"] == ["'none'"]
    nonces = {value for value in rules["script-src"] if value.startswith("'nonce-")}
    html = response.content.decode()
    for tag, attributes in TAG.findall(html):
        if tag.lower() == "script" and ("src=" in attributes or "application/json" in attributes):
            continue  # from our origin, or data that is never run
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and f"'nonce-{nonce.group(1)}'" in nonces, f"{what}: <{tag}{attributes}>"
    assert not STYLE_ATTRIBUTE.search(html), f"{what}: {STYLE_ATTRIBUTE.search(html).group()}"
    assert not INLINE_HANDLER.search(html), f"{what}: {INLINE_HANDLER.search(html).group()}"


@pytest.fixture
def world(db, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    MessageFactory(ticket=ticket, body_text="Table | here\n--- | ---\nx | y")
    article = ArticleFactory(slug="sample", body="| a | b |\n|:-|-:|\n| 1 | 2 |\n")
    return {"number": str(ticket.pk), "slug": article.slug}


def test_every_page_has_a_strict_policy(world, admin_user, client):
    client.force_login(admin_user)  # a superuser counts as every role
    swept, problems = 0, []
    for route in walk():
        path = fill(route, lambda name, converter: world.get(name))
        if path is None:
            continue  # regex pattern (the admin's catch-all)
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        swept += 1
        try:
            assert_strict(response, f"GET {path} ({response.status_code})")
        except AssertionError as error:
            problems.append(str(error))

    assert not problems, "\n".join(problems)
    assert swept > 30


def test_the_login_page_and_an_unknown_page_too(client, db):
    for path in ("/accounts/login/", "/no-such-page/", "/admin/login/"):
        assert_strict(client.get(path), path)


def test_articles_align_table_columns_with_classes_not_style(world, admin_user, client):
    client.force_login(admin_user)

    html = client.get("/articles/sample/").content.decode()

    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-right">2</td>' in html
