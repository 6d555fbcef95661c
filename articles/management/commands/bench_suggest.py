import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleRevision, IssueCategory
from articles.suggest.evaluation import CaseFileError, read_cases
from articles.suggest.ranking import suggest_articles

DEV_SET = settings.BASE_DIR.parent / "shared" / "eval" / "suggest_dev.tsv"
# Used when the shared dev set is not beside the clone.
FALLBACK_QUERIES = [
    "I can't sign in to my account, the password reset mail never arrives",
    "upgraded to pro yesterday but the models are still locked",
    "my video generation failed with an error and I lost credits",
    "images take forever to generate today",
    "monthly credits did not refresh after my renewal date",
    "where can I find the pictures I generated last week",
    "please send me an invoice for my company",
]
# Words a support article uses; the rest of each synthetic article is drawn
# from a Zipf-shaped made-up vocabulary, so posting lists have realistic lengths.
_DOMAIN_TEXT = """
account login sign password email reset google browser cache cookies extension page
refresh plan pro upgrade billing subscription payment models locked unlock session
generation failed error prompt policy settings resolution aspect ratio server load slow
video image wait time minutes seconds status model quality credits renewal monthly free
daily gallery history profile deleted recover download share team invoice receipt refund
cancel discount api app mobile android iphone upload style
"""
DOMAIN_WORDS = _DOMAIN_TEXT.split()


class Command(BaseCommand):
    help = (
        "Time suggest_articles with N extra published articles (made inside a transaction "
        "that is rolled back, so the database is left as it was). Prints the median latency."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=2000, help="articles to add")
        parser.add_argument(
            "--queries", type=Path, default=None, help="TSV of messages (default: the dev set)"
        )
        parser.add_argument("--rounds", type=int, default=5, help="times each query runs")
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, articles: int, queries: Path | None, rounds: int, seed: int, **o):
        messages = self._messages(queries)
        with transaction.atomic():
            self._make_articles(articles, random.Random(seed))
            total = Article.objects.published().count()
            start = time.perf_counter()
            suggest_articles(messages[0])
            build_ms = (time.perf_counter() - start) * 1000
            latencies, cpu = [], []
            for _ in range(rounds):
                for message in messages:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    suggest_articles(message)
                    latencies.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
            rebuild_ms = self._time_one_publish(messages[0])
            transaction.set_rollback(True)
        latencies.sort()
        self.stdout.write(f"published articles: {total}")
        self.stdout.write(f"calls: {len(latencies)} ({len(messages)} messages x {rounds})")
        self.stdout.write(f"index build (first call in a process): {build_ms:.0f} ms")
        self.stdout.write(f"index rebuild after one publish: {rebuild_ms:.0f} ms")
        self.stdout.write(f"median latency: {statistics.median(latencies):.2f} ms")
        self.stdout.write(f"p90 latency: {latencies[int(0.9 * (len(latencies) - 1))]:.2f} ms")
        # On a busy machine wall time waits for the CPU; this process's own
        # CPU time per call (all of it with SQLite, Python only with PostgreSQL).
        self.stdout.write(f"median CPU time: {statistics.median(cpu):.2f} ms")

    def _time_one_publish(self, message: str) -> float:
        article = Article.objects.published().order_by("-id").first()
        revision = ArticleRevision.objects.create(
            article=article,
            number=article.published_revision.number + 1,
            title=article.title,
            body=article.body + "\n\nOne more sentence about credits.",
        )
        article.published_revision = article.current_revision = revision
        article.save(update_fields=["published_revision", "current_revision"])
        start = time.perf_counter()
        suggest_articles(message)
        return (time.perf_counter() - start) * 1000

    def _messages(self, path: Path | None) -> list[str]:
        if path is None and not DEV_SET.exists():
            return FALLBACK_QUERIES
        try:
            return [case.message for case in read_cases(path or DEV_SET)]
        except CaseFileError as error:
            raise CommandError(str(error)) from error

    def _make_articles(self, count: int, rng: random.Random) -> None:
        made_up = [
            "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
            for _ in range(5000)
        ]
        zipf = [1 / (rank + 1) for rank in range(len(made_up))]
        categories = list(IssueCategory.objects.all()) or [None]
        tag = f"bench-{timezone.now():%H%M%S}-{rng.randrange(10**6)}"

        def words(n: int) -> list[str]:
            domain = rng.choices(DOMAIN_WORDS, k=n // 3)
            return domain + rng.choices(made_up, weights=zipf, k=n - len(domain))

        def sentence() -> str:
            chosen = words(rng.randint(8, 20))
            rng.shuffle(chosen)
            return " ".join(chosen).capitalize() + "."

        now = timezone.now()
        new = Article.objects.bulk_create(
            Article(
                title=" ".join(words(rng.randint(4, 8))).capitalize(),
                slug=f"{tag}-{i}",
                category=rng.choice(categories),
                body="\n\n".join(sentence() for _ in range(rng.randint(8, 16))),
                status=Article.Status.PUBLISHED,
                created_at=now,
                updated_at=now,
            )
            for i in range(count)
        )
        revisions = ArticleRevision.objects.bulk_create(
            ArticleRevision(article=a, number=1, title=a.title, body=a.body) for a in new
        )
        for article, revision in zip(new, revisions, strict=True):
            article.current_revision = article.published_revision = revision
            article.published_at = now
        Article.objects.bulk_update(
            new, ["current_revision", "published_revision", "published_at"], batch_size=500
        )
