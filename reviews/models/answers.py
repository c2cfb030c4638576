"""A review's content: its answers, the decision and the accepted risks (frozen with it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import FrozenGuardedModel
from .reviews import Review


class Answer(FrozenGuardedModel):
    """One answer per question per review: last writer, version, N/A (see services.answers)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=60)
    choice = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    not_applicable = models.BooleanField(_("not applicable"), default=False)

    class Meta(FrozenGuardedModel.Meta):
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "question"], name="answer_review_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.choice}"


class Decision(FrozenGuardedModel):
    """What the team decided: the chosen pattern, why, its consequences and how to confirm it.

    The consequences start as the catalog's merits (good) and demerits (bad) of the chosen
    pattern and are then edited. When the chosen pattern is not the recommended one, or is
    excluded, the justification must say why (`reviews.services.decisions.decision_save`).
    """

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="decision")
    pattern = models.CharField(_("chosen option"), max_length=60)
    justification = models.TextField(_("justification"), blank=True, max_length=10000)
    consequences_good = models.TextField(_("good consequences"), blank=True, max_length=10000)
    consequences_bad = models.TextField(_("bad consequences"), blank=True, max_length=10000)
    confirmation = models.TextField(_("confirmation"), blank=True, max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(FrozenGuardedModel.Meta):
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.review_id}: {self.pattern}"


class Risk(FrozenGuardedModel):
    """An accepted risk of the decision, with an owner, a mitigation and a re-review date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField(_("risk"), max_length=2000)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_name = models.CharField(_("owner (name)"), max_length=200, blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True, max_length=2000)
    review_on = models.DateField(_("re-review on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(FrozenGuardedModel.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | ~models.Q(owner_name=""),
                name="risk_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def owner_display(self) -> str:
        if self.owner_user is not None:
            return self.owner_user.get_full_name() or self.owner_user.get_username()
        return self.owner_name
