from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleRevision
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_bench_times_suggestions_and_leaves_the_database_as_it_was(tmp_path):
    ArticleFactory(title="Reset your password", body="Use the reset link.")
    queries = tmp_path / "q.tsv"
    queries.write_text("expected_title\tinbox\tmessage\n\tgeneral\treset my password\n")
    out = StringIO()

    call_command("bench_suggest", articles=40, rounds=2, queries=queries, stdout=out)

    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    assert lines["published articles"] == "41"
    assert lines["calls"] == "2 (1 messages x 2)"
    assert float(lines["median latency"].removesuffix(" ms")) > 0
    assert (Article.objects.count(), ArticleRevision.objects.count()) == (1, 1)
