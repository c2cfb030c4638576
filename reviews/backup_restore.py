"""The writes of `import_reviews` (`reviews.backup` describes the file): users and teams
first (with the certificates and templates), then each review as it was, its frozen rows
(sign-off requests before the sign-offs that point at them) written while it is still a draft
and its status, timestamps and decision record set last, through the same locks as any other
write. Keys a version 1 file does not have take the models' defaults."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection
from django.utils.dateparse import parse_datetime

from patterns.models import Catalog

from .backup import USER_FIELDS, BackupError
from .backup_signing import restore_certificates, restore_requests, restore_templates
from .models import (
    Answer,
    Decision,
    DecisionRecord,
    Membership,
    Review,
    ReviewEvent,
    Risk,
    Signature,
    Team,
)


def _dt(value: str | None) -> datetime | None:
    return None if value is None else _at(value)


def _at(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a date and time: {value!r}")
    return parsed


class Restorer:
    def __init__(self) -> None:
        self.users: dict[str, Any] = {}
        self.count = 0
        self.ended = False
        self.requests: dict[int, Any] = {}  # the current review's sign-off requests by number

    def add(self, number: int, kind: str, data: dict[str, Any]) -> None:
        if self.ended:
            raise BackupError(f"line {number}: after the end line")
        if kind == "end":
            if data.get("reviews") != self.count:
                raise BackupError(f"line {number}: {self.count} reviews, the end line says "
                                  f"{data.get('reviews')}")  # fmt: skip
            self.ended = True
        elif kind == "directory":
            self._directory(data)
        elif kind == "review":
            try:
                self._review(data)
            except BackupError as exc:
                raise BackupError(f"line {number}: {exc}") from exc
            self.count += 1
        else:
            raise BackupError(f"line {number}: unknown entry {kind!r}")

    def finish(self) -> None:
        """Explicit review ids were inserted: PostgreSQL's id sequence moves past them."""
        if not self.ended:
            raise BackupError("the file has no end line: it was cut short")
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Review]):
                cursor.execute(statement)

    def user(self, username: str | None) -> Any:
        if username is None:
            return None
        if username not in self.users:
            found = get_user_model().objects.filter(username=username).first()
            if found is None:
                raise BackupError(f"user {username!r} is neither in the file nor here")
            self.users[username] = found
        return self.users[username]

    def _directory(self, data: dict[str, Any]) -> None:
        users = get_user_model().objects
        for row in data["users"]:
            found = users.filter(username=row["username"]).first()
            if found is None:
                fields = {f: row[f] for f in USER_FIELDS if f != "date_joined"}
                found = users.model(**fields, date_joined=_at(row["date_joined"]))
                found.save(force_insert=True)
            self.users[row["username"]] = found
        for row in data["teams"]:
            team, _ = Team.objects.get_or_create(slug=row["slug"], defaults={"name": row["name"]})
            for username, role in row["members"]:
                if role not in Membership.Role.values:
                    raise BackupError(f"team {row['slug']}: unknown role {role!r}")
                Membership.objects.get_or_create(
                    team=team, user=self.user(username), defaults={"role": role}
                )
        restore_certificates(data.get("certificates", []), self.user)
        restore_templates(data.get("templates", []), self.user)

    def _review(self, d: dict[str, Any]) -> None:
        review = self._review_row(d)
        user = self.user
        Answer.objects.bulk_create(
            Answer(review=review, question=a["question"], choice=a["choice"], note=a["note"],
                   answered_by=user(a["answered_by"]), answered_at=_at(a["answered_at"]),
                   version=a.get("version", 1), not_applicable=a.get("not_applicable", False))
            for a in d["answers"]
        )  # fmt: skip
        if d["decision"]:
            self._decision(review, d["decision"])
        for r in d["risks"]:
            risk = Risk.objects.create(
                review=review, description=r["description"], mitigation=r["mitigation"],
                owner_user=user(r["owner_user"]), owner_name=r["owner_name"],
                review_on=date.fromisoformat(r["review_on"]) if r["review_on"] else None,
            )  # fmt: skip
            Risk.objects.filter(pk=risk.pk).update(created_at=_dt(r["created_at"]))
        self.requests = restore_requests(review, d.get("signoff_requests", []), user)
        Signature.objects.bulk_create(
            Signature(review=review, approver=user(s["approver"]), state=s["state"],
                      requested_by=user(s["requested_by"]), requested_at=_at(s["requested_at"]),
                      signed_at=_dt(s["signed_at"]), comment=s["comment"],
                      order=s.get("order", 0), request=self._request(s.get("request")))
            for s in d["signatures"]
        )  # fmt: skip
        for e in d["events"]:
            ReviewEvent.objects.create(
                review=review, actor=user(e["actor"]), at=_at(e["at"]), action=e["action"],
                from_status=e["from_status"], to_status=e["to_status"], comment=e["comment"],
            )  # fmt: skip
        self._status_and_record(review, d)

    def _request(self, number: int | None) -> Any:
        if number is None:
            return None
        if number not in self.requests:
            raise BackupError(f"sign-off request {number} is not in the file")
        return self.requests[number]

    def _review_row(self, d: dict[str, Any]) -> Review:
        if Review.objects.filter(pk=d["id"]).exists():
            raise BackupError(f"review #{d['id']} exists already (nothing is overwritten)")
        slug, version = d["catalog"]
        catalog = Catalog.objects.filter(slug=slug, version=version).first()
        if catalog is None:
            raise BackupError(f"catalog {slug} {version} is not here: import_catalog it first")
        team = Team.objects.filter(slug=d["team"]).first()
        if team is None:
            raise BackupError(f"team {d['team']!r} is neither in the file nor here")
        if d["status"] not in Review.Status.values:
            raise BackupError(f"unknown status {d['status']!r}")
        if d["revision_of"] and not Review.objects.filter(pk=d["revision_of"]).exists():
            raise BackupError(f"it revises review #{d['revision_of']}, which is not here")
        review = Review(
            pk=d["id"], team=team, catalog=catalog, owner=self.user(d["owner"]),
            title=d["title"], context=d["context"], language=d["language"],
            weights=d["weights"], cost_inputs=d["cost_inputs"], revision_of_id=d["revision_of"],
        )  # fmt: skip
        review.full_clean(exclude=["revision_of"], validate_unique=False)
        review.save(force_insert=True)
        return review

    def _decision(self, review: Review, d: dict[str, Any]) -> None:
        decision = Decision.objects.create(
            review=review, pattern=d["pattern"], justification=d["justification"],
            consequences_good=d["consequences_good"], consequences_bad=d["consequences_bad"],
            confirmation=d["confirmation"], decided_by=self.user(d["decided_by"]),
        )  # fmt: skip
        Decision.objects.filter(pk=decision.pk).update(updated_at=_dt(d["updated_at"]))

    def _status_and_record(self, review: Review, d: dict[str, Any]) -> None:
        """The status and timestamps, then (approved or superseded) the stored record."""
        frozen = d["status"] in (Review.Status.APPROVED, Review.Status.SUPERSEDED)
        if frozen != bool(d["record"]):
            raise BackupError("only an approved or superseded review has a decision record")
        first = Review.Status.APPROVED if frozen else d["status"]
        rows = Review.objects.filter(pk=review.pk)
        rows.update(status=first, created_at=_dt(d["created_at"]), updated_at=_dt(d["updated_at"]))
        if not frozen:
            return
        self._record(review, d["record"])
        if d["status"] == Review.Status.SUPERSEDED:
            rows.update(status=Review.Status.SUPERSEDED, updated_at=_dt(d["updated_at"]))

    def _record(self, review: Review, r: dict[str, Any]) -> None:
        canonical = r["canonical_json"]
        if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != r["sha256"]:
            raise BackupError(f"review #{review.pk}: the record does not match its SHA-256")
        pdf = base64.b64decode(r["pdf"], validate=True)
        if hashlib.sha256(pdf).hexdigest() != r["pdf_sha256"]:
            raise BackupError(f"review #{review.pk}: the PDF does not match its SHA-256")
        if DecisionRecord.objects.filter(sha256=r["sha256"]).exists():
            raise BackupError(f"record {r['sha256'][:12]} exists already")
        DecisionRecord.objects.create(
            review=Review.objects.get(pk=review.pk), canonical_json=canonical,
            sha256=r["sha256"], pdf=pdf, pdf_sha256=r["pdf_sha256"],
            created_at=_at(r["created_at"]), request=self._request(r.get("request")),
        )  # fmt: skip
