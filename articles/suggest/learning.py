"""What the product's own outcomes teach the suggestions (issue 14).

Every ticket solved *by an article* says "these words led to this article"; every
ticket solved *without one* (a content gap, or nothing to answer) says "these
words led to no article"; every deflection (a customer who read an article beside
the contact form and said it solved their problem) says the same as a solved
ticket, with what they typed (kept as its terms only) and half the weight (one
click, anonymous, rate-limited).

From those outcomes each term gets a weight per label (an article, or ``NONE``):
the log of how much more often the term's outcomes had that label than all
outcomes did (P(label | term) over P(label), smoothed towards the prior by
``SMOOTHING`` outcomes), kept when at least ``MIN_SUPPORT`` outcomes back it and
it pulls at all. A message's *pull* towards a label is the sum of its terms'
weights, and its *lean* towards the label is the label's prior times e^pull,
over the same for every label (naive Bayes with these weights): a share in [0, 1].
The ranking (``articles.suggest.ranking``) blends it with BM25:

- the candidates are ordered by their score times ``1 + LEARNED_WEIGHT * lean``:
  at most ``1 + LEARNED_WEIGHT``, a nudge between candidates, never a suggestion
  of its own (an article must still share the message's words, and its
  confidence, which decides whether it is shown, is not raised);
- when the message has words that led to no article and leans towards "no
  article" by a majority (``NONE_MAJORITY``), the article's confidence is
  multiplied by (lean to the article / lean to none) ^ ``NONE_WEIGHT``: words
  like *invoice* or *refund* that agents kept solving without an article make a
  weak match drop under the threshold.

The constants: docs/benchmarks.md, "Learning from outcomes" (chosen on a tuning
split of our own cases, never on the dev set).

Both are explainable: a suggestion lists the words that pulled it
(``Suggestion.learned``), and the table is rows of (term, article, weight).

The tickets app provides its outcomes through ``register`` (articles never
imports tickets); ``manage.py learn_suggestions`` rewrites the ``LearnedTerm``
table from them, and ``--evaluate`` measures the learning on a split by time.
"""

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from articles.models import ArticleFeedback, LearnedTerm
from articles.suggest.terms import tokenize

NONE = 0  # the label of "no article answered it" (article ids start at 1)
MIN_SUPPORT = 2.0  # outcomes (deflections count DEFLECTION_WEIGHT) behind a weight
SMOOTHING = 2.0  # pseudo-outcomes at the prior: one outcome alone moves little
MIN_WEIGHT = 0.1  # weaker pulls are not kept
DEFLECTION_WEIGHT = 0.5
LEARNED_WEIGHT = 0.5  # the most a learned lean multiplies a candidate's order by, minus 1
NONE_WEIGHT = 1.0  # how hard a lean to "no article" lowers a confidence
NONE_MAJORITY = 0.5  # ... and only from this lean up
# Only the start of a very long text is read (as ``ranking.MAX_TEXT``).
MAX_TEXT = 10_000
TERMS_KEPT = 1000  # characters of a deflection's terms
TERM = re.compile(r"[a-z0-9][a-z0-9']{0,39}")


@dataclass(frozen=True)
class Outcome:
    """One solved ticket or deflection: its terms and the article (None: no article)."""

    at: datetime
    terms: frozenset[str]
    article_id: int | None
    weight: float = 1.0
    inbox: str = ""

    @classmethod
    def of_text(
        cls, at: datetime, text: str, article_id: int | None, *, inbox: str = ""
    ) -> "Outcome":
        return cls(at=at, terms=frozenset(message_terms(text)), article_id=article_id, inbox=inbox)


@dataclass(frozen=True)
class Learned:
    """term -> {label: weight}, and each label's share of the outcomes (its prior);
    empty when nothing was learned."""

    weights: dict[str, dict[int, float]] = field(default_factory=dict)
    priors: dict[int, float] = field(default_factory=dict)

    def pulls(self, terms: Iterable[str]) -> dict[int, float]:
        total: dict[int, float] = defaultdict(float)
        for term in terms:
            for label, weight in self.weights.get(term, {}).items():
                total[label] += weight
        return total

    def leans(self, pulls: dict[int, float]) -> tuple[dict[int, float], float]:
        """Each label's share: prior x e^pull, normalised over all labels; and the
        share of an article no outcome named yet (a new one: an average prior)."""
        top = max(pulls.values(), default=0.0)
        odds = {label: prior * math.exp(pulls.get(label, 0.0) - top)
                for label, prior in self.priors.items()}  # fmt: skip
        total = sum(odds.values()) or 1.0
        articles = [prior for label, prior in self.priors.items() if label != NONE]
        unseen = sum(articles) / len(articles) * math.exp(-top) if articles else 0.0
        return {label: value / total for label, value in odds.items()}, unseen / total

    def pulling(self, terms: Iterable[str], label: int) -> tuple[str, ...]:
        """The terms that pull towards ``label``, strongest first (the explanation)."""
        found = {t: self.weights[t][label] for t in terms if label in self.weights.get(t, {})}
        return tuple(sorted(found, key=lambda t: -found[t]))


EMPTY = Learned()


def message_terms(text: str) -> list[str]:
    """The terms learned from: the ranking's own (its first ``MAX_TEXT`` characters)."""
    return list(dict.fromkeys(t.term for t in tokenize(text[:MAX_TEXT])))


