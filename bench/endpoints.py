"""What `bench_report` measures: the endpoints of issue 11's table, on the benchmark's data,
and their query counts (Django's test client in this process, the same database)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from patterns.services import compiled_catalog

from .data import SEARCH_WORD, BenchData
from .load import Endpoint

FORM = "application/x-www-form-urlencoded"


def endpoints(data: BenchData) -> list[Endpoint]:
    draft, approved = data.draft.pk, data.approved.pk
    compiled = compiled_catalog(data.catalog)
    saves = [
        (f"/reviews/{draft}/answers/{question}/", urlencode({question: choice}))
        for question, choices in compiled.questions.items()
        for choice in choices
    ]
    steps = list(data.catalog.steps.values_list("key", flat=True))
    answers = {question: choices[0] for question, choices in compiled.questions.items()}
    return [
        Endpoint("htmx answer save", [p for p, _ in saves], "POST", [b for _, b in saves],
                 {"HX-Request": "true", "Content-Type": FORM}, target=0.5, kind="save"),
        Endpoint("wizard step", [f"/reviews/{draft}/steps/{step}/" for step in steps]),
        Endpoint("dashboard", ["/"]),
        Endpoint("dashboard search ?q=", [f"/?q={SEARCH_WORD}"], target=0.15, kind="search"),
        Endpoint("compare page", [f"/reviews/{draft}/compare/"]),
        Endpoint("review detail", [f"/reviews/{draft}/"]),
        Endpoint("stored PDF download", [f"/reviews/{approved}/record.pdf"]),
        Endpoint("API recommend", [f"/api/catalogs/{data.catalog.slug}/recommend"], "POST",
                 [json.dumps(answers)], {"Content-Type": "application/json"}, kind="api"),
    ]  # fmt: skip


def client_for(data: BenchData) -> Client:
    client = Client()
    client.force_login(data.user)
    return client


def query_counts(data: BenchData) -> dict[str, int]:
    """Queries each endpoint runs (its first request), signed in as the benchmark's user."""
    client = client_for(data)
    counts = {}
    for endpoint in endpoints(data):
        headers = {k.upper().replace("-", "_"): v for k, v in endpoint.headers.items()}
        content_type = headers.pop("CONTENT_TYPE", FORM)
        extra: dict[str, Any] = {f"HTTP_{k}": v for k, v in headers.items()}
        with CaptureQueriesContext(connection) as queries:
            if endpoint.method == "POST":
                response = client.generic(
                    "POST", endpoint.paths[0], endpoint.bodies[0], content_type, **extra
                )
            else:
                response = client.get(endpoint.paths[0], **extra)
        if response.status_code >= 400:
            raise RuntimeError(f"{endpoint.name}: HTTP {response.status_code}")
        counts[endpoint.name] = len(queries)
    return counts


def session_cookies(data: BenchData) -> tuple[str, str]:
    """(session id, CSRF secret) for wrk's requests as the benchmark's user."""
    client = client_for(data)
    return client.cookies["sessionid"].value, "b" * 32
