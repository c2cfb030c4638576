"""A review's audit trail (append-only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patterns.immutability import Lock, LockedModel, LockedQuerySet

from .base import APPEND_ONLY_MESSAGE, FrozenReviewError
from .reviews import Review


class ReviewEvent(LockedModel):
    """One entry of a review's audit trail: who did what, when, from which status to which.

    Append-only: rows are never changed or deleted (only with their draft review).
    """

    class Action(models.TextChoices):
        REQUEST_SIGNOFF = "request_signoff", _("requested sign-off")
        SIGN = "sign", _("signed")
        SEND_BACK = "send_back", _("sent back")
        WITHDRAW = "withdraw", _("withdrew the sign-off request")
        REVISE = "revise", _("started a revision")
        SUPERSEDE = "supersede", _("superseded")
        MOVE_CATALOG = "move_catalog", _("moved to a newer catalog version")
        CLONE = "clone", _("cloned a review")
        FROM_TEMPLATE = "from_template", _("started from a template")
        WEIGHTS = "weights", _("changed the criterion weights")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    comment = models.TextField(blank=True, max_length=5000)

    objects = LockedQuerySet.as_manager()
    lock = Lock(None, FrozenReviewError, APPEND_ONLY_MESSAGE)

    class Meta:
        verbose_name = _("audit trail entry")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "pk"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.review_id} {self.action} {self.from_status}->{self.to_status}"

    def from_status_label(self) -> str:
        return str(Review.Status(self.from_status).label) if self.from_status else ""

    def to_status_label(self) -> str:
        return str(Review.Status(self.to_status).label)
