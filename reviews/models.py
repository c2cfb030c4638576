"""Teams, reviews and their answers, decisions, sign-offs and the frozen decision record.

Access is decided in one place: `Review.objects.visible_to(user)` (what a user may see) and
`reviews.access` (what they may do). Once a review is approved, its answers, decision, risks
and sign-offs are frozen: the rows refuse to change (see `FrozenReviewError`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patterns.models import Catalog


class FrozenReviewError(Exception):
    """Raised when something tries to change a review that is no longer editable."""


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer (IT)")
        STAKEHOLDER = "stakeholder", _("Stakeholder (business)")
        APPROVER = "approver", _("Approver")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_team_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team} ({self.role})"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reviews `user` may see: their teams' reviews; every review for site staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(team__memberships__user=user)

    def for_dashboard(self):
        """The dashboard's rows, newest first, with what each row shows joined in."""
        return self.select_related("team", "owner", "catalog").order_by("-created_at", "-pk")


class Review(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="reviews")
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), blank=True, max_length=20000)
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_reviews"
    )
    language = models.CharField(
        _("record language"), max_length=5, choices=settings.LANGUAGES, default="ja"
    )
    weights = models.JSONField(_("criterion weights"), default=dict, blank=True)
    cost_inputs = models.JSONField(_("cost inputs"), default=dict, blank=True)
    revision_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["team", "-created_at"], name="review_team_created"),
            models.Index(fields=["status", "-created_at"], name="review_status_created"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.SUPERSEDED)


class Answer(models.Model):
    """One answer per question per review; the last write wins, and says who wrote it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=60)
    choice = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "question"], name="answer_review_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.choice}"
