import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from patterns import evaluation, scoring
from patterns.kinds.kintone.scenarios import S1, S2, S3, S4
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
        parser.add_argument(
            "--pdf-runs", type=int, default=5, help="renders of the decision record PDF (0: skip)"
        )

    def handle(self, *args, runs, pdf_runs, **options):
        catalog = Catalog.objects.latest_published(SLUG)
        if catalog is None:
            raise CommandError(f"import {SLUG} first (make setup)", returncode=2)
        compiled = compiled_catalog(catalog)
        full = {q: choices[-1] for q, choices in compiled.questions.items()}
        self.stdout.write(f"scoring engine, {runs} runs each (ms: median / worst)")
        for name, answers in [("S2 (7 answers)", S2), ("all 14 questions", full)]:
            med, worst = _median_ms(lambda a=answers: scoring.rank(compiled, a), runs)
            self.stdout.write(f"  rank + sensitivity, {name}: {med:.2f} / {worst:.2f}")
        self._engine_cold(catalog.version, compiled, [S1, S2, S3, S4, full], runs)
        if pdf_runs > 0:
            self._record_pdf(catalog, pdf_runs)

    def _engine_cold(self, version: str, compiled, answer_sets: list[dict], runs: int) -> None:
        """The demo answer sets (S1-S4, every question) with the engine's memos emptied before
        each run: what a first look at an answer set costs."""
        index = evaluation.index_of(compiled)
        times = []
        for _ in range(runs):
            for answers in answer_sets:
                index.memo.clear()
                index.flips.clear()
                started = time.perf_counter()
                scoring.rank(compiled, answers)
                times.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"  rank + sensitivity, catalog {version}, S1-S4 and all 14, memos emptied: "
            f"{statistics.median(times):.2f} / {max(times):.2f}"
        )

    def _record_pdf(self, catalog, runs: int) -> None:
        """Render a demo-like decision record (seed_demo's approved review: S2, notes, decision,
        two risks, cost inputs, two sign-offs; shorter texts) `runs` times after the freeze has
        rendered it once (warm). Built in a transaction that is rolled back: no demo data
        needed."""
        from io import BytesIO

        from django.db import transaction
        from pypdf import PdfReader

        from reviews.models import DecisionRecord
        from reviews.records.content import RecordContent
        from reviews.records.pdf import record_pdf

        story = _bench_story(catalog)
        with transaction.atomic():
            review = _signed_review(catalog, story)  # the last signature renders once: warm
            record = DecisionRecord.objects.get(review=review)
            content = RecordContent.from_json(json.loads(record.canonical_json))
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                pdf = record_pdf(review, draft=False, content=content, sha256=record.sha256)
                times.append((time.perf_counter() - started) * 1000)
            pages = len(PdfReader(BytesIO(pdf)).pages)
            transaction.set_rollback(True)
        self.stdout.write(
            f"decision record PDF, demo-like ({pages} pages A4, Japanese), {runs} warm renders "
            f"(ms: median / worst): {statistics.median(times):.0f} / {max(times):.0f}; "
            f"{len(pdf):,} bytes"
        )


def _bench_story(catalog):
    """The demo story's approved review with shorter texts; CommandError without a decision."""
    import dataclasses

    from patterns.kinds import for_catalog
    from patterns.kinds.base import DemoRisk

    story = for_catalog(catalog).demo.approved
    if story.decision is None:
        raise CommandError("the demo story's approved review has no decision", returncode=2)
    return dataclasses.replace(
        story,
        context="30社の協力会社と見積・作業報告をやり取りする。",
        decision=dataclasses.replace(
            story.decision,
            justification="推奨どおり。",
            confirmation="導入3か月後にアクセス権を監査する。",
        ),
        risks=(
            DemoRisk(description="設定ミスで協力会社同士に情報が見える。"),
            DemoRisk(description="ライセンス費用。"),
        ),
        sign_comments=("OK", "OK"),
    )


def _signed_review(catalog, story):
    """`story` told by the demo's builders for a team of its own: answered, decided, signed."""
    from reviews import demo

    password = "bench-only-password"  # noqa: S105 -- rolled back, never stored
    team = demo.demo_team(slug="bench-record")
    users = demo.demo_users(team=team, password=password, prefix="bench-")
    return demo.demo_review_through_signoff(
        team=team, users=users, catalog=catalog, story=story, password=password
    )
