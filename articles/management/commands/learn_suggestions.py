import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.suggest import learning
from articles.suggest.evaluation import (
    CaseFileError,
    learning_figures,
    read_cases,
    solved_from_cases,
)

HELP = """Teach the article suggestions from the product's outcomes.

Without options: learn from every solved ticket (by article: its words led to that
article; without one: to no article; a reopened resolution teaches nothing) and
every contact-form deflection, and replace the learned weights the suggestions
blend in (articles.suggest.learning). Run it nightly (cron), like report_days.

--evaluate: measure instead (nothing is written). The solved tickets are split by
time: learn from the earliest --train-share, then score the later ones with and
without what was learned. Prints one JSON line with train, test,
test_without_article, deflections, cut, weights, and base_/learned_ top1, top3,
answer_vs_none (defined as in eval_suggestions, with article ids). --cases FILE...
reads case files (eval_suggestions' format) as the solved tickets instead, the
first case the oldest.
"""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--evaluate", action="store_true", help="measure on a split by time")
        parser.add_argument("--train-share", type=float, default=0.7)
        parser.add_argument("--cases", type=Path, nargs="+", help="case files as solved tickets")

    def handle(self, *args, evaluate: bool, train_share: float, cases, **options):
        if not evaluate:
            if cases:
                raise CommandError("--cases goes with --evaluate")
            count = learning.refresh()
            self.stdout.write(f"{count} learned weight(s)")
            return
        if not 0 < train_share < 1:
            raise CommandError("--train-share is a fraction between 0 and 1")
        try:
            if cases:
                solved = solved_from_cases([c for path in cases for c in read_cases(path)])
                deflections = []
            else:
                solved = learning.solved_tickets()
                deflections = learning.deflection_outcomes()
            result = learning_figures(solved, train_share=train_share, deflections=deflections)
        except (CaseFileError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result))
