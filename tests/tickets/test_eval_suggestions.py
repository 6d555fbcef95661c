import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import demo as articles_demo
from supportdesk.demo import load_users
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SHARED = settings.BASE_DIR.parent / "shared"
PAGE = SHARED / "help-center" / "troubleshooting.mdx"
DEV_SET = SHARED / "eval" / "suggest_dev.tsv"
EXTRA_SET = settings.BASE_DIR / "tests" / "data" / "suggest_extra.tsv"
KEYS = {"top1", "top3", "answer_vs_none", "latency_p50_ms", "cases"}

needs_shared = pytest.mark.skipif(
    not (PAGE.exists() and DEV_SET.exists()),
    reason=f"the shared help center page and dev set are not at {SHARED}",
)


def evaluate(path) -> tuple[list[str], dict]:
    out = StringIO()
    call_command("eval_suggestions", str(path), stdout=out, stderr=StringIO())
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


@pytest.fixture
def help_center():
    call_command("import_help_center", str(PAGE), stdout=StringIO())


@needs_shared
def test_dev_set_meets_the_targets_with_the_shared_page(help_center):
    lines, result = evaluate(DEV_SET)

    assert result["top1"] >= 0.90
    assert result["answer_vs_none"] >= 0.90
    assert result["cases"] == 24


@needs_shared
@pytest.mark.parametrize("demo_first", [False, True], ids=["page-then-demo", "demo-then-page"])
def test_dev_set_with_the_demo_knowledge_base_as_well(demo_first):
    # The demo's six troubleshooting articles share the page's slugs, so in
    # either order there is one article per problem, with the page's text.
    steps = [
        lambda: call_command("import_help_center", str(PAGE), stdout=StringIO()),
        lambda: articles_demo.load(users=load_users(), stdout=StringIO()),
    ]
    for step in reversed(steps) if demo_first else steps:
        step()

    _, result = evaluate(DEV_SET)

    # The misses left are demo articles that do answer the message, which the
    # dev set files under another article or none (reset email, receipt,
    # cancelling): docs/benchmarks.md, "Suggestions".
    assert result["top1"] >= 0.85
    assert result["top3"] >= 0.90
    assert result["answer_vs_none"] >= 0.85


@needs_shared
def test_own_held_out_cases_generalise(help_center):
    _, result = evaluate(EXTRA_SET)

    assert result["top1"] >= 0.80
    assert result["answer_vs_none"] >= 0.85


@needs_shared
def test_output_is_four_figures_then_one_json_line(help_center):
    lines, result = evaluate(DEV_SET)

    assert [line.split(":")[0] for line in lines[:4]] == [
        "top-1 accuracy",
        "top-3 accuracy",
        "answer-versus-none accuracy",
        "median latency",
    ]
    assert len(lines) == 5
    assert set(result) == KEYS
    assert lines[0] == f"top-1 accuracy: {result['top1']:.3f}"


def test_figures_follow_their_definitions(db, tmp_path):
    ArticleFactory(title="Reset your password", body="Use the reset link in the email.")
    ArticleFactory(title="Invoices and receipts", body="Download invoices from Billing.")
    cases = tmp_path / "cases.tsv"
    cases.write_text(
        "expected_title\tinbox\tmessage\n"
        "Reset your password\tgeneral\tI need to reset my password\n"
        "\tgeneral\tWhat is the capital of France?\n"
        # Wrong article suggested: a top-1 and top-3 miss, but "some answer" is right.
        "Invoices and receipts\tbilling\tthe password reset email never came\n"
    )

    lines, result = evaluate(cases)

    assert {k: result[k] for k in ("top1", "top3", "answer_vs_none", "cases")} == {
        "top1": 0.6667,
        "top3": 0.6667,
        "answer_vs_none": 1.0,
        "cases": 3,
    }
    assert result["latency_p50_ms"] > 0


def test_a_missing_file_or_column_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("eval_suggestions", str(tmp_path / "nope.tsv"))
    wrong = tmp_path / "wrong.tsv"
    wrong.write_text("title\tmessage\nX\thello\n")
    with pytest.raises(CommandError, match="missing column"):
        call_command("eval_suggestions", str(wrong))
