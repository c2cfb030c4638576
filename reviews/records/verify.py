"""Is this PDF a genuine decision record, and what became of it? Is this hash one of ours?

An uploaded file is checked by what it proves itself (`reviews.signing.check`: every signature
valid and chained to the installation CA, the embedded record the one the document names),
then looked up by its record hash to say what became of it now: approved, superseded by #N,
still in review, withdrawn or sent back. The lookup reveals only that state (and the successor's
number): whatever else the page shows comes from the file itself. The title and links are
shown only to those who may see the review (`visible`). A typed hash (or the QR code of page 1)
is either a record's hash or a PDF's, and gets the same state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Q

from ..models import DecisionRecord, Review, SignoffRequest
from ..signing.check import FileCheck, Unreadable, check_pdf
from ..signing.pki import PkiError, authority

State = Literal["approved", "superseded", "in_review", "withdrawn", "sent_back"]
Verdict = Literal[
    "genuine",
    "superseded",
    "incomplete",
    "withdrawn",
    "altered",
    "unknown",
    "unreadable",
    "legacy",  # a stored record from before records were signed, matched byte for byte
]


@dataclass(frozen=True)
class RecordState:
    """What became of the record with this hash, as the database knows it now."""

    state: State
    review_id: int
    visible: bool
    title: str  # only when visible
    approvers: int
    signed: int
    successor_id: int | None = None
    at: Any = None  # when it was approved, withdrawn or sent back


@dataclass(frozen=True)
class Verification:
    """The answer of the verify page. `check` is the file's own evidence (None for a hash)."""

    digest: str
    verdict: Verdict
    check: FileCheck | None = None
    state: RecordState | None = None
    matches_stored: bool = False  # the file is the stored PDF, byte for byte
    ca_fingerprint: str = ""
    file_title: str = ""  # from the record inside the file

    @property
    def genuine(self) -> bool:
        return self.verdict in ("genuine", "superseded", "incomplete", "withdrawn")


def _successor(review: Review) -> int | None:
    later = review.revisions.filter(status__in=[Review.Status.APPROVED, Review.Status.SUPERSEDED])
    found = later.order_by("pk").values_list("pk", flat=True).first()
    return int(found) if found is not None else None


def _state(request: SignoffRequest, user: Any) -> RecordState:
    review = request.review
    visible = Review.objects.visible_to(user).filter(pk=review.pk).exists()
    signed = request.signatures.filter(state="signed").count()
    base = {
        "review_id": review.pk,
        "visible": visible,
        "title": review.title if visible else "",
        "approvers": len(request.approver_ids),
        "signed": signed,
        "at": request.closed_at,
    }
    if request.state == SignoffRequest.State.APPROVED:
        if review.status == Review.Status.SUPERSEDED:
            return RecordState("superseded", successor_id=_successor(review), **base)
        return RecordState("approved", **base)
    if request.state == SignoffRequest.State.PENDING:
        return RecordState("in_review", **base)
    return RecordState(str(request.state), **base)  # type: ignore[arg-type]


def _request_for(record_sha256: str | None, pdf_sha256: str | None) -> SignoffRequest | None:
    lookup = Q(pk__in=[])
    if record_sha256:
        lookup |= Q(sha256=record_sha256)
    if pdf_sha256:
        lookup |= Q(pdf_sha256=pdf_sha256) | Q(record__pdf_sha256=pdf_sha256)
    return (
        SignoffRequest.objects.filter(lookup)
        .select_related("review")
        .defer("pdf", "canonical_json")
        .order_by("-number", "-pk")
        .first()
    )


def _legacy(digest: str, user: Any) -> RecordState | None:
    """A record stored before records were signed (no request): matched by its hashes only."""
    record = (
        DecisionRecord.objects.filter(Q(sha256=digest) | Q(pdf_sha256=digest), request=None)
        .select_related("review")
        .defer("pdf", "canonical_json")
        .first()
    )
    if record is None:
        return None
    review = record.review
    visible = Review.objects.visible_to(user).filter(pk=review.pk).exists()
    superseded = review.status == Review.Status.SUPERSEDED
    return RecordState(
        "superseded" if superseded else "approved",
        review_id=review.pk,
        visible=visible,
        title=review.title if visible else "",
        approvers=0,
        signed=0,
        successor_id=_successor(review) if superseded else None,
        at=record.created_at,
    )


def _fingerprint() -> str:
    try:
        return authority().ca_fingerprint
    except PkiError:
        return ""


def _file_title(check: FileCheck) -> str:
    try:
        return str(json.loads(check.record_json or b"{}")["review"]["title"])
    except (ValueError, KeyError, TypeError):
        return ""


def _verdict(check: FileCheck, state: RecordState | None) -> Verdict:
    if not check.genuine:
        return "altered"
    if state is None:
        return "unknown"
    if state.state == "superseded":
        return "superseded"
    if state.state in ("withdrawn", "sent_back"):
        return "withdrawn"
    complete = check.closed and len(check.approvals) >= state.approvers
    return "genuine" if state.state == "approved" and complete else "incomplete"


def verify_upload(data: bytes, user: Any) -> Verification:
    """An uploaded file: its own evidence, and what became of the record it carries."""
    try:
        check = check_pdf(data)
    except Unreadable:
        import hashlib

        return Verification(hashlib.sha256(data).hexdigest(), "unreadable")
    request = _request_for(check.record_sha256 if check.record_matches else None, check.sha256)
    state = _state(request, user) if request is not None else None
    stored = DecisionRecord.objects.filter(pdf_sha256=check.sha256).exists()
    if state is None and not check.approvals:
        legacy = _legacy(check.sha256, user)
        if legacy is not None:
            return Verification(
                check.sha256, "legacy", check, legacy, True, _fingerprint(), _file_title(check)
            )
    return Verification(
        digest=check.sha256,
        verdict=_verdict(check, state),
        check=check,
        state=state,
        matches_stored=stored,
        ca_fingerprint=_fingerprint(),
        file_title=_file_title(check),
    )


def verify_digest(digest: str, user: Any) -> Verification:
    """A SHA-256 typed in (or from the QR code): a record's hash or a stored PDF's."""
    request = _request_for(digest, digest)
    if request is None:
        legacy = _legacy(digest, user)
        verdict: Verdict = "legacy" if legacy is not None else "unknown"
        return Verification(digest, verdict, state=legacy, ca_fingerprint=_fingerprint())
    state = _state(request, user)
    verdicts: dict[str, Verdict] = {
        "approved": "genuine",
        "superseded": "superseded",
        "in_review": "incomplete",
    }
    return Verification(
        digest=digest,
        verdict=verdicts.get(state.state, "withdrawn"),
        state=state,
        matches_stored=DecisionRecord.objects.filter(pdf_sha256=digest).exists(),
        ca_fingerprint=_fingerprint(),
    )
