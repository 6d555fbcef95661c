"""Which published articles answer a customer's message (issue 5).

Ranking is BM25 over the terms of ``articles.suggest.terms`` (stems, with the domain's
synonyms folded together) of each published article's *published revision*;
the index is ``articles.suggest.index``.

Whether an article is shown at all is decided on its *confidence*: its score
over the best score the message could reach (its ``CEILING_TERMS`` weightiest
terms, each in the title and the body as often as counts), so it does not grow
with the size of the knowledge base or shrink with a long email. An article
must also share two of the message's terms. ``MIN_CONFIDENCE`` and the other
constants were tuned on the dev set with ``manage.py eval_suggestions --sweep``
and checked on our own cases: docs/benchmarks.md, "Suggestions".
"""

import heapq
from dataclasses import dataclass

from django.db.models import Q

from articles.models import Article
from articles.suggest import learning
from articles.suggest.index import K1, TITLE_WEIGHT, Doc, Index, current_index
from articles.suggest.terms import Token, admin_request, tokenize

# The best possible score counts this many of the message's weightiest terms,
# about the length of a one-line problem, so greetings and signatures in a long
# email do not dilute a clear match.
CEILING_TERMS = 8
# The confidence an article needs to be suggested: the middle of the range where
# top-1 accuracy on the dev set is best, with the shared page alone (0.01-0.10)
# and with the demo knowledge base as well (0.01-0.08).
MIN_CONFIDENCE = 0.05
# A long email shares many words with its article; the reason shows the rarest.
SHOWN_TERMS = 8
# Only the start of a very long text is read (a thread, a pasted log): the
# problem is stated there, and a call stays fast.
MAX_TEXT = 10_000
# How many indexed terms a half-typed word in the picker may stand for.
PREFIX_TERMS = 20
# Inbox prior: in the billing inbox, plan/credit/billing articles weigh a little
# more. Weak on purpose: it breaks near ties and never hides an article.
INBOX_PRIOR = {"billing": ({"plans", "credits", "billing"}, 1.1)}
# Articles on the public help center page are the vetted answers to the common
# problems. A narrower article whose title shares one rare word with a message
# ("finishes", "reset email") otherwise outranks them when they are the answer.
# 2.5: where our own three case sets stop improving with the demo articles
# loaded; what it costs narrower articles is measured too (docs/benchmarks.md,
# "Suggestions": they stay in the top three).
HELP_CENTER_PRIOR = 2.5
# A message asking for account or billing administration (an invoice, a refund,
# deleting the account, a licence: ``terms.admin_request``) is answered by a person,
# not by a troubleshooting article: only an article that speaks of what is asked
# may still be shown. A quarter of the confidence (tried first) still let through
# most articles that shared two everyday words with the request.
ADMIN_DAMPING = 0.0
# ... when the request is what the message is about: at least one term in eight
# (a long sign-in complaint that mentions "my invoice" in passing is not one).
ADMIN_SHARE = 1 / 8


@dataclass(frozen=True)
class Suggestion:
    article: Article
    score: float
    # Why it matched: the words shared with the message, and the best passage.
    terms: tuple[str, ...] = ()
    passage: str = ""
    # The message's words that solved tickets and deflections tied to this article
    # (articles.suggest.learning), as the message spells them.
    learned: tuple[str, ...] = ()


def _score(index: Index, query_terms: set[str]) -> tuple[list[float], list[int], set[int]]:
    """Score and number of shared terms per article (by position), and which
    positions share any term. Flat lists: this loop is most of a call's time."""
    scores = [0.0] * len(index.docs)
    shared = [0] * len(index.docs)
    touched: set[int] = set()
    for term in query_terms:
        postings = index.postings.get(term)
        if not postings:
            continue
        for position, contribution in postings:
            scores[position] += contribution
            shared[position] += 1
        touched.update(position for position, _ in postings)
    return scores, shared, touched


def _best_possible(index: Index, query_terms: set[str]) -> float:
    """The BM25 bound for the message's ``CEILING_TERMS`` weightiest terms.

    Counting only that many keeps a long email (greeting, order number,
    signature) from diluting a clear match; one-line messages are unaffected.
    """
    weights = sorted((index.query_weight(term) for term in query_terms), reverse=True)
    return sum(weights[:CEILING_TERMS]) * (K1 + 1) * (1 + TITLE_WEIGHT)


def _explain(index: Index, doc: Doc, query: list[Token]) -> tuple[tuple[str, ...], str]:
    """The matched words (at most ``SHOWN_TERMS``, the weightiest, in the message's
    order) and the sentence of the article that holds the most of them."""
    reading = doc.reading
    wanted = {t.term for t in query}
    passage, best = "", 0.0
    for sentence, sentence_terms in reading.sentences:
        weight = sum(index.idf[term] for term in wanted & sentence_terms)
        if weight > best:
            passage, best = sentence, weight
    # The article's own spelling where it has one: that is what gets highlighted.
    surface: dict[str, str] = {}
    for token in (*reading.title_tokens, *tokenize(passage), *query):
        if token.term in wanted:
            surface.setdefault(token.term, token.surface)
    matched = [
        term
        for term in dict.fromkeys(t.term for t in query)
        if term in reading.title_tf or term in reading.body_tf
    ]
    shown = set(sorted(matched, key=lambda term: -index.idf[term])[:SHOWN_TERMS])
    return tuple(surface[term] for term in matched if term in shown), passage


def _ranked(
    index: Index,
    query: list[Token],
    inbox_slug: str | None,
    *,
    corroborated: bool,
    limit: int,
    learned: learning.Learned | None = None,
) -> list[tuple[float, Doc]]:
    """The ``limit`` best (confidence, article) pairs sharing terms with the query.

    ``corroborated``: when the message has two terms or more, an article must
    share two of them; one shared word ("account", "plan") is a coincidence
    more often than an answer.

    ``learned`` (default: the stored weights) nudges the order towards the articles
    the message's words led to before, and lowers the confidence of an article
    when the words led to no article more than to it (articles.suggest.learning).
    """
    query_terms = {t.term for t in query}
    if not index.docs or not query_terms or limit < 1:
        return []
    scores, shared, touched = _score(index, query_terms)
    needed = min(2, len(query_terms)) if corroborated else 1
    prior_categories, prior = INBOX_PRIOR.get(inbox_slug or "", (set(), 1.0))
    docs = index.docs
    learned = learning.current() if learned is None else learned
    pulls = learned.pulls(query_terms) if learned.weights else {}
    leans, unseen = learned.leans(pulls) if pulls else ({}, 0.0)
    # "No article" weighs in only when the message has words that led to none.
    lean_none = leans.get(learning.NONE, 0.0) if pulls.get(learning.NONE) else 0.0
    admin = admin_request(query_terms)
    if sum(len(group) for group in admin) < ADMIN_SHARE * len(query_terms):
        admin = []

    def administration(position: int) -> float:
        reading = docs[position].reading
        spoken = any(
            all(t in reading.title_tf or t in reading.body_tf for t in group) for group in admin
        )
        return 1.0 if spoken or not admin else ADMIN_DAMPING

    def boosted(position: int) -> float:
        doc, score = docs[position], scores[position]
        if doc.category_slug in prior_categories:
            score *= prior
        if doc.on_help_center:
            score *= HELP_CENTER_PRIOR
        return score * administration(position)

    def ordered(position: int) -> float:
        return boosted(position) * learning.boost(leans.get(docs[position].article_id, unseen))

    def confidence(position: int) -> float:
        # What was learned orders the candidates; it only ever lowers a confidence
        # (the threshold was tuned on the unlearned scale).
        damping = learning.damping(lean_none, leans.get(docs[position].article_id, unseen))
        return min(boosted(position) / ceiling, 1.0) * damping

    rank = ordered if leans else boosted  # nothing learned applies: no extra call
    best = heapq.nsmallest(
        limit,
        (p for p in touched if shared[p] >= needed),
        key=lambda p: (-rank(p), docs[p].article_id),
    )
    ceiling = _best_possible(index, query_terms)
    return [(confidence(p), docs[p]) for p in best]


