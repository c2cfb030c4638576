"""Backups of the reviews: `export_reviews FILE` / `import_reviews FILE`.

The file is JSON Lines, UTF-8. Line 1 is the header (`format`, `version`); line 2 the
people and teams the reviews name (users with their password hashes, teams with their
memberships, the approvers' signing certificates with their keys as stored, i.e. encrypted,
and the teams' review templates); then one line per review with everything it owns: answers,
decision, risks, its sign-off requests (frozen canonical JSON and signed PDF, base64), the
sign-offs, the audit trail and, for an approved review, the stored decision record (canonical
JSON and the PDF, base64); the last line says how many reviews were written (a file cut short
has none). Every line after the header carries the SHA-256 of its `data` (canonical JSON),
and a record or sign-off request keeps its own two hashes; `import` checks all of them.
Version 2 added the signing rows (`reviews.backup_signing`); version 1 files still import.

Import restores into a database that has the catalogs (import them first) and none of the
file's reviews or records: an existing review id or record hash refuses the whole file
(nothing is ever overwritten). Users and teams that exist already (same username, same slug)
are used as they are. The import is one transaction: any problem leaves the database as it
was, and `BackupError` says what, in one line.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from config.input import has_invalid_text, json_strings

from .models import Decision, DecisionRecord, Membership, Review, Team

FORMAT = "hakari-reviews"
VERSION = 2
READABLE = (1, 2)  # version 1: before signed records (no requests, certificates, templates)
USER_FIELDS = ("username", "first_name", "last_name", "email", "password", "is_active",
               "is_staff", "is_superuser", "date_joined")  # fmt: skip


class BackupError(Exception):
    """The file cannot be imported (or written); the message is one line."""


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _line(kind: str, data: Any) -> str:
    digest = hashlib.sha256(_canonical(data)).hexdigest()
    return json.dumps({"kind": kind, "data": data, "sha256": digest}, ensure_ascii=False) + "\n"


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- export -----------------------------------------------------------------------------------


def _review_data(review: Review) -> dict[str, Any]:
    from .backup_signing import requests_data

    data: dict[str, Any] = {
        "id": review.pk,
        "team": review.team.slug,
        "catalog": [review.catalog.slug, review.catalog.version],
        "owner": review.owner.get_username(),
        "revision_of": review.revision_of_id,
        "created_at": _when(review.created_at),
        "updated_at": _when(review.updated_at),
        **{f: getattr(review, f) for f in ("title", "context", "status", "language")},
        **{f: getattr(review, f) for f in ("weights", "cost_inputs")},
    }
    data["answers"] = [
        {"question": a.question, "choice": a.choice, "note": a.note,
         "answered_by": a.answered_by.get_username(), "answered_at": _when(a.answered_at),
         "version": a.version, "not_applicable": a.not_applicable}
        for a in review.answers.select_related("answered_by").order_by("pk")
    ]  # fmt: skip
    data["decision"] = _decision_data(review)
    data["risks"] = [
        {"description": r.description, "mitigation": r.mitigation, "owner_name": r.owner_name,
         "owner_user": r.owner_user.get_username() if r.owner_user else None,
         "review_on": r.review_on.isoformat() if r.review_on else None,
         "created_at": _when(r.created_at)}
        for r in review.risks.select_related("owner_user").order_by("pk")
    ]  # fmt: skip
    data["signoff_requests"] = requests_data(review)
    data["signatures"] = _signatures_data(review)
    data["events"] = [
        {"actor": e.actor.get_username(), "at": _when(e.at), "action": e.action,
         "from_status": e.from_status, "to_status": e.to_status, "comment": e.comment}
        for e in review.events.select_related("actor").order_by("at", "pk")
    ]  # fmt: skip
    data["record"] = _record_data(review)
    return data


def _decision_data(review: Review) -> dict[str, Any] | None:
    decision = Decision.objects.filter(review=review).select_related("decided_by").first()
    return decision and {
        **{f: getattr(decision, f) for f in ("pattern", "justification", "confirmation")},
        **{f: getattr(decision, f) for f in ("consequences_good", "consequences_bad")},
        "decided_by": decision.decided_by.get_username(),
        "updated_at": _when(decision.updated_at),
    }


def _signatures_data(review: Review) -> list[dict[str, Any]]:
    """Each sign-off, with its place in the route and its request (by number)."""
    rows = review.signatures.select_related("approver", "requested_by", "request")
    return [
        {"approver": s.approver.get_username(), "requested_by": s.requested_by.get_username(),
         "requested_at": _when(s.requested_at), "state": s.state,
         "signed_at": _when(s.signed_at), "comment": s.comment, "order": s.order,
         "request": s.request.number if s.request else None}
        for s in rows.order_by("pk")
    ]  # fmt: skip


def _record_data(review: Review) -> dict[str, Any] | None:
    record = DecisionRecord.objects.filter(review=review).select_related("request").first()
    return record and {
        "canonical_json": record.canonical_json,
        "sha256": record.sha256,
        "pdf": base64.b64encode(bytes(record.pdf)).decode("ascii"),
        "pdf_sha256": record.pdf_sha256,
        "created_at": _when(record.created_at),
        "request": record.request.number if record.request else None,
    }


def _directory() -> dict[str, Any]:
    """Every user a review names (as owner, answerer, decider, risk owner, approver, actor) or
    that belongs to a team or a signing row names, and every team with its memberships; the
    signing certificates and the review templates."""
    from django.contrib.auth import get_user_model

    from .backup_signing import certificates_data, templates_data, user_ids

    ids = set(Membership.objects.values_list("user_id", flat=True))
    ids |= set(Review.objects.values_list("owner_id", flat=True))
    for model, field in [("answer", "answered_by"), ("decision", "decided_by"),
                         ("risk", "owner_user"), ("signature", "approver"),
                         ("signature", "requested_by"), ("reviewevent", "actor")]:  # fmt: skip
        rows = Review._meta.apps.get_model("reviews", model).objects.values_list(field, flat=True)
        ids |= {pk for pk in rows if pk}
    ids |= user_ids()
    users = get_user_model().objects.filter(pk__in=ids).order_by("username")
    memberships = list(Membership.objects.select_related("user"))
    return {
        "users": [
            {f: _when(getattr(u, f)) if f == "date_joined" else getattr(u, f) for f in USER_FIELDS}
            for u in users
        ],
        "teams": [
            {
                "slug": t.slug,
                "name": t.name,
                "members": sorted(
                    [m.user.get_username(), m.role] for m in memberships if m.team_id == t.pk
                ),
            }
            for t in Team.objects.order_by("slug")
        ],  # fmt: skip
        "certificates": certificates_data(),
        "templates": templates_data(),
    }


def export_reviews(out: IO[str]) -> int:
    """Write every review to `out`; returns how many."""
    header = {"format": FORMAT, "version": VERSION, "exported_at": _when(timezone.now())}
    out.write(json.dumps(header) + "\n")
    out.write(_line("directory", _directory()))
    count = 0
    reviews = Review.objects.select_related("team", "owner", "catalog").order_by("pk")
    for review in reviews.iterator(chunk_size=200):
        out.write(_line("review", _review_data(review)))
        count += 1
    out.write(_line("end", {"reviews": count}))  # a file cut short has no end line
    return count


# --- import -----------------------------------------------------------------------------------


def _read_lines(source: IO[str]) -> Iterator[tuple[int, str, Any]]:
    """(line number, kind, data) of each line after the header, hash checked."""
    for number, raw in enumerate(source, start=2):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            kind, data, digest = entry["kind"], entry["data"], entry["sha256"]
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"line {number}: not a backup entry ({exc})") from exc
        if hashlib.sha256(_canonical(data)).hexdigest() != digest:
            raise BackupError(f"line {number}: SHA-256 mismatch (the file was changed)")
        if any(has_invalid_text(text) for text in json_strings(data)):
            raise BackupError(f"line {number}: contains characters that are not allowed")
        yield number, kind, data


def _check_header(source: IO[str]) -> dict[str, Any]:
    try:
        header = json.loads(source.readline())
    except ValueError as exc:
        raise BackupError(f"line 1: not JSON ({exc})") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"line 1: not a {FORMAT} file")
    if header.get("version") not in READABLE:
        raise BackupError(f"line 1: unknown version {header.get('version')!r} (this reads "
                          f"{', '.join(map(str, READABLE))})")  # fmt: skip
    return header


def import_reviews(source: IO[str]) -> int:
    """Restore the reviews of a file written by `export_reviews`; returns how many."""
    from .backup_restore import Restorer  # the writes (this module: the format)

    _check_header(source)
    try:
        with transaction.atomic():
            restorer = Restorer()
            for number, kind, data in _read_lines(source):
                restorer.add(number, kind, data)
            restorer.finish()
    except BackupError:
        raise
    except (ValueError, TypeError, KeyError, LookupError) as exc:
        raise BackupError(f"invalid data: {type(exc).__name__}: {exc}") from exc
    return restorer.count
