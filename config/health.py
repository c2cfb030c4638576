"""`/healthz` for load balancers: 200 when the database answers and every migration is
applied, else 503; JSON either way, no login, never cached."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def health() -> dict[str, str]:
    """{"database": "ok"|"error: ...", "migrations": "ok"|"N unapplied"|"unknown"}."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"database": f"error: {type(exc).__name__}", "migrations": "unknown"}
    try:
        applied = set(MigrationRecorder(connection).applied_migrations())
    except DatabaseError as exc:
        return {"database": "ok", "migrations": f"error: {type(exc).__name__}"}
    missing = len(_migrations_on_disk() - applied)
    return {"database": "ok", "migrations": "ok" if not missing else f"{missing} unapplied"}


@functools.cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    """Every migration the code has (read once per process: the code does not change)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )
