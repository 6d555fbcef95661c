"""Which published articles answer a customer's message (issue 5).

Ranking is BM25 over the terms of ``suggest_terms`` (stems, with the domain's
synonyms folded together) of each published article's *published revision*.
Title and body are scored as two fields and added, the title ``TITLE_WEIGHT``
times the body, so a title hit is not lost in the saturation of a long body.

The index lives in the process and is rebuilt when the set of published
revisions changes; one aggregate query per call detects that.

Whether an article is shown at all is decided on its *confidence*: its score
over the best score the message could reach (its ``CEILING_TERMS`` weightiest
terms, each in the title and the body as often as counts), so it does not grow
with the size of the knowledge base or shrink with a long email. An article
must also share two of the message's terms. ``MIN_CONFIDENCE`` and the other
constants were tuned on the dev set with ``manage.py eval_suggestions --sweep``
and checked on our own cases: docs/benchmarks.md, "Suggestions".
"""

import heapq
import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Sum

from articles.models import Article
from tickets.suggest_terms import Token, tokenize

# BM25's usual constants; titles are short, so their length matters less.
K1 = 1.2
TITLE_WEIGHT = 3.0
B_TITLE = 0.3
B_BODY = 0.75
# A word no published article uses weighs like a word one article uses, times
# this: unknown words say the message may be about something else, but a
# chatty message should not drown its one precise word.
UNKNOWN_WEIGHT = 0.5
# The best possible score counts this many of the message's weightiest terms,
# about the length of a one-line problem, so greetings and signatures in a long
# email do not dilute a clear match.
CEILING_TERMS = 8
# The confidence an article needs to be suggested: the middle of the range where
# top-1 accuracy on the dev set is best, with the shared page alone (0.01-0.10)
# and with the demo knowledge base as well (0.01-0.08).
MIN_CONFIDENCE = 0.05
# Inbox prior: in the billing inbox, plan/credit/billing articles weigh a little
# more. Weak on purpose: it breaks near ties and never hides an article.
INBOX_PRIOR = {"billing": ({"plans", "credits", "billing"}, 1.1)}


@dataclass(frozen=True)
class Suggestion:
    article: Article
    score: float
    # Why it matched: the words shared with the message, and the best passage.
    terms: tuple[str, ...] = ()
    passage: str = ""


@dataclass(frozen=True)
class _Doc:
    article_id: int
    category_slug: str
    title_tokens: tuple[Token, ...]
    # Plain-text sentences of the body with their terms, for the passage.
    sentences: tuple[tuple[str, frozenset[str]], ...]


@dataclass(frozen=True)
class _Index:
    key: tuple
    docs: tuple[_Doc, ...]
    # term -> [(doc position, precomputed BM25F contribution incl. idf)]
    postings: dict[str, list[tuple[int, float]]]
    idf: dict[str, float]
    unknown_idf: float

    def query_weight(self, term: str) -> float:
        return self.idf.get(term, self.unknown_idf)


