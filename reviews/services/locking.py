"""The one row-lock helper every write on a review goes through, and the audit-trail entry."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import FROZEN_STATUSES, FrozenReviewError, Review, ReviewEvent, ReviewStateError


def locked_review(review: Review, *, statuses: Collection[str] | None = None) -> Review:
    """The review re-read inside the caller's transaction, its row locked (PostgreSQL; SQLite
    serializes writers anyway), with its team, owner and catalog. With `statuses`, a
    ReviewStateError unless the review is in one of them (FrozenReviewError when it is
    approved or superseded: then nothing of it can change)."""
    current = (
        Review.objects.select_for_update(of=("self",))
        .select_related("team", "owner", "catalog")
        .get(pk=review.pk)
    )
    if statuses is not None and current.status not in statuses:
        error = FrozenReviewError if current.status in FROZEN_STATUSES else ReviewStateError
        raise error(
            _("This review is %(status)s: its answers can no longer change.")
            % {"status": current.get_status_display()}
        )
    return current


def set_status(review: Review, status: str) -> str:
    """Change the locked review's status; returns the previous one."""
    previous = review.status
    review.status = status
    review.save(update_fields=["status", "updated_at"])
    return previous


def record_event(
    review: Review, *, actor: Any, action: str, from_status: str, comment: str = ""
) -> ReviewEvent:
    """One entry of the audit trail: `actor` did `action`, taking the review to its status."""
    return ReviewEvent.objects.create(
        review=review,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=review.status,
        comment=comment,
    )


def person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""
