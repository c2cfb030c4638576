"""`make bench`: the whole measurement on a fresh database, written to docs/benchmarks.md."""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench.data import grow, seed
from bench.endpoints import endpoints, query_counts, session_cookies
from bench.load import Gunicorn, run_wrk, wait_idle, wrk_script
from bench.report import Run, render
from reviews.models import Review

NOTES = Path(__file__).resolve().parents[2] / "NOTES.md"
FLOOR = "/bench/ok"


class Command(BaseCommand):
    help = (
        "Measure every endpoint of issue 11 against the floor view (gunicorn, 2 sync workers; "
        "wrk, 10 and 50 users), the queries at two sizes, the engine and the PDF; write the "
        "report. Needs an empty database (make bench gives it a throwaway PostgreSQL) and the "
        "bench settings (config.settings.bench). A measurement, not a test."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reviews", type=int, default=100_000)
        parser.add_argument("--small", type=int, default=1_000, help="the first query count")
        parser.add_argument("--teams", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=5, help="per wrk measurement")
        parser.add_argument("--users", default="10,50", help="wrk connections, comma-separated")
        parser.add_argument("--output", default="docs/benchmarks.md")
        parser.add_argument("--engine-runs", type=int, default=50)
        parser.add_argument("--pdf-runs", type=int, default=5)

    def handle(self, *args, **options):
        if os.environ.get("DJANGO_SETTINGS_MODULE") != "config.settings.bench":
            raise CommandError(
                "run with DJANGO_SETTINGS_MODULE=config.settings.bench", returncode=2
            )
        call_command("migrate", verbosity=0)
        if Review.objects.exists():
            raise CommandError(
                "the database has reviews: bench_report needs an empty one", returncode=2
            )
        load_before = os.getloadavg()[0]
        data = seed(options["teams"])
        grow(data, options["small"])
        query_counts(data)  # the first save creates the answer; the ones counted update it
        queries = {options["small"]: query_counts(data)}
        insert_s = grow(data, options["reviews"])
        queries[options["reviews"]] = query_counts(data)
        self.stdout.write(f"{options['reviews']:,} reviews in {insert_s:.1f} s; queries {queries}")
        runs = self._load(data, [int(u) for u in options["users"].split(",")], options["seconds"])
        engine = io.StringIO()
        call_command(
            "bench", runs=options["engine_runs"], pdf_runs=options["pdf_runs"], stdout=engine
        )
        info = {
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": f"{os.cpu_count()} cores",
            "seconds": options["seconds"],
            "reviews": options["reviews"],
            "teams": options["teams"],
            "insert_s": insert_s,
            "visible": Review.objects.visible_to(data.user).count(),
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
        }
        report = render(info, runs, queries, engine.getvalue())
        if NOTES.exists():
            report += "\n" + NOTES.read_text(encoding="utf-8")
        Path(options["output"]).write_text(report, encoding="utf-8")
        self.stdout.write(report)

    def _load(self, data, user_counts: list[int], seconds: int) -> list[Run]:
        from bench.load import Endpoint

        session, csrf = session_cookies(data)
        connection.close()  # the workers open their own
        floor = wrk_script(Endpoint("floor", [FLOOR]), session, csrf)
        runs = []
        with Gunicorn() as server:
            for endpoint in endpoints(data):
                script = wrk_script(endpoint, session, csrf)
                run_wrk(server.base, script, 4, 1)  # warm both workers
                for users in user_counts:
                    wait_idle(server.base)
                    floor_result = run_wrk(server.base, floor, users, seconds)
                    wait_idle(server.base)
                    result = run_wrk(server.base, script, users, seconds)
                    runs.append(Run(endpoint, users, floor_result, result))
                    self.stdout.write(
                        f"{endpoint.name:24} {users:3} users: {result.requests_per_s:7.1f} req/s "
                        f"(floor {floor_result.requests_per_s:7.1f}), p95 {result.p95_ms:.0f} ms, "
                        f"errors {result.errors}"
                    )
        return runs