def _message_tokens(text: str) -> list[Token]:
    """The terms a message is matched on: only its first ``MAX_TEXT`` characters,
    the same for suggesting and for tuning, so the sweep measures what agents get."""
    return tokenize(text[:MAX_TEXT])


def confidences(
    text: str, *, inbox_slug: str | None = None, learned: learning.Learned | None = None
) -> list[tuple[float, int]]:
    """(confidence, article id) of every candidate suggestion, best first, before
    the threshold; for tuning ``MIN_CONFIDENCE`` (``eval_suggestions --sweep``)."""
    index = current_index()
    query = _message_tokens(text)
    ranked = _ranked(
        index, query, inbox_slug, corroborated=True, limit=len(index.docs), learned=learned
    )
    return [(confidence, doc.article_id) for confidence, doc in ranked]


def suggest_articles(
    text: str,
    *,
    inbox_slug: str | None = None,
    limit: int = 3,
    learned: learning.Learned | None = None,
) -> list[Suggestion]:
    """The published articles that best answer ``text``, best first; empty when
    none matches well enough.

    ``score`` is the confidence in [0, 1]: the article's BM25 score over the
    best score the message could reach. ``terms`` are the shared words as the
    article spells them; ``passage`` is a plain-text sentence of the article
    (escape it like any text); ``learned`` the message's words that outcomes tied
    to it. ``learned`` (default: the stored weights) is for measuring the learning.
    """
    index = current_index()
    learned = learning.current() if learned is None else learned
    query = _message_tokens(text)
    ranked = _ranked(index, query, inbox_slug, corroborated=True, limit=limit, learned=learned)
    chosen = [(c, doc) for c, doc in ranked if c >= MIN_CONFIDENCE]
    if not chosen:
        return []
    articles = Article.objects.select_related("published_revision", "category").in_bulk(
        [doc.article_id for _, doc in chosen]
    )
    suggestions = []
    for confidence, doc in chosen:
        article = articles.get(doc.article_id)
        if article is None or not article.is_published:
            continue
        terms, passage = _explain(index, doc, query)
        written = {t.term: t.surface for t in reversed(query)}
        pulling = learned.pulling(written, doc.article_id)[:SHOWN_TERMS]
        suggestions.append(
            Suggestion(
                article=article,
                score=round(min(confidence, 1.0), 4),
                terms=terms,
                passage=passage,
                learned=tuple(written[term] for term in pulling),
            )
        )
    return suggestions


def search_articles(query: str, *, limit: int = 10) -> list[Article]:
    """Published articles for the picker's search box, best first: ranked matches,
    then titles containing what was typed (so half a word finds something)."""
    query = query.strip()
    if not query:
        return []
    index = current_index()
    terms = tokenize(query)
    # The word being typed may be half a word: it also stands for the indexed
    # terms it begins ("gall" -> gallery).
    typing = query.lower().split()[-1]
    if len(typing) >= 3 and typing.isalpha():
        terms += [Token(t, typing) for t in index.idf if t.startswith(typing)][:PREFIX_TERMS]
    # Any shared word will do here: the agent is looking, not being told.
    ranked = _ranked(index, terms, None, corroborated=False, limit=limit)
    ids = [doc.article_id for _, doc in ranked]
    published = Article.objects.published().select_related("published_revision", "category")
    # Then titles containing what was typed; the published title: a draft's new
    # title must not find it for agents.
    titled = Q(published_revision__title__icontains=query)
    if not ids:
        return list(published.filter(titled)[:limit])
    # One query as the agent types: the ranked articles first, then enough
    # titled ones to fill up to ``limit`` whatever the ranked ones turn out to be.
    rows = (
        published.filter(Q(id__in=ids) | titled)
        .annotate(ranked=Q(id__in=ids))
        .order_by("-ranked", *Article._meta.ordering)[: len(ids) + limit]
    )
    found = {article.id: article for article in rows if article.ranked}
    articles = [found[i] for i in ids if i in found]
    return articles + [article for article in rows if not article.ranked][: limit - len(articles)]
