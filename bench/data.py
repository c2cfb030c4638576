"""The benchmark's data: the demo team (its reviews in every state, one signed off with its
stored PDF) and many more reviews spread over other teams, inserted in bulk."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from patterns.models import Catalog
from patterns.services import catalog_import
from reviews.demo import demo_seed
from reviews.models import Membership, Review, Team

CATALOG_FILE = "fixtures/catalogs/kintone-external-collaboration.json"
SLUG = "kintone-external-collaboration"
BATCH = 5000
UNUSABLE = "!"  # an unusable password hash: nobody signs in as them
SEARCH_WORD = "portal"  # in one title of 97: what `?q=` looks for


@dataclass
class BenchData:
    catalog: Catalog
    user: Any  # the demo reviewer: a member of the demo team
    draft: Review  # answered by the htmx saves
    approved: Review  # with its stored PDF
    teams: list[Team]
    owners: list[Any]  # per team, who owns its bulk reviews (a colleague, not `user`)


def seed(team_count: int) -> BenchData:
    """The catalog, the demo team and its reviews (through the services), `team_count` empty
    teams for the bulk reviews."""
    catalog = Catalog.objects.latest_published(SLUG)
    if catalog is None:
        with open(CATALOG_FILE, encoding="utf-8") as fh:
            catalog, _ = catalog_import(json.load(fh))
    with transaction.atomic():
        demo = demo_seed(catalog=catalog)
    teams = [demo.team] + Team.objects.bulk_create(
        Team(name=f"Bench team {i}", slug=f"bench-{i}") for i in range(1, team_count)
    )
    users = get_user_model().objects
    owners = users.bulk_create(
        users.model(username=f"bench-owner-{i}", password=UNUSABLE) for i in range(team_count)
    )
    Membership.objects.bulk_create(
        Membership(team=team, user=owner, role=Membership.Role.REVIEWER)
        for team, owner in zip(teams, owners, strict=True)
    )
    return BenchData(
        catalog=catalog,
        user=demo.users["reviewer"],
        draft=demo.reviews["draft"],
        approved=demo.reviews["approved"],
        teams=teams,
        owners=owners,
    )


def grow(data: BenchData, total: int) -> float:
    """Bulk-insert reviews until there are `total`, spread over the teams (round robin) with
    every status; returns the seconds it took."""
    started = time.perf_counter()
    have = Review.objects.count()
    statuses = [Review.Status.DRAFT, Review.Status.IN_REVIEW, Review.Status.DRAFT]
    batch: list[Review] = []
    for i in range(have, total):
        word = SEARCH_WORD if i % 97 == 0 else "exchange"
        batch.append(
            Review(
                team=data.teams[i % len(data.teams)],
                owner=data.owners[i % len(data.teams)],
                catalog=data.catalog,
                title=f"Partner {word} review {i}",
                status=statuses[i % len(statuses)],
            )
        )
        if len(batch) == BATCH:
            Review.objects.bulk_create(batch)
            batch = []
    Review.objects.bulk_create(batch)
    return time.perf_counter() - started
