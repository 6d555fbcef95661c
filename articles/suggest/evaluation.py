"""Measuring the suggestions: the cases of a TSV file and the figures they give.

Used by ``manage.py eval_suggestions`` and ``manage.py bench_suggest``.
"""

import csv
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from articles.models import Article
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
