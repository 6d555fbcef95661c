"""The in-process search index of the published revisions, for ``articles.suggest.ranking``.

BM25 with title and body as two fields whose scores add up, the title
``TITLE_WEIGHT`` times the body, so a title hit is not lost in the saturation
of a long body. Contributions (idf included) are computed once per build.

``current_index()`` costs one aggregate query per call (which also tells
``articles.suggest.learning`` whether its learned weights changed) and rebuilds when the
published set changed (an article published, archived, re-categorised, or a
new revision published). Revisions are immutable, so what was read out of one
is kept by revision id and a rebuild only reads the revisions it has not seen.
"""

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass

from django.db import connections

from articles.models import LIVE_STATUSES, Article, ArticleRevision, LearnedTerm
from articles.suggest import learning
from articles.suggest.terms import Token, tokenize

# BM25's usual constants; titles are short, so their length matters less.
K1 = 1.2
TITLE_WEIGHT = 3.0
B_TITLE = 0.3
B_BODY = 0.75
# A word no published article uses weighs like a word one article uses, times
# this: unknown words say the message may be about something else, but a
# chatty message should not drown its one precise word.
UNKNOWN_WEIGHT = 0.5

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`#>|]+|^\s*(?:[-*+]|\d+\.)\s+", re.M)


@dataclass(frozen=True)
class Reading:
    """What the index needs from one revision."""

    title_tokens: tuple[Token, ...]
    # Plain-text sentences of the body with their terms, for the passage.
    sentences: tuple[tuple[str, frozenset[str]], ...]
    title_tf: Counter
    body_tf: Counter
    body_len: int


@dataclass(frozen=True)
class Doc:
    article_id: int
    category_slug: str
    reading: Reading
    # On the public help center page: the canonical answer to its problem.
    on_help_center: bool = False


@dataclass(frozen=True)
class Index:
    key: tuple
    docs: tuple[Doc, ...]
    # term -> [(doc position, BM25 contribution with idf)]
    postings: dict[str, list[tuple[int, float]]]
    idf: dict[str, float]
    unknown_idf: float

    def query_weight(self, term: str) -> float:
        return self.idf.get(term, self.unknown_idf)


def sentences(body: str) -> list[str]:
    plain = _MARKUP.sub(lambda m: m.group(1) or "", body)
    return [s.strip(" \t-—") for s in _SENTENCE_END.split(plain) if len(s.strip()) > 2]


def read_revision(title: str, body: str) -> Reading:
    title_tokens = tuple(tokenize(title))
    body_terms: list[str] = []
    parts = []
    for sentence in sentences(body):
        sentence_terms = [t.term for t in tokenize(sentence)]
        body_terms += sentence_terms
        parts.append((sentence, frozenset(sentence_terms)))
    return Reading(
        title_tokens=title_tokens,
        sentences=tuple(parts),
        title_tf=Counter(t.term for t in title_tokens),
        body_tf=Counter(body_terms),
        body_len=len(body_terms),
    )


def saturate(tf: float) -> float:
    return tf * (K1 + 1) / (tf + K1)


def _idf(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


_index: Index | None = None
_readings: dict[int, Reading] = {}
_lock = threading.Lock()


def _build(key: tuple) -> Index:
    rows = list(
        Article.objects.published()
        .order_by("id")
        .values_list("id", "published_revision_id", "category__slug", "page_id")
    )
    unread = [revision_id for _, revision_id, _, _ in rows if revision_id not in _readings]
    for revision_id, title, body in ArticleRevision.objects.filter(id__in=unread).values_list(
        "id", "title", "body"
    ):
        _readings[revision_id] = read_revision(title, body)
    live = {revision_id for _, revision_id, _, _ in rows}
    for revision_id in _readings.keys() - live:
        del _readings[revision_id]  # unpublished: a new reading is cheap if it comes back
    docs = tuple(
        Doc(a, slug or "", _readings[r], on_help_center=page is not None)
        for a, r, slug, page in rows
    )

    n = len(docs)
    avg_title = sum(len(d.reading.title_tokens) for d in docs) / n if n else 1.0
    avg_body = sum(d.reading.body_len for d in docs) / n if n else 1.0
    df: Counter = Counter()
    for doc in docs:
        df.update(doc.reading.title_tf.keys() | doc.reading.body_tf.keys())
    idf = {term: _idf(n, count) for term, count in df.items()}
    postings: dict[str, list[tuple[int, float]]] = {}
    for position, doc in enumerate(docs):
        reading = doc.reading
        title_norm = 1 - B_TITLE + B_TITLE * len(reading.title_tokens) / (avg_title or 1)
        body_norm = 1 - B_BODY + B_BODY * reading.body_len / (avg_body or 1)
        for term in reading.title_tf.keys() | reading.body_tf.keys():
            weight = saturate(reading.body_tf[term] / body_norm) + TITLE_WEIGHT * saturate(
                reading.title_tf[term] / title_norm
            )
            postings.setdefault(term, []).append((position, idf[term] * weight))
    return Index(
        key=key,
        docs=docs,
        postings=postings,
        idf=idf,
        unknown_idf=UNKNOWN_WEIGHT * _idf(max(n, 1), 1),
    )


def _key_sql() -> str:
    # Every page with suggestions asks this: written out, as building the ORM's
    # aggregate cost 1.5 ms, ten times what the database takes to answer it.
    placeholders = ", ".join(["%s"] * len(LIVE_STATUSES))
    return (
        "SELECT count(*), max(published_revision_id), sum(published_revision_id),"
        " sum(category_id), sum(page_id),"
        # The learned weights' version, read in the same query (learning.sync).
        f" (SELECT max(id) FROM {LearnedTerm._meta.db_table})"
        f" FROM {Article._meta.db_table}"
        f" WHERE status IN ({placeholders}) AND published_revision_id IS NOT NULL"
    )


def current_index() -> Index:
    """The index of the published revisions as they are now (one aggregate query:
    the published articles of ``Article.objects.published()``)."""
    global _index
    with connections[Article.objects.db].cursor() as cursor:
        cursor.execute(_key_sql(), list(LIVE_STATUSES))
        *key, learned_version = cursor.fetchone()
    key = tuple(key)
    learning.sync(learned_version)
    index = _index
    if index is None or index.key != key:
        with _lock:
            if _index is None or _index.key != key:
                _index = _build(key)
            index = _index
    return index
