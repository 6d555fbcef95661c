import pytest

from articles.models import Article
from articles.services import archive_article, publish_article, save_revision, send_for_review
from articles.suggest.ranking import Suggestion, search_articles, suggest_articles
from tests.factories import ArticleFactory, IssueCategoryFactory

pytestmark = pytest.mark.django_db

PASSWORD_BODY = (
    "**Forgot your password?** Click **Forgot password** on the [sign-in form](/login).\n\n"
    "1. Enter your account email.\n"
    "2. Open the reset link we send you."
)


@pytest.fixture
def articles():
    return {
        "password": ArticleFactory(
            title="Reset your password", body=PASSWORD_BODY, category=_category("sign-in")
        ),
        "video": ArticleFactory(
            title="Videos stop at 90%",
            body="Long videos can fail near the end. Try a shorter duration.",
        ),
        "invoice": ArticleFactory(
            title="Invoices and receipts",
            body="Download invoices from Billing & Subscription. Each payment has a receipt.",
            category=_category("billing"),
        ),
    }


def _category(slug):
    return IssueCategoryFactory(slug=slug)


def titles(suggestions):
    return [s.article.title for s in suggestions]


def test_the_best_match_comes_first(articles):
    suggestions = suggest_articles("I forgot my password and now I can't sign in")

    assert titles(suggestions)[0] == "Reset your password"
    assert all(isinstance(s, Suggestion) for s in suggestions)
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_synonyms_meet_the_articles_words(articles):
    assert titles(suggest_articles("my video generation keeps failing near the end"))[0] == (
        "Videos stop at 90%"
    )
    assert titles(suggest_articles("where do I get a receipt for my payment?"))[0] == (
        "Invoices and receipts"
    )


def test_unrelated_text_gets_no_suggestion(articles):
    assert suggest_articles("What is the capital of France?") == []
    assert suggest_articles("Great product, thanks a lot for your work!") == []


def test_one_shared_word_is_a_coincidence_not_an_answer(articles):
    # "account" (password article) and "end" (video article): one word each.
    message = "Can I move my account avatar and profile banner to the end of the page?"

    assert suggest_articles(message) == []


def test_a_weak_match_stays_under_the_threshold(articles):
    # Shares "account" and "email" with the password article, among many other words.
    message = (
        "How do I unsubscribe my account from the marketing email, the weekly digest, "
        "product announcements, partner promotions and survey invitations?"
    )

    assert suggest_articles(message) == []


def test_blank_text_or_only_small_words_gets_no_suggestion(articles):
    assert suggest_articles("") == []
    assert suggest_articles("   and the of it  ") == []


def test_nothing_to_suggest_without_published_articles(db):
    ArticleFactory(title="Reset your password", status=Article.Status.DRAFT)

    assert suggest_articles("reset my password") == []


def test_drafts_and_archived_articles_are_never_suggested(articles, editor):
    ArticleFactory(title="Reset the password of a team", status=Article.Status.DRAFT)
    archived = ArticleFactory(title="Password reset mail missing", body="Check spam.")
    archive_article(archived, by=editor)

    found = titles(suggest_articles("password reset mail missing", limit=10))

    assert found == ["Reset your password"]


def test_limit_caps_the_number_of_suggestions(articles):
    # Two articles match (an invoice question would be for a person: see below).
    assert len(suggest_articles("password reset fails, and long videos fail", limit=3)) == 2
    assert len(suggest_articles("password reset fails, and long videos fail", limit=1)) == 1


def test_a_newly_published_revision_is_picked_up(articles, editor):
    video = articles["video"]
    assert suggest_articles("my upload is stuck at the watermark step") == []

    revision = save_revision(
        video,
        title="Videos stop at the watermark step",
        body="Uploads with a watermark are stuck until the watermark step finishes.",
        by=editor,
        base_revision=video.current_revision,
    )
    assert suggest_articles("my upload is stuck at the watermark step") == [], "not published"

    publish_article(video, by=editor, revision=revision)
    suggestions = suggest_articles("my upload is stuck at the watermark step")

    assert titles(suggestions) == ["Videos stop at the watermark step"]
    assert suggestions[0].article.published_revision == revision


def test_the_published_text_counts_while_an_edit_waits_for_review(articles, editor):
    video = articles["video"]
    save_revision(
        video,
        title="Videos stop at the watermark step",
        body="Uploads with a watermark are stuck until the watermark step finishes.",
        by=editor,
        base_revision=video.current_revision,
    )
    send_for_review(video, by=editor)

    suggestions = suggest_articles("my long video fails near the end")

    assert [s.article for s in suggestions] == [video]
    # The article row carries the edit's title; the agent sends the published text.
    assert suggestions[0].article.published_revision.title == "Videos stop at 90%"
    assert suggest_articles("my upload is stuck at the watermark step") == []


def test_archiving_takes_an_article_out_at_once(articles, editor):
    assert titles(suggest_articles("download my invoice"))[0] == "Invoices and receipts"

    archive_article(articles["invoice"], by=editor)

    assert "Invoices and receipts" not in titles(suggest_articles("download my invoice"))


