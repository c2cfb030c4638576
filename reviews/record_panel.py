"""The review page's decision-record panel in few queries: the decision, the stored record's
summary, the number of risks and the state of the last sign-off request come from one query on
the review; the request itself is read only when it came back (sent back or withdrawn) and the
review is a draft again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Subquery

from .access import Action, can
from .models import Review, Risk, SignoffRequest
from .records.signoff import approval_boxes, last_request


@dataclass(frozen=True)
class DecisionSummary:
    pattern: str
    justification: str


@dataclass(frozen=True)
class RecordSummary:
    sha256: str
    request_id: int | None
    created_at: datetime


_RETURNED = (SignoffRequest.State.SENT_BACK, SignoffRequest.State.WITHDRAWN)


def _record_row(review: Review) -> dict[str, Any]:
    risks = Risk.objects.filter(review=OuterRef("pk")).order_by().values("review")
    last = SignoffRequest.objects.filter(review=OuterRef("pk")).order_by("-number")
    return (
        Review.objects.filter(pk=review.pk)
        .annotate(
            risk_count=Subquery(risks.annotate(n=Count("pk")).values("n")[:1]),
            last_state=Subquery(last.values("state")[:1]),
        )
        .values(
            "risk_count",
            "last_state",
            "decision__pk",
            "decision__pattern",
            "decision__justification",
            "record__pk",
            "record__sha256",
            "record__request_id",
            "record__created_at",
        )  # fmt: skip
        .get()
    )


def _decision(row: dict[str, Any]) -> DecisionSummary | None:
    if row["decision__pk"] is None:
        return None
    return DecisionSummary(row["decision__pattern"], row["decision__justification"])


def _record(row: dict[str, Any]) -> RecordSummary | None:
    if row["record__pk"] is None:
        return None
    return RecordSummary(
        row["record__sha256"], row["record__request_id"], row["record__created_at"]
    )


def record_panel(user: Any, review: Review) -> dict[str, Any]:
    """The panel's context: the decision, the number of risks, sign-offs, the audit trail, the
    stored record, and which lifecycle buttons this user gets."""
    signatures = list(review.signatures.select_related("approver"))
    role = getattr(review, "viewer_role", None)
    pending = any(s.approver_id == user.pk and s.state == s.State.PENDING for s in signatures)
    row = _record_row(review)
    returned = None
    if review.status == Review.Status.DRAFT and row["last_state"] in _RETURNED:
        returned = last_request(review)
    revisions = []
    if review.status in (Review.Status.APPROVED, Review.Status.SUPERSEDED):
        revisions = list(review.revisions.order_by("-pk"))
    return {
        "decision": _decision(row),
        "risk_count": row["risk_count"] or 0,
        "signatures": signatures,
        "approval_boxes": approval_boxes(review, signatures),
        "returned": returned,
        "events": list(review.events.select_related("actor")),
        "record": _record(row),
        "revisions": revisions,
        "can_decide": can(user, review, Action.DECIDE, role=role),
        "can_sign": pending and can(user, review, Action.SIGN, role=role),
        "can_revise": can(user, review, Action.REVISE, role=role),
        "can_withdraw": can(user, review, Action.WITHDRAW, role=role),
    }