_index: _Index | None = None
_lock = threading.Lock()

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`#>|]+|^\s*(?:[-*+]|\d+\.)\s+", re.M)


def _sentences(body: str) -> list[str]:
    plain = _MARKUP.sub(lambda m: m.group(1) or "", body)
    return [s.strip(" \t-—") for s in _SENTENCE_END.split(plain) if len(s.strip()) > 2]


def _bm25_idf(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def _build(key: tuple) -> _Index:
    rows = (
        Article.objects.published()
        .select_related("published_revision", "category")
        .only("id", "category__slug", "published_revision__title", "published_revision__body")
        .order_by("id")
    )
    docs: list[_Doc] = []
    fields: list[tuple[dict[str, int], int, dict[str, int], int]] = []
    for article in rows:
        revision = article.published_revision
        title_tokens = tokenize(revision.title)
        body_terms: list[str] = []
        sentences = []
        for sentence in _sentences(revision.body):
            sentence_terms = [t.term for t in tokenize(sentence)]
            body_terms += sentence_terms
            sentences.append((sentence, frozenset(sentence_terms)))
        docs.append(
            _Doc(
                article_id=article.id,
                category_slug=article.category.slug if article.category else "",
                title_tokens=tuple(title_tokens),
                sentences=tuple(sentences),
            )
        )
        fields.append(
            (
                _counts(t.term for t in title_tokens),
                len(title_tokens),
                _counts(body_terms),
                len(body_terms),
            )
        )
    n = len(docs)
    avg_title = sum(f[1] for f in fields) / n if n else 1.0
    avg_body = sum(f[3] for f in fields) / n if n else 1.0
    df: dict[str, int] = defaultdict(int)
    for title_tf, _, body_tf, _ in fields:
        for term in title_tf.keys() | body_tf.keys():
            df[term] += 1
    idf = {term: _bm25_idf(n, count) for term, count in df.items()}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for position, (title_tf, title_len, body_tf, body_len) in enumerate(fields):
        title_norm = 1 - B_TITLE + B_TITLE * title_len / (avg_title or 1)
        body_norm = 1 - B_BODY + B_BODY * body_len / (avg_body or 1)
        for term in title_tf.keys() | body_tf.keys():
            weight = _saturate(body_tf.get(term, 0) / body_norm) + TITLE_WEIGHT * _saturate(
                title_tf.get(term, 0) / title_norm
            )
            postings[term].append((position, idf[term] * weight))
    return _Index(
        key=key,
        docs=tuple(docs),
        postings=dict(postings),
        idf=idf,
        unknown_idf=UNKNOWN_WEIGHT * _bm25_idf(max(n, 1), 1),
    )


def _saturate(tf: float) -> float:
    return tf * (K1 + 1) / (tf + K1)


def _counts(terms) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for term in terms:
        counts[term] += 1
    return counts


def _current_index() -> _Index:
    """The index of the published revisions as they are now (one cheap query)."""
    global _index
    key = tuple(
        Article.objects.published()
        .aggregate(
            count=Count("id"),
            last=Max("published_revision_id"),
            revisions=Sum("published_revision_id"),
            categories=Sum("category_id"),
        )
        .values()
    )
    index = _index
    if index is None or index.key != key:
        with _lock:
            if _index is None or _index.key != key:
                _index = _build(key)
            index = _index
    return index


def _score(index: _Index, query_terms: set[str]) -> tuple[list[float], list[int], set[int]]:
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


def _best_possible(index: _Index, query_terms: set[str]) -> float:
    """The BM25 bound for the message's ``CEILING_TERMS`` weightiest terms.

    Counting only that many keeps a long email (greeting, order number,
    signature) from diluting a clear match; one-line messages are unaffected.
    """
    weights = sorted((index.query_weight(term) for term in query_terms), reverse=True)
    return sum(weights[:CEILING_TERMS]) * (K1 + 1) * (1 + TITLE_WEIGHT)


def _explain(index: _Index, doc: _Doc, query: list[Token]) -> tuple[tuple[str, ...], str]:
    """The matched words and the sentence of the article that holds the most of them."""
    wanted = {t.term for t in query}
    passage, best = "", 0.0
    for sentence, sentence_terms in doc.sentences:
        weight = sum(index.idf[term] for term in wanted & sentence_terms)
        if weight > best:
            passage, best = sentence, weight
    in_doc = {t.term for t in doc.title_tokens}.union(*(terms for _, terms in doc.sentences))
    # The article's own spelling where it has one: that is what gets highlighted.
    surface: dict[str, str] = {}
    for token in (*doc.title_tokens, *tokenize(passage), *query):
        if token.term in wanted:
            surface.setdefault(token.term, token.surface)
    matched = [term for term in dict.fromkeys(t.term for t in query) if term in in_doc]
    return tuple(surface[term] for term in matched), passage


def _ranked(
    index: _Index,
    query: list[Token],
    inbox_slug: str | None,
    *,
    corroborated: bool,
    limit: int,
) -> list[tuple[float, _Doc]]:
    """The ``limit`` best (confidence, article) pairs sharing terms with the query.

    ``corroborated``: when the message has two terms or more, an article must
    share two of them; one shared word ("account", "plan") is a coincidence
    more often than an answer.
    """
    query_terms = {t.term for t in query}
    if not index.docs or not query_terms or limit < 1:
        return []
    scores, shared, touched = _score(index, query_terms)
    needed = min(2, len(query_terms)) if corroborated else 1
    prior_categories, prior = INBOX_PRIOR.get(inbox_slug or "", (set(), 1.0))
    docs = index.docs

    def boosted(position: int) -> float:
        if docs[position].category_slug in prior_categories:
            return scores[position] * prior
        return scores[position]

    best = heapq.nsmallest(
        limit,
        (p for p in touched if shared[p] >= needed),
        key=lambda p: (-boosted(p), docs[p].article_id),
    )
    ceiling = _best_possible(index, query_terms)
    return [(min(boosted(p) / ceiling, 1.0), docs[p]) for p in best]


def confidences(text: str, *, inbox_slug: str | None = None) -> list[tuple[float, int]]:
    """(confidence, article id) of every candidate suggestion, best first, before
    the threshold; for tuning ``MIN_CONFIDENCE`` (``eval_suggestions --sweep``)."""
    index = _current_index()
    ranked = _ranked(index, tokenize(text), inbox_slug, corroborated=True, limit=len(index.docs))
    return [(confidence, doc.article_id) for confidence, doc in ranked]


def suggest_articles(
    text: str, *, inbox_slug: str | None = None, limit: int = 3
) -> list[Suggestion]:
    """The published articles that best answer ``text``, best first; empty when
    none matches well enough.

    ``score`` is the confidence in [0, 1]: the article's BM25F score over the
    best score the message could reach.
    """
    index = _current_index()
    query = tokenize(text)
    ranked = _ranked(index, query, inbox_slug, corroborated=True, limit=limit)
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
        suggestions.append(
            Suggestion(
                article=article, score=round(min(confidence, 1.0), 4), terms=terms, passage=passage
            )
        )
    return suggestions


def search_articles(query: str, *, limit: int = 10) -> list[Article]:
    """Published articles for the picker's search box, best first: ranked matches,
    then titles containing what was typed (so half a word finds something)."""
    query = query.strip()
    if not query:
        return []
    # Any shared word will do here: the agent is looking, not being told.
    ranked = _ranked(_current_index(), tokenize(query), None, corroborated=False, limit=limit)
    ids = [doc.article_id for _, doc in ranked]
    found = (
        Article.objects.published().select_related("published_revision", "category").in_bulk(ids)
    )
    articles = [found[i] for i in ids if i in found]
    if len(articles) < limit:
        articles += (
            Article.objects.published()
            .filter(title__icontains=query)
            .exclude(id__in=ids)
            .select_related("published_revision", "category")[: limit - len(articles)]
        )
    return articles
