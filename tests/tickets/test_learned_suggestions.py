"""The suggestions learn from the product's outcomes (issue 14): tickets solved by
an article, tickets solved without one, and customers' deflections. What is learned
is a table of (term, article, weight) refreshed by ``manage.py learn_suggestions``,
read once per change, and blended with BM25 in a way a person can follow."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from articles.models import ArticleFeedback, LearnedTerm
from articles.suggest import learning
from articles.suggest.ranking import confidences, suggest_articles
from tests.factories import ArticleFactory, CustomerFactory
from tickets.models import Resolution
from tickets.resolution import link_article, solve_ticket
from tickets.services import create_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    return {
        "export": ArticleFactory(
            title="Export your project as a video",
            body="Open the project and choose Export. Pick the video format and size.",
        ),
        "share": ArticleFactory(
            title="Share or export your project",
            body="Open the project and choose Share to send a link or export it.",
        ),
    }


def solved(inbox, agent, text, article=None, *, reopened=False):
    ticket = create_ticket(
        inbox=inbox, customer=CustomerFactory(), subject=text.split(".")[0], body_text=text
    )
    links = [link_article(ticket, article=article, by=agent)] if article else []
    kind = Resolution.Kind.ARTICLE if article else Resolution.Kind.NO_ARTICLE
    note = "" if article else "Explained by hand."
    resolution = solve_ticket(ticket, kind=kind, by=agent, links=links, note=note)
    if reopened:
        Resolution.objects.filter(pk=resolution.pk).update(reopened_at=resolution.solved_at)
    return ticket


def first(text):
    return [s.article.title for s in suggest_articles(text)][:1]


def test_outcomes_teach_which_words_lead_to_which_article(articles, general_inbox, agent):
    text = "How do I export my project for my client? A movie would be best."
    assert first(text) == ["Share or export your project"]  # BM25 alone
    for _ in range(3):
        solved(general_inbox, agent, "Send my project to a client as a movie", articles["export"])
        solved(general_inbox, agent, "Which link for 4K?", articles["share"])

    assert call_command("learn_suggestions", stdout=StringIO()) is None

    weights = dict(
        LearnedTerm.objects.filter(article=articles["export"]).values_list("term", "weight")
    )
    assert weights["client"] > 0 and weights["movi"] > 0
    [suggestion, *_] = suggest_articles(text)
    assert suggestion.article == articles["export"]
    # Explainable: the words that pulled it, as the message wrote them.
    assert set(suggestion.learned) >= {"client", "movie"}


def test_words_agents_keep_solving_without_an_article_silence_a_weak_match(
    articles, general_inbox, agent
):
    # Not a refund: the administration rule alone keeps articles from those
    # (articles.suggest.ranking.ADMIN_DAMPING); this is what learning adds.
    question = "Can I get the watermark off the video project I exported by mistake?"
    assert first(question)  # shares "video", "project", "export" with an article
    for n in range(3):
        solved(general_inbox, agent, f"Watermark on every image ({n})")
        solved(general_inbox, agent, f"Watermark on my plan ({n})")
    solved(general_inbox, agent, "Export of my project as video", articles["export"])

    learning.refresh()

    assert LearnedTerm.objects.filter(term="watermark", article=None).exists()
    assert suggest_articles(question) == []
    # The same article still answers a question without those words.
    assert first("How do I export my project as a video?") == ["Export your project as a video"]


def test_a_resolution_that_did_not_hold_teaches_nothing(articles, general_inbox, agent):
    for _ in range(3):
        solved(general_inbox, agent, "movie for my client", articles["share"], reopened=True)

    learning.refresh()

    assert not LearnedTerm.objects.exclude(term="").exists()


def test_a_deflection_keeps_only_terms_and_teaches_at_half_weight(articles):
    article = articles["share"]
    revision = article.published_revision_id
    answer = Client().get(
        "/help/contact/suggest/",
        {"subject": "share", "message": "Send my project to anna@x.example please"},
        headers={"HX-Request": "true"},
    )
    [terms] = set(re.findall(r'name="terms" value="([^"]*)"', answer.text))
    assert "anna" not in terms and "@" not in terms and "project" in terms.split()

    for _ in range(4):
        Client().post("/help/contact/solved/", {"revision": revision, "terms": terms})
    Client().post("/help/contact/solved/", {"revision": revision, "terms": "<b>x</b> ok"})

    feedback = list(ArticleFeedback.objects.values_list("terms", flat=True))
    assert feedback.count(terms) == 4 and "ok" in feedback
    outcomes = learning.deflection_outcomes()
    assert {o.weight for o in outcomes} == {learning.DEFLECTION_WEIGHT}
    assert "project" in outcomes[0].terms


def test_the_learned_weights_are_read_once_per_change(
    articles, general_inbox, agent, django_assert_num_queries
):
    suggest_articles("export my project")
    with django_assert_num_queries(2):  # the index key (with the table's version), in_bulk
        suggest_articles("export my project")
    solved(general_inbox, agent, "movie for my client", articles["share"])
    solved(general_inbox, agent, "movie for my client", articles["share"])
    solved(general_inbox, agent, "export in 4K", articles["export"])
    learning.refresh()

    with django_assert_num_queries(3):  # and the changed table, once
        suggest_articles("export my project")
    with django_assert_num_queries(2):
        suggest_articles("export my project")


def test_learning_never_raises_a_confidence(articles, general_inbox, agent):
    text = "movie of my project for a client"
    before = dict((a, c) for c, a in confidences(text))
    for _ in range(3):
        solved(general_inbox, agent, "movie for my client", articles["share"])
        solved(general_inbox, agent, "Refund please")
    learning.refresh()

    after = dict((a, c) for c, a in confidences(text))
    assert all(after[a] <= before[a] + 1e-9 for a in before)


def test_evaluate_splits_solved_tickets_by_time(articles, general_inbox, agent):
    for n in range(6):
        solved(general_inbox, agent, f"movie for my client {n}", articles["share"])
    for n in range(4):
        solved(general_inbox, agent, f"Refund please {n}")
    out = StringIO()

    call_command("learn_suggestions", "--evaluate", "--train-share", "0.5", stdout=out)

    result = json.loads(out.getvalue().splitlines()[-1])
    assert result["train"] == 5 and result["test"] == 5
    expected = {"base_top1", "learned_top1", "base_answer_vs_none", "learned_answer_vs_none"}
    assert expected <= result.keys()
    assert not LearnedTerm.objects.exists()  # measuring writes nothing


def test_evaluate_reads_case_files_as_solved_tickets(articles, tmp_path):
    cases = tmp_path / "cases.tsv"
    rows = ["expected_title\tinbox\tmessage"]
    rows += [f"Share or export your project\tgeneral\tmovie for my client {n}" for n in range(4)]
    rows += [f"\tgeneral\trefund my plan {n}" for n in range(4)]
    cases.write_text("\n".join(rows) + "\n")
    out = StringIO()

    call_command("learn_suggestions", "--evaluate", "--cases", str(cases), stdout=out)

    assert json.loads(out.getvalue())["test"] == 3
    with pytest.raises(CommandError, match="goes with --evaluate"):
        call_command("learn_suggestions", "--cases", str(cases))
    with pytest.raises(CommandError, match="too few"):
        call_command("learn_suggestions", "--evaluate", "--train-share", "0.01")
