"""What the review models share: the state errors, the frozen statuses and their messages, and
the abstract base of a review's record rows (`FrozenGuardedModel`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from patterns.immutability import Lock, LockedModel, LockedQuerySet


class ReviewStateError(Exception):
    """The review is not in the status an action needs (e.g. signing a draft); the message
    says which status it is in and which one the action needs, for the page."""


class FrozenReviewError(ReviewStateError):
    """Raised when something tries to change a review that is no longer editable."""


FROZEN_STATUSES = ("approved", "superseded")
FROZEN_MESSAGE = _("This review is approved: its record is frozen and cannot change.")
APPEND_ONLY_MESSAGE = _("These rows are append-only.")


class FrozenGuardedModel(LockedModel):
    """A row of a review's record (answers, the decision, risks, sign-offs): refuses to change,
    be added to or move into a frozen review, one row or in bulk."""

    objects = LockedQuerySet.as_manager()
    lock = Lock(
        {"review__status__in": FROZEN_STATUSES},
        FrozenReviewError,
        FROZEN_MESSAGE,
        move_message=_("Move rows between reviews one by one."),
    )

    class Meta:
        abstract = True
        base_manager_name = "objects"
