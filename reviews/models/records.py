"""The frozen decision record of an approved review, made once at the last sign-off."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from patterns.immutability import Lock, LockedModel, LockedQuerySet, alters_data

from .base import FROZEN_MESSAGE, FrozenReviewError
from .reviews import Review
from .signoff import SignoffRequest


class DecisionRecordQuerySet(LockedQuerySet):
    @alters_data
    def bulk_create(self, objs, *args, **kwargs):
        raise FrozenReviewError(_("A decision record is only made by the last sign-off."))


class DecisionRecord(LockedModel):
    """The frozen record of an approved review, made once at the last sign-off.

    `canonical_json` is the record's content (sorted keys, compact separators, UTF-8) as it
    was frozen by the sign-off request, `sha256` its hash; `pdf` is the PDF rendered once from
    it with every approver's signature and the closing timestamp, with its own `pdf_sha256`.
    Never changed, never re-rendered (`lock`); only an approved review has one.
    """

    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="record")
    canonical_json = models.TextField()
    sha256 = models.CharField(max_length=64, unique=True)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField()
    request = models.OneToOneField(
        SignoffRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )

    objects = DecisionRecordQuerySet.as_manager()
    lock = Lock(None, FrozenReviewError, FROZEN_MESSAGE)

    class Meta:
        verbose_name = _("decision record")
        verbose_name_plural = _("decision records")
        base_manager_name = "objects"
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64) & Exact(Length("pdf_sha256"), 64),
                name="record_sha256_length",
            )
        ]

    def __str__(self) -> str:
        return f"record of {self.review_id} ({self.sha256[:12]})"

    @property
    def pdf_size(self) -> int:
        return len(self.pdf)

    def save(self, *args, **kwargs):
        approved = Review.objects.filter(pk=self.review_id, status=Review.Status.APPROVED)
        if self._state.adding and not approved.exists():
            raise FrozenReviewError(_("Only an approved review has a decision record."))
        super().save(*args, **kwargs)
