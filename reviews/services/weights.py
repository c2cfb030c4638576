"""Writes on a review's criterion weights, each change recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patterns.scoring import AnswerError, check_weights
from patterns.services import compiled_catalog

from ..models import Review, ReviewEvent
from ..records.content import review_lang
from .locking import locked_review, record_event


def weights_change(compiled: Any, old: dict[str, int], new: dict[str, int], lang: str) -> str:
    """What changed, e.g. "Security 1 → 3, Cost 1 → 0" ("" when nothing did), with the
    criteria named in `lang`; an unset weight is 1 (normal)."""
    return ", ".join(
        f"{compiled.label(lang, 'criterion', key)} {old.get(key, 1)} → {new.get(key, 1)}"
        for key in compiled.criteria
        if old.get(key, 1) != new.get(key, 1)
    )


def weights_record_change(review: Review, *, user: Any, old: dict, new: dict) -> None:
    """Inside the caller's transaction, with the review locked: an audit-trail entry naming
    what changed, when something did."""
    compiled = compiled_catalog(review.catalog)
    change = weights_change(compiled, old or {}, new or {}, review_lang(review))
    if change and user is not None:
        record_event(
            review,
            actor=user,
            action=ReviewEvent.Action.WEIGHTS,
            from_status=review.status,
            comment=change,
        )


def review_weights_save(*, review: Review, user: Any, weights: dict[str, int]) -> Review:
    """Set how much each criterion matters (0-3) on a draft; the change goes in the audit
    trail. Raises ValidationError for unknown criteria or weights out of range,
    ReviewStateError when the review is no longer a draft."""
    try:
        clean = check_weights(compiled_catalog(review.catalog), weights)
    except AnswerError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        current = locked_review(review, statuses=[Review.Status.DRAFT])
        weights_record_change(current, user=user, old=current.weights, new=clean)
        Review.objects.filter(pk=current.pk).update(weights=clean, updated_at=timezone.now())
    review.weights = clean
    return review