def boost(lean: float) -> float:
    return 1 + LEARNED_WEIGHT * lean


def damping(lean_none: float, lean_article: float) -> float:
    # Only a message that more likely than not ends without an article: where the
    # outcomes are mixed (the same words, either way), the engine is left alone.
    if lean_none < NONE_MAJORITY or lean_none <= lean_article:
        return 1.0
    return (lean_article / lean_none) ** NONE_WEIGHT


def learn(outcomes: Iterable[Outcome]) -> Learned:
    """The term weights of ``outcomes`` (see the module's docstring)."""
    label_count: Counter = Counter()
    term_count: Counter = Counter()
    pair_count: Counter = Counter()
    total = 0.0
    for outcome in outcomes:
        label = outcome.article_id or NONE
        total += outcome.weight
        label_count[label] += outcome.weight
        for term in outcome.terms:
            term_count[term] += outcome.weight
            pair_count[term, label] += outcome.weight
    weights: dict[str, dict[int, float]] = defaultdict(dict)
    for (term, label), count in pair_count.items():
        if count < MIN_SUPPORT:
            continue
        prior = label_count[label] / total
        smoothed = (count + SMOOTHING * prior) / (term_count[term] + SMOOTHING)
        weight = math.log(smoothed / prior)
        if weight >= MIN_WEIGHT:
            weights[term][label] = round(weight, 4)
    priors = {label: round(count / total, 6) for label, count in label_count.items()}
    return Learned(weights=dict(weights), priors=priors)


# --- where outcomes come from ---------------------------------------------------------

TicketOutcomes = Callable[[], Iterable[tuple[datetime, str, int | None, str]]]
_ticket_outcomes: TicketOutcomes | None = None


def register(provider: TicketOutcomes) -> None:
    """The tickets app's solved tickets as (solved at, subject and the customer's
    words, the article that solved it or None, inbox slug), oldest first."""
    global _ticket_outcomes
    _ticket_outcomes = provider


def solved_tickets() -> list[tuple[datetime, str, int | None, str]]:
    """The registered provider's rows (see ``register``); none without one."""
    return list(_ticket_outcomes()) if _ticket_outcomes is not None else []


def ticket_outcomes() -> list[Outcome]:
    return [
        Outcome.of_text(at, text, article_id, inbox=inbox)
        for at, text, article_id, inbox in solved_tickets()
    ]


def deflection_outcomes() -> list[Outcome]:
    rows = (
        ArticleFeedback.objects.filter(source=ArticleFeedback.Source.CONTACT, helpful=True)
        .exclude(terms="")
        .order_by("created_at", "id")
        .values_list("created_at", "terms", "article_id")
    )
    return [
        Outcome(at=at, terms=frozenset(terms.split()), article_id=article_id,
                weight=DEFLECTION_WEIGHT)
        for at, terms, article_id in rows
    ]  # fmt: skip


def deflection_terms(text: str) -> str:
    """What a deflection keeps of the customer's text: its distinct terms (stems,
    no sentence, no address or link), for learning."""
    return clean_terms(" ".join(message_terms(text)))


def clean_terms(value: str) -> str:
    """Terms as a browser sent them back: words of letters and digits only, each
    once, at most ``TERMS_KEPT`` characters (the field is the customer's to forge,
    so a deflection weighs half a ticket and its rate is limited)."""
    words = [w for w in value.lower().split() if TERM.fullmatch(w)]
    kept = " ".join(dict.fromkeys(words))
    return kept if len(kept) <= TERMS_KEPT else kept[:TERMS_KEPT].rsplit(" ", 1)[0]


# --- the stored weights ------------------------------------------------------------


@transaction.atomic
def refresh() -> int:
    """Learn from every outcome and replace the table; the number of weights."""
    learned = learn(ticket_outcomes() + deflection_outcomes())
    LearnedTerm.objects.all().delete()
    rows = [
        LearnedTerm(term=term[:64], article_id=label or None, weight=weight)
        for term, labels in learned.weights.items()
        for label, weight in labels.items()
    ]
    # The priors are rows without a term.
    rows += [LearnedTerm(term="", article_id=label or None, weight=prior)
             for label, prior in learned.priors.items()]  # fmt: skip
    LearnedTerm.objects.bulk_create(rows, batch_size=2000)
    return sum(len(labels) for labels in learned.weights.values())


# (the table's version, its weights): ``current_index`` reads the version with the
# index's own key (no query of its own) and calls ``sync``.
_loaded: tuple[int | None, Learned] | None = None
_lock = threading.Lock()


def sync(version: int | None) -> None:
    """Read the table again if it changed (its highest id is ``version``)."""
    global _loaded
    if _loaded is not None and _loaded[0] == version:
        return
    with _lock:
        if _loaded is not None and _loaded[0] == version:
            return
        weights: dict[str, dict[int, float]] = defaultdict(dict)
        priors: dict[int, float] = {}
        rows = LearnedTerm.objects.values_list("term", "article_id", "weight")
        for term, article_id, weight in rows.iterator():
            if term:
                weights[term][article_id or NONE] = weight
            else:
                priors[article_id or NONE] = weight
        _loaded = (version, Learned(weights=dict(weights), priors=priors))


def current() -> Learned:
    """The stored weights as of the last ``current_index()`` call."""
    loaded = _loaded
    return loaded[1] if loaded is not None else EMPTY
