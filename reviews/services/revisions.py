"""Revising an approved review: a new linked draft; the old one is superseded on approval."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from ..access import Action, check
from ..models import Answer, Decision, Review, ReviewEvent, Risk
from .locking import locked_review, record_event

# What a revision copies of each row, field by field (the review's owner is the reviser).
REVIEW_FIELDS = ("team", "title", "context", "catalog", "language", "weights", "cost_inputs")
ANSWER_FIELDS = ("question", "choice", "not_applicable", "note", "answered_by_id", "answered_at")
DECISION_FIELDS = (
    "pattern",
    "justification",
    "consequences_good",
    "consequences_bad",
    "confirmation",
    "decided_by",
)
RISK_FIELDS = ("description", "owner_user_id", "owner_name", "mitigation", "review_on")


def _copied(row: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def review_revise(*, review: Review, user: Any) -> Review:
    """Start a revision of an approved review: a new draft copied from it (answers, notes,
    weights, cost inputs, decision, risks), linked by `revision_of`. The approved review
    stays as it is until the revision is approved; then it becomes superseded. When an open
    revision exists already, that one is returned."""
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.REVISE)
        existing = _open_revision(current)
        if existing is not None:
            return existing
        new = Review(owner=user, revision_of=current, **_copied(current, REVIEW_FIELDS))
        new.full_clean()
        new.save()
        _copy_rows(current, new)
        record_event(
            new,
            actor=user,
            action=ReviewEvent.Action.REVISE,
            from_status="",
            comment=f"#{current.pk}",
        )
    return new


def _open_revision(review: Review) -> Review | None:
    """The latest revision of `review` still a draft or in review."""
    return (
        Review.objects.filter(
            revision_of=review, status__in=[Review.Status.DRAFT, Review.Status.IN_REVIEW]
        )
        .order_by("-pk")
        .first()
    )


def _copy_rows(current: Review, new: Review) -> None:
    """The answers, the decision and the risks of `current`, copied to `new`."""
    Answer.objects.bulk_create(
        Answer(review=new, **_copied(a, ANSWER_FIELDS))
        for a in Answer.objects.filter(review=current)
    )
    decision = Decision.objects.filter(review=current).first()
    if decision is not None:
        Decision.objects.create(review=new, **_copied(decision, DECISION_FIELDS))
    Risk.objects.bulk_create(
        Risk(review=new, **_copied(r, RISK_FIELDS)) for r in Risk.objects.filter(review=current)
    )
