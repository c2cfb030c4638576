import json
import statistics
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

from patterns.services import catalog_import
from reviews.models import Membership, Review, Team

CATALOG = "fixtures/catalogs/kintone-external-collaboration.json"


class Command(BaseCommand):
    help = (
        "Measure the dashboard with many reviews, in a throwaway test database (the real "
        "database is not touched). Prints median and worst times; a measurement, not a test."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reviews", type=int, default=100_000)
        parser.add_argument("--teams", type=int, default=50)
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, reviews, teams, runs, **options):
        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            self._run(reviews, teams, runs)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, count: int, team_count: int, runs: int) -> None:
        with open(CATALOG, encoding="utf-8") as fh:
            catalog, _ = catalog_import(json.load(fh))
        users = get_user_model().objects
        member = users.create_user("bench-member", password="x")  # noqa: S106
        staff = users.create_user("bench-staff", password="x", is_staff=True)  # noqa: S106
        teams = Team.objects.bulk_create(
            Team(name=f"Team {i}", slug=f"team-{i}") for i in range(team_count)
        )
        Membership.objects.create(team=teams[0], user=member, role=Membership.Role.REVIEWER)
        started = time.perf_counter()
        statuses = Review.Status.values
        batch = []
        for i in range(count):
            batch.append(
                Review(
                    team=teams[i % team_count],
                    owner=member,
                    catalog=catalog,
                    title=f"Review {i} {'portal' if i % 97 == 0 else 'exchange'}",
                    status=statuses[i % len(statuses)],
                )
            )
            if len(batch) == 5000:
                Review.objects.bulk_create(batch)
                batch = []
        Review.objects.bulk_create(batch)
        self.stdout.write(
            f"dashboard with {count:,} reviews in {team_count} teams "
            f"(inserted in {time.perf_counter() - started:.1f} s, {connection.vendor}); "
            f"ms median / worst of {runs}"
        )
        cases: list[tuple[str, Any, dict[str, Any]]] = [
            ("member, first page", member, {}),
            ("member, status=approved", member, {"status": "approved"}),
            ("member, search 'portal'", member, {"q": "portal"}),
            ("member, page 50", member, {"page": 50}),
            ("staff (all reviews), first page", staff, {}),
        ]
        for label, user, query in cases:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            client.get("/", query)  # warm
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                response = client.get("/", query)
                times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
            self.stdout.write(f"  {label:34} {statistics.median(times):7.1f} / {max(times):7.1f}")
