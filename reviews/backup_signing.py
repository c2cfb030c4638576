"""The signing half of a backup (`reviews.backup` describes the file): each review's sign-off
requests (the frozen canonical JSON and the signed PDF, both hash-checked on import, the
approval route by username), the approvers' certificates (the key exactly as stored: encrypted,
never decrypted here) and the teams' review templates.

A request is written while its review is still a draft; its signatures and the decision record
point at it by `number` (unique within the review), so nothing depends on surrogate ids.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from patterns.models import Catalog

from .backup import BackupError
from .models import Review, ReviewTemplate, SignerCertificate, SignoffRequest, Team

REQUEST_TEXT = ("number", "message", "canonical_json", "sha256", "pdf_sha256", "state", "reason")


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _at(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"not a date and time: {value!r}")
    return parsed


def _dt(value: str | None) -> datetime | None:
    return None if value is None else _at(value)


def _name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


# --- export -----------------------------------------------------------------------------------


def user_ids() -> set[int]:
    """The users the signing rows name (requesters, closers, approval routes, certificate and
    template owners): the directory carries them too."""
    ids: set[int] = set()
    for requested_by, closed_by, route in SignoffRequest.objects.values_list(
        "requested_by", "closed_by", "approver_ids"
    ):
        ids |= {requested_by, *([closed_by] if closed_by else []), *route}
    ids |= set(SignerCertificate.objects.values_list("user_id", flat=True))
    ids |= set(ReviewTemplate.objects.values_list("created_by_id", flat=True))
    return ids


def requests_data(review: Review) -> list[dict[str, Any]]:
    requests = list(review.signoff_requests.select_related("requested_by", "closed_by"))
    route_ids = {pk for r in requests for pk in r.approver_ids}
    names = dict(get_user_model().objects.filter(pk__in=route_ids).values_list("pk", "username"))
    missing = route_ids - set(names)
    if missing:
        raise BackupError(f"review #{review.pk}: a sign-off route names deleted users")
    return [
        {
            **{f: getattr(r, f) for f in REQUEST_TEXT},
            "requested_by": _name(r.requested_by),
            "requested_at": _when(r.requested_at),
            "approvers": [names[pk] for pk in r.approver_ids],
            "pdf": base64.b64encode(bytes(r.pdf)).decode("ascii"),
            "closed_at": _when(r.closed_at),
            "closed_by": _name(r.closed_by),
        }
        for r in sorted(requests, key=lambda r: r.number)
    ]


def certificates_data() -> list[dict[str, Any]]:
    fields = ("serial", "fingerprint", "ca_fingerprint", "cert_pem", "key_pem")
    return [
        {**{f: getattr(c, f) for f in fields}, "user": _name(c.user),
         "created_at": _when(c.created_at), "revoked_at": _when(c.revoked_at)}
        for c in SignerCertificate.objects.select_related("user").order_by("created_at", "pk")
    ]  # fmt: skip


def templates_data() -> list[dict[str, Any]]:
    rows = ReviewTemplate.objects.select_related("team", "catalog", "created_by")
    return [
        {"team": t.team.slug, "name": t.name, "catalog": [t.catalog.slug, t.catalog.version],
         "answers": t.answers, "weights": t.weights, "created_by": _name(t.created_by),
         "created_at": _when(t.created_at)}
        for t in rows.order_by("team__slug", "name", "pk")
    ]  # fmt: skip


# --- import -----------------------------------------------------------------------------------


def _checked_pdf(review: Review, r: dict[str, Any]) -> bytes:
    number = r["number"]
    canonical = r["canonical_json"]
    if (canonical or r["sha256"]) and hashlib.sha256(canonical.encode("utf-8")).hexdigest() != r[
        "sha256"
    ]:
        raise BackupError(f"review #{review.pk}: sign-off request {number} does not match "
                               "its SHA-256")  # fmt: skip
    pdf = base64.b64decode(r["pdf"], validate=True)
    if (pdf or r["pdf_sha256"]) and hashlib.sha256(pdf).hexdigest() != r["pdf_sha256"]:
        raise BackupError(f"review #{review.pk}: the PDF of sign-off request {number} "
                               "does not match its SHA-256")  # fmt: skip
    return pdf


def restore_requests(review: Review, rows: list[dict[str, Any]], user: Any) -> dict[int, Any]:
    """Write the review's requests (it is still a draft); returns them by number."""
    restored: dict[int, SignoffRequest] = {}
    for r in rows:
        if r["state"] not in SignoffRequest.State.values:
            raise BackupError(f"review #{review.pk}: unknown sign-off state {r['state']!r}")
        pdf = _checked_pdf(review, r)
        request = SignoffRequest.objects.create(
            review=review, number=r["number"], requested_by=user(r["requested_by"]),
            requested_at=_at(r["requested_at"]), message=r["message"],
            approver_ids=[user(name).pk for name in r["approvers"]],
            canonical_json=r["canonical_json"], sha256=r["sha256"], pdf=pdf,
            pdf_sha256=r["pdf_sha256"], state=r["state"], closed_at=_dt(r["closed_at"]),
            closed_by=user(r["closed_by"]), reason=r["reason"],
        )  # fmt: skip
        restored[request.number] = request
    return restored


def restore_certificates(rows: list[dict[str, Any]], user: Any) -> None:
    """Each certificate as stored; one already here (same serial or fingerprint) is kept if it
    is the same certificate of the same user, and refuses the file otherwise."""
    for c in rows:
        owner = user(c["user"])
        found = SignerCertificate.objects.filter(
            Q(serial=c["serial"]) | Q(fingerprint=c["fingerprint"])
        ).first()
        if found is not None:
            if found.user_id != owner.pk or found.cert_pem != c["cert_pem"]:
                raise BackupError(f"certificate {c['serial'][:12]} exists already "
                                       "(another one; nothing is overwritten)")  # fmt: skip
            continue
        SignerCertificate.objects.create(
            user=owner, serial=c["serial"], fingerprint=c["fingerprint"],
            ca_fingerprint=c["ca_fingerprint"], cert_pem=c["cert_pem"], key_pem=c["key_pem"],
            created_at=_at(c["created_at"]), revoked_at=_dt(c["revoked_at"]),
        )  # fmt: skip


def restore_templates(rows: list[dict[str, Any]], user: Any) -> None:
    """Each template; a team's template of the same name that is here already is kept as is."""
    for t in rows:
        team = Team.objects.filter(slug=t["team"]).first()
        if team is None:
            raise BackupError(f"template {t['name']!r}: team {t['team']!r} is not here")
        if ReviewTemplate.objects.filter(team=team, name=t["name"]).exists():
            continue
        slug, version = t["catalog"]
        catalog = Catalog.objects.filter(slug=slug, version=version).first()
        if catalog is None:
            raise BackupError(f"template {t['name']!r}: catalog {slug} {version} is not "
                                   "here: import_catalog it first")  # fmt: skip
        template = ReviewTemplate.objects.create(
            team=team, name=t["name"], catalog=catalog, answers=t["answers"],
            weights=t["weights"], created_by=user(t["created_by"]),
        )  # fmt: skip
        ReviewTemplate.objects.filter(pk=template.pk).update(created_at=_at(t["created_at"]))
