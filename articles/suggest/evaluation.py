"""Measuring the suggestions: the cases of a TSV file and the figures they give.

Used by ``manage.py eval_suggestions``, ``manage.py bench_suggest`` and
``manage.py learn_suggestions --evaluate`` (the learned ranking on a split by time).
"""

import csv
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from articles.models import Article
from articles.suggest import learning
from articles.suggest.ranking import confidences, suggest_articles

COLUMNS = ("expected_title", "inbox", "message")


class CaseFileError(ValueError):
    pass


@dataclass(frozen=True)
class Case:
    expected_title: str  # "" when no article should be suggested
    inbox: str
    message: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    titles: tuple[str, ...]
    latency_ms: float

    @property
    def top1(self) -> bool:
        if not self.case.expected_title:
            return not self.titles
        return self.titles[:1] == (self.case.expected_title,)

    @property
    def top3(self) -> bool:
        if not self.case.expected_title:
            return not self.titles
        return self.case.expected_title in self.titles[:3]

    @property
    def answer_vs_none(self) -> bool:
        return bool(self.case.expected_title) == bool(self.titles)


def read_cases(path: Path) -> list[Case]:
    """The cases of a tab-separated file with a header naming ``COLUMNS``."""
    try:
        with open(path, encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise CaseFileError(f"{path}: missing column(s) {', '.join(missing)}")
            cases = [
                Case(
                    expected_title=(row["expected_title"] or "").strip(),
                    inbox=(row["inbox"] or "").strip(),
                    message=(row["message"] or "").strip(),
                )
                for row in reader
                if (row["message"] or "").strip()
            ]
    except OSError as error:
        raise CaseFileError(f"{path}: {error.strerror or error}") from error
    if not cases:
        raise CaseFileError(f"{path}: no cases")
    return cases


def run_cases(cases: list[Case]) -> list[Outcome]:
    # One call first so the index is built before anything is timed: the
    # figure is the steady state an agent sees, not the first request.
    suggest_articles(cases[0].message, inbox_slug=cases[0].inbox or None)
    outcomes = []
    for case in cases:
        start = time.perf_counter()
        suggestions = suggest_articles(case.message, inbox_slug=case.inbox or None)
        elapsed = (time.perf_counter() - start) * 1000
        # The published title: an article whose edit waits for review has the
        # edit's title on the row.
        titles = tuple(s.article.published_revision.title for s in suggestions)
        outcomes.append(Outcome(case=case, titles=titles, latency_ms=elapsed))
    return outcomes


def figures(outcomes: list[Outcome]) -> dict[str, float | int]:
    n = len(outcomes)
    return {
        "top1": round(sum(o.top1 for o in outcomes) / n, 4),
        "top3": round(sum(o.top3 for o in outcomes) / n, 4),
        "answer_vs_none": round(sum(o.answer_vs_none for o in outcomes) / n, 4),
        "latency_p50_ms": round(statistics.median(o.latency_ms for o in outcomes), 3),
        "cases": n,
    }


def sweep(cases: list[Case], thresholds: list[float]) -> list[tuple[float, float, float]]:
    """(threshold, top1, answer_vs_none) had ``MIN_CONFIDENCE`` been each threshold."""
    titles = dict(Article.objects.published().values_list("id", "published_revision__title"))
    tops = []
    for case in cases:
        ranked = confidences(case.message, inbox_slug=case.inbox or None)
        tops.append((case.expected_title, *(ranked[0] if ranked else (0.0, None))))
    rows = []
    for threshold in thresholds:
        top1 = answered = 0
        for expected, confidence, article_id in tops:
            shown = confidence >= threshold
            answered += shown == bool(expected)
            top1 += (shown and titles.get(article_id) == expected) if expected else not shown
        rows.append((threshold, top1 / len(tops), answered / len(tops)))
    return rows


# --- the learned ranking, on a split of solved tickets by time ---------------------

Solved = tuple[datetime, str, int | None, str]  # (at, text, article id or None, inbox)


def solved_from_cases(cases: list[Case]) -> list[Solved]:
    """Case files read as solved tickets, one a minute in file order (the first
    case is the oldest): a blank title was solved without an article."""
    ids = dict(Article.objects.published().values_list("published_revision__title", "id"))
    start = datetime(2026, 1, 1)
    return [
        (start + timedelta(minutes=n), case.message, ids.get(case.expected_title), case.inbox)
        for n, case in enumerate(cases)
        if not case.expected_title or case.expected_title in ids
    ]


def _scores(tests: list[Solved], learned: learning.Learned) -> dict[str, float]:
    top1 = top3 = answered = 0
    for _, text, article_id, inbox in tests:
        shown = [s.article.pk for s in suggest_articles(text, inbox_slug=inbox or None,
                                                        learned=learned)]  # fmt: skip
        if article_id is None:
            top1 += not shown
            top3 += not shown
        else:
            top1 += shown[:1] == [article_id]
            top3 += article_id in shown[:3]
        answered += bool(shown) == (article_id is not None)
    n = len(tests) or 1
    return {"top1": round(top1 / n, 4), "top3": round(top3 / n, 4),
            "answer_vs_none": round(answered / n, 4)}  # fmt: skip


def learning_figures(
    solved: list[Solved], *, train_share: float, deflections: list[learning.Outcome] = ()
) -> dict[str, float | int | str]:
    """Learn from the earliest ``train_share`` of ``solved`` (and the deflections
    before the cut), then score the later ones with and without what was learned."""
    ordered = sorted(solved, key=lambda row: row[0])
    cut = int(len(ordered) * train_share)
    train, tests = ordered[:cut], ordered[cut:]
    if not train or not tests:
        raise ValueError(f"{len(ordered)} solved ticket(s): too few to split")
    cut_at = tests[0][0]
    lessons = [learning.Outcome.of_text(at, text, a, inbox=i) for at, text, a, i in train]
    lessons += [d for d in deflections if d.at < cut_at]
    learned = learning.learn(lessons)
    base, with_learning = _scores(tests, learning.EMPTY), _scores(tests, learned)
    return {
        "train": len(train),
        "test": len(tests),
        "test_without_article": sum(1 for row in tests if row[2] is None),
        "deflections": sum(1 for d in deflections if d.at < cut_at),
        "cut": cut_at.isoformat(),
        "weights": sum(len(labels) for labels in learned.weights.values()),
        **{f"base_{key}": value for key, value in base.items()},
        **{f"learned_{key}": value for key, value in with_learning.items()},
    }
