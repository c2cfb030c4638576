import json
import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from patterns import scoring
from patterns.models import Catalog
from patterns.scenarios import S2
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
        if pdf_runs > 0:
            self._record_pdf(catalog, pdf_runs)

    def _record_pdf(self, catalog, runs: int) -> None:
        """Render a demo-like decision record (seed_demo's approved review: S2, notes, decision,
        two risks, cost inputs, two sign-offs) `runs` times after the freeze has rendered it
        once (warm). Built in a transaction that is rolled back: no demo data needed."""
        from io import BytesIO

        from django.contrib.auth import get_user_model
        from django.db import transaction
        from pypdf import PdfReader

        from reviews import lifecycle
        from reviews.management.commands import seed_demo
        from reviews.models import DecisionRecord, Membership, Team
        from reviews.records.content import RecordContent
        from reviews.records.pdf import record_pdf

        password = "bench-only-password"  # noqa: S105 -- rolled back, never stored
        with transaction.atomic():
            team = Team.objects.create(name="デモ株式会社 情報システム部", slug="bench-record")
            users = {}
            for role, (username, first, last, team_role) in seed_demo.USERS.items():
                if team_role is None:
                    continue
                user = get_user_model()(
                    username=f"bench-{username}", first_name=first, last_name=last
                )
                user.set_password(password)
                user.save()
                Membership.objects.create(team=team, user=user, role=team_role)
                users[role] = user
            command = seed_demo.Command()
            review = command._answered(
                team,
                users,
                catalog,
                title="協力会社との見積・報告のやり取り",
                context="30社の協力会社と見積・作業報告をやり取りする。",
                answers=seed_demo.APPROVED_ANSWERS,
                notes=seed_demo.APPROVED_NOTES,
            )
            command._cost_inputs(review)
            lifecycle.decision_save(
                review=review,
                user=users["reviewer"],
                pattern="inter_org_access",
                justification="推奨どおり。",
                confirmation="導入3か月後にアクセス権を監査する。",
            )
            for description in ("設定ミスで協力会社同士に情報が見える。", "ライセンス費用。"):
                lifecycle.risk_add(
                    review=review,
                    user=users["reviewer"],
                    description=description,
                    owner_user=users["reviewer"],
                )
            approvers = [users["approver"], users["approver2"]]
            lifecycle.review_request_signoff(
                review=review, user=users["reviewer"], approvers=approvers, notify=False
            )
            for approver in approvers:  # the last signature renders the record once: warm
                lifecycle.review_sign(
                    review=review, user=approver, password=password, comment="OK", notify=False
                )
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
