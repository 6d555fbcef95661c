import re
from io import StringIO

import pytest

from articles import demo
from articles.mdx import parse_page
from articles.models import Article, ArticleRevision
from supportdesk.demo import load_users

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    demo.load(users=load_users(), stdout=out)
    return out.getvalue()


def test_about_twenty_articles_across_categories_owned_by_the_editor():
    load()

    articles = Article.objects.select_related("owner", "category")
    assert 18 <= articles.count() <= 25
    assert {a.owner.username for a in articles} == {"eddie"}
    assert len({a.category.slug for a in articles}) >= 7
    statuses = {a.status for a in articles}
    assert {"published", "draft", "in_review"} <= statuses
    assert Article.objects.needs_review().count() >= 3
    assert ArticleRevision.objects.filter(number__gt=1).exists()


def test_loading_twice_changes_nothing():
    load()
    counts = (Article.objects.count(), ArticleRevision.objects.count())

    output = load()

    assert (Article.objects.count(), ArticleRevision.objects.count()) == counts
    assert "0 created" in output


def test_the_page_facts_are_there():
    load()
    text = " ".join(Article.objects.values_list("body", flat=True))

    for fact in ("up to 5 minutes", "billing anniversary", "24 hours", "4 to 15 seconds",
                 "30 to 60 seconds", "refund", "invoice", "Cancel subscription",
                 "Delete account", "commercially"):  # fmt: skip
        assert fact in text, fact


def test_no_sentence_of_the_help_center_page_is_copied(shared_page):
    load()
    ours = " ".join(Article.objects.values_list("body", flat=True))
    page = parse_page(shared_page.read_text())
    sentences = [
        s.strip()
        for a in page.accordions
        for s in re.split(r"(?<=[.!?])\s+|\n", a.body)
        if len(s.strip()) > 40
    ]

    assert sentences
    assert [s for s in sentences if s in ours] == []
