from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.mdx import parse_page
from articles.models import Article, ArticleRevision, HelpCenterPage

pytestmark = pytest.mark.django_db

TITLES = [
    "I can't log in to my account",
    "Pro models are locked after I upgraded",
    "My generation failed or produced an error",
    "My generations are very slow",
    "My credits haven't refreshed",
    "I can't find a generation I made earlier",
]


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_shared_page_gives_six_published_articles_in_page_order(shared_page):
    output = run("import_help_center", str(shared_page))

    articles = Article.objects.order_by("position")
    assert [a.title for a in articles] == TITLES
    assert all(a.is_published and a.review_due for a in articles)
    assert "6 created" in output
    first = articles[0].body
    assert "**Check which sign-in method you used.**" in first
    assert "1. Click **Forgot password?**" in first
    assert "[support@imagine.art](mailto:support@imagine.art)" in first
    assert Article.objects.get(title=TITLES[4]).category.slug == "credits"


def test_dry_run_reports_and_writes_nothing(shared_page):
    output = run("import_help_center", str(shared_page), "--dry-run")

    assert "6 would be created" in output
    assert Article.objects.count() == 0
    assert HelpCenterPage.objects.count() == 0


def test_import_export_import_creates_no_revisions(shared_page, tmp_path):
    run("import_help_center", str(shared_page))
    revisions = ArticleRevision.objects.count()
    exported = tmp_path / "exported.mdx"

    run("export_help_center", "-o", str(exported))
    output = run("import_help_center", str(exported))

    assert ArticleRevision.objects.count() == revisions == 6
    assert "6 skipped (unchanged)" in output
    assert HelpCenterPage.objects.count() == 1


def test_export_gives_the_original_accordions_and_kept_text(shared_page):
    run("import_help_center", str(shared_page))

    exported = run("export_help_center")

    original = parse_page(shared_page.read_text())
    again = parse_page(exported)
    assert [(a.title, a.body) for a in again.accordions] == [
        (a.title, a.body) for a in original.accordions
    ]
    assert (again.head, again.tail) == (original.head, original.tail)
    assert exported == shared_page.read_text()  # and, as it happens, byte for byte


def test_a_changed_accordion_gets_a_new_published_revision(shared_page, tmp_path):
    run("import_help_center", str(shared_page))
    changed = tmp_path / "troubleshooting.mdx"
    changed.write_text(shared_page.read_text().replace("up to 5 minutes", "up to 10 minutes"))

    output = run("import_help_center", str(changed))

    article = Article.objects.get(title=TITLES[1])
    assert article.revisions.count() == 2
    assert "up to 10 minutes" in article.published_revision.body
    assert "1 updated" in output and "5 skipped" in output


def test_bad_mdx_changes_nothing_and_names_the_line(shared_page, tmp_path):
    run("import_help_center", str(shared_page))
    before = list(Article.objects.values_list("title", "body", "current_revision"))
    bad = tmp_path / "troubleshooting.mdx"
    lines = shared_page.read_text().splitlines(keepends=True)
    tip_line = next(i for i, line in enumerate(lines) if "Wait a few minutes" in line) + 1
    lines.insert(tip_line, "    <Tip>Try later</Tip>\n")
    lines = [line.replace("My credits haven't refreshed", "") for line in lines]
    bad.write_text("".join(lines).replace("up to 5 minutes", "up to 9 minutes"))

    with pytest.raises(CommandError) as caught:
        run("import_help_center", str(bad))

    message = str(caught.value)
    assert f"troubleshooting.mdx:{tip_line + 1}: unknown component <Tip>" in message
    assert "has an empty title" in message
    assert list(Article.objects.values_list("title", "body", "current_revision")) == before


def test_unreadable_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_help_center", str(tmp_path / "missing.mdx"))


def test_export_before_any_import_says_what_to_do():
    with pytest.raises(CommandError, match="import_help_center PATH first"):
        run("export_help_center")
