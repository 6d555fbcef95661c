import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.suggest.evaluation import CaseFileError, figures, read_cases, run_cases
from articles.suggest.evaluation import sweep as sweep_thresholds
from articles.suggest.ranking import MIN_CONFIDENCE

THRESHOLDS = [step / 100 for step in range(0, 31)]

HELP = """Measure the article suggestions against the current database.

FILE is tab-separated with a header and the columns expected_title, inbox,
message. A blank expected_title means no article should be suggested. Each
message goes through articles.suggest.ranking.suggest_articles(message, inbox_slug=inbox)
exactly as the ticket page calls it. Prints top-1 accuracy, top-3 accuracy,
answer-versus-none accuracy and median latency, one per line, then one JSON
line with the keys top1, top3, answer_vs_none, latency_p50_ms, cases:

  top1: share of cases where the first suggestion's title equals
        expected_title; a blank-title case counts when there is no suggestion.
  top3: share of cases where expected_title is among the first three
        suggestions; a blank-title case counts when there is no suggestion.
  answer_vs_none: share of cases where "some suggestion" agrees with
        "expected_title is not blank" (whichever article it is).
  latency_p50_ms: median wall time of one suggest_articles call, in
        milliseconds, including its database queries; the index is built by
        one untimed call before the cases run.
  cases: the number of cases (rows with a message).
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="TSV with expected_title, inbox, message")
        parser.add_argument(
            "--sweep",
            action="store_true",
            help="instead: top-1 and answer-versus-none for thresholds 0.00-0.30, as used "
            "to tune articles.suggest.ranking.MIN_CONFIDENCE",
        )
        parser.add_argument(
            "--misses",
            action="store_true",
            help="also list the cases that missed top-1 (on stderr)",
        )

    def handle(self, *args, file: Path, misses: bool, sweep: bool, **options):
        try:
            cases = read_cases(file)
        except CaseFileError as error:
            raise CommandError(str(error)) from error
        published = set(
            Article.objects.published().values_list("published_revision__title", flat=True)
        )
        unknown = sorted({c.expected_title for c in cases} - published - {""})
        for title in unknown:
            self.stderr.write(f"warning: no published article titled {title!r}")
        if sweep:
            self.stdout.write(f"threshold  top1   answer_vs_none   (now {MIN_CONFIDENCE})")
            for threshold, top1, answered in sweep_thresholds(cases, THRESHOLDS):
                self.stdout.write(f"{threshold:9.2f}  {top1:.3f}  {answered:.3f}")
            return
        outcomes = run_cases(cases)
        result = figures(outcomes)
        if misses:
            for outcome in outcomes:
                if not outcome.top1:
                    expected = outcome.case.expected_title or "(none)"
                    got = " | ".join(outcome.titles) or "(none)"
                    self.stderr.write(
                        f"miss: {outcome.case.message!r}\n  want {expected}\n  got  {got}"
                    )
        self.stdout.write(f"top-1 accuracy: {result['top1']:.3f}")
        self.stdout.write(f"top-3 accuracy: {result['top3']:.3f}")
        self.stdout.write(f"answer-versus-none accuracy: {result['answer_vs_none']:.3f}")
        self.stdout.write(f"median latency: {result['latency_p50_ms']:.2f} ms")
        self.stdout.write(json.dumps(result))
