"""The record as the sign-off pages show it: what will be signed, what is signed, what changed.

`request_page(review)`: the request form's summary (the live content as it would be frozen, the
questions left unanswered, the approvers of the last request, and after a send-back its reason
and what changed since). `sign_page(review)`: the frozen content of the open request, the one
the approver signs. `approval_boxes` and `last_request` serve the review page too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import pgettext

from ..models import Membership, Review, Signature, SignoffRequest
from .changes import Change, content_changes
from .content import AnswerRow, RecordContent
from .sections import record_content
from .summary import Summary, record_summary


@dataclass(frozen=True)
class ApprovalBox:
    """One box of a review's 承認欄 on a page: an approver's (with their signature once they
    signed) or, last, the reviewer's 担当 box."""

    label: str
    name: str
    username: str
    signature: Signature | None = None

    @property
    def signed(self) -> bool:
        return self.signature is not None and self.signature.state == Signature.State.SIGNED


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def box_labels() -> dict[str, str]:
    """The headings of the boxes, in the active language: 承認, 確認, 担当."""
    return {
        "senior": pgettext("approval box", "Approved"),
        "approver": pgettext("approval box", "Checked"),
        "reviewer": pgettext("approval box", "Prepared"),
    }


def approval_boxes(review: Review, signatures: list[Signature]) -> list[ApprovalBox]:
    """The approvers in the request's order, most senior (last to sign) leftmost, then the
    reviewer's box; empty when no sign-off is requested."""
    if not signatures:
        return []
    labels = box_labels()
    ordered = sorted(signatures, key=lambda s: (s.order, s.pk))
    boxes = [
        ApprovalBox(
            label=labels["senior"] if index == len(ordered) - 1 else labels["approver"],
            name=_name(s.approver),
            username=s.approver.get_username(),
            signature=s,
        )
        for index, s in reversed(list(enumerate(ordered)))
    ]
    owner = review.owner
    boxes.append(ApprovalBox(labels["reviewer"], _name(owner), owner.get_username()))
    return boxes


def last_request(review: Review) -> SignoffRequest | None:
    return (
        SignoffRequest.objects.filter(review=review)
        .select_related("closed_by")
        .defer("pdf")
        .order_by("-number")
        .first()
    )


def returned_request(review: Review) -> SignoffRequest | None:
    """The last sign-off request, when it came back (sent back or withdrawn) and the review is
    a draft again: its reason is what the reviewer has to address."""
    if review.status != Review.Status.DRAFT:
        return None
    last = last_request(review)
    closed = (SignoffRequest.State.SENT_BACK, SignoffRequest.State.WITHDRAWN)
    return last if last is not None and last.state in closed else None


def frozen_content(request: SignoffRequest) -> RecordContent:
    return RecordContent.from_json(json.loads(request.canonical_json))


@dataclass(frozen=True)
class RequestPage:
    content: RecordContent
    summary: Summary
    unanswered: tuple[AnswerRow, ...]
    returned: SignoffRequest | None
    changes: tuple[Change, ...]
    last_approvers: tuple[Any, ...]


def request_page(review: Review) -> RequestPage:
    """What the request form shows about the record it would freeze."""
    content = record_content(review)
    returned = returned_request(review)
    changes: tuple[Change, ...] = ()
    if returned is not None and returned.canonical_json:
        changes = tuple(content_changes(frozen_content(returned), content))
    last = last_request(review)
    if last is None and review.revision_of is not None:  # a revision: the route it revises
        last = last_request(review.revision_of)
    approver_ids = set(
        Membership.objects.filter(team=review.team, role=Membership.Role.APPROVER).values_list(
            "user_id", flat=True
        )
    )
    ids = [pk for pk in (last.approver_ids if last else []) if pk in approver_ids]
    users = get_user_model().objects.in_bulk(ids)
    return RequestPage(
        content=content,
        summary=record_summary(content, box_labels()),
        unanswered=tuple(row for row in content.context.answers if not row.choice),
        returned=returned,
        changes=changes,
        last_approvers=tuple(users[pk] for pk in ids if pk in users),
    )


@dataclass(frozen=True)
class SignPage:
    request: SignoffRequest
    content: RecordContent
    summary: Summary


def sign_page(review: Review) -> SignPage | None:
    """The open request's frozen content: exactly what the approver signs (None: no request)."""
    request = (
        SignoffRequest.objects.filter(review=review, state=SignoffRequest.State.PENDING)
        .defer("pdf")
        .first()
    )
    if request is None:
        return None
    content = frozen_content(request)
    return SignPage(request, content, record_summary(content, box_labels()))
