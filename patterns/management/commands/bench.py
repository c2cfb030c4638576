import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from patterns import scoring
from patterns.models import Catalog
from patterns.services import compiled_catalog

SLUG = "kintone-external-collaboration"


def _median_ms(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


class Command(BaseCommand):
    help = "Print measured figures (median and worst of N runs); a measurement, not a test."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=50)

    def handle(self, *args, runs, **options):
        catalog = Catalog.objects.latest_published(SLUG)
        if catalog is None:
            raise CommandError(f"import {SLUG} first (make setup)", returncode=2)
        compiled = compiled_catalog(catalog)
        full = {q: choices[-1] for q, choices in compiled.questions.items()}
        s2 = {
            "partner_count": "many",
            "partner_isolation": "required",
            "external_user_count": "medium",
            "internal_app_linkage": "required",
            "group_based_admin": "required",
            "data_outside_kintone": "not_allowed",
            "internal_use_same_env": "no",
        }
        self.stdout.write(f"scoring engine, {runs} runs each (ms: median / worst)")
        for name, answers in [("S2 (7 answers)", s2), ("all 14 questions", full)]:
            med, worst = _median_ms(lambda a=answers: scoring.rank(compiled, a), runs)
            self.stdout.write(f"  rank + sensitivity, {name}: {med:.2f} / {worst:.2f}")