def test_terms_are_the_matched_words_and_passage_the_best_sentence(articles):
    best = suggest_articles("Forgot password, the sign in form does nothing")[0]

    assert best.article.title == "Reset your password"
    assert set(best.terms) >= {"password", "sign-in", "forgot", "form"}
    assert best.passage == "Click Forgot password on the sign-in form."


def test_billing_prior_breaks_a_tie_but_hides_nothing(db):
    general = ArticleFactory(title="Payment failed", body="Try another card.")
    billing = ArticleFactory(
        title="Payment failed", body="Try another card.", category=_category("billing")
    )
    ArticleFactory(title="Reset your password", body=PASSWORD_BODY)

    assert titles(suggest_articles("payment failed", inbox_slug="general")) == [
        general.title,
        billing.title,
    ]
    in_billing = suggest_articles("payment failed", inbox_slug="billing")
    assert [s.article for s in in_billing] == [billing, general]
    password = suggest_articles("forgot my password", inbox_slug="billing")
    assert titles(password)[0] == "Reset your password"


def test_a_warm_call_costs_two_queries(articles, django_assert_max_num_queries):
    suggest_articles("forgot my password")

    with django_assert_max_num_queries(2):
        assert suggest_articles("forgot my password again")


def test_search_ranks_published_articles(articles):
    ArticleFactory(title="Password of a draft", status=Article.Status.DRAFT)

    found = search_articles("password")

    assert [a.title for a in found] == ["Reset your password"]


def test_search_finds_half_typed_titles_and_ignores_blank(articles):
    assert [a.title for a in search_articles("invo")] == ["Invoices and receipts"]
    # "dura" begins a word of the video article's body, not of its title.
    assert [a.title for a in search_articles("dura")] == ["Videos stop at 90%"]
    assert search_articles("   ") == []


def test_search_never_finds_an_article_by_an_unpublished_title(articles, editor):
    video = articles["video"]
    save_revision(
        video,
        title="Zanzibar uploads hang",
        body=video.body,
        by=editor,
        base_revision=video.current_revision,
    )

    assert search_articles("zanzibar") == []
    assert search_articles("zanz") == []
    assert [a.published_revision.title for a in search_articles("stop")] == ["Videos stop at 90%"]


def test_tuning_reads_only_as_much_of_a_message_as_suggesting(articles):
    from articles.suggest.ranking import MAX_TEXT, confidences

    # The problem is stated only after the part that is read.
    email = "thanks " * (MAX_TEXT // 7 + 1) + "I forgot my password and cannot sign in"

    assert suggest_articles(email) == []
    assert confidences(email) == []
    assert confidences("I forgot my password and cannot sign in")


def test_search_respects_the_limit(articles):
    assert len(search_articles("password videos invoices", limit=2)) == 2


def test_a_long_email_still_finds_its_article_and_shows_few_terms(articles):
    email = (
        "Hello team, I hope you are well. Since this morning I cannot sign in: I forgot "
        "my password, asked for the reset link twice and typed my account email "
        "carefully, but the form keeps saying the link expired. I use Firefox on a "
        "laptop from work, with no extensions, and I already cleared the cache. My "
        "order number is 48213 and my invoice for May was paid by card. Kind regards, "
        "Sofia from Lisbon, graphic designer and longtime customer" + " thanks" * 5000
    )

    best = suggest_articles(email)[0]

    assert best.article.title == "Reset your password"
    assert 2 <= len(best.terms) <= 8


def test_a_close_call_goes_to_the_help_center_article():
    from articles.models import HelpCenterPage

    body = "Slow renders: wait a few minutes, then retry with a shorter video."
    narrow = ArticleFactory(title="Slow renders of long videos", body=body)
    canonical = ArticleFactory(title="Slow renders of long videos", body=body)
    page = HelpCenterPage.objects.create(slug="troubleshooting", title="Troubleshooting")
    Article.objects.filter(pk=canonical.pk).update(page=page)

    suggestions = suggest_articles("my video renders are slow", limit=2)

    assert [s.article for s in suggestions] == [canonical, narrow]


@pytest.fixture
def credits_article(db):
    return ArticleFactory(
        title="My credits haven't refreshed",
        body="Credits refresh on your renewal date after each payment of your plan. "
        "Check the plan page for the date; sign out and in again to refresh the balance.",
    )


def test_an_administration_request_gets_no_troubleshooting_article(credits_article):
    """A wrong article in front of a customer costs more than none: an invoice,
    a refund, closing the account or a licence is for a person to answer."""
    for message in (
        "Can I get a VAT invoice for last month's payment of my plan?",
        "Please delete my account and my plan, and refund the last payment",
        "Am I allowed to sell the images? Which licence applies to my plan?",
    ):
        assert suggest_articles(message) == [], message
    # The same words about the problem itself still find the article.
    assert titles(suggest_articles("My credits did not refresh after my plan payment")) == [
        "My credits haven't refreshed"
    ]


def test_an_article_that_speaks_of_the_request_is_still_shown(articles):
    assert titles(suggest_articles("Where do I download the invoice for my payment?"))[0] == (
        "Invoices and receipts"
    )
