"""The review itself and its queryset: `Review.objects.visible_to(user)` decides what a user may
see; an approved review is frozen (`lock`), except for being marked superseded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patterns.immutability import Lock, LockedModel, LockedQuerySet
from patterns.models import Catalog

from .base import FROZEN_STATUSES, FrozenReviewError
from .teams import Membership, Team


class ReviewQuerySet(LockedQuerySet):
    def _may_update_locked(self, fields) -> bool:
        """Marking a frozen review superseded is the one change allowed."""
        return fields.get("status") == "superseded" and set(fields) <= {"status", "updated_at"}

    def awaiting_signature_from(self, user, team_ids: list[int] | None = None):
        """In-review reviews where `user` is a named approver who has not signed yet."""
        return (
            self.visible_to(user, team_ids)
            .filter(
                status="in_review",
                signatures__approver=user,
                signatures__state="pending",
            )
            .select_related("team", "owner")
            .order_by("-updated_at", "-pk")
        )

    def visible_to(self, user, team_ids: list[int] | None = None):
        """The reviews `user` may see: their teams' reviews; every review for site staff.
        `team_ids`: the user's teams when the caller has just read their memberships (a list
        of ids instead of the membership subquery; ignored for staff)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        if team_ids is not None:
            return self.filter(team_id__in=team_ids)
        # A subquery, not a join: the planner can then walk the (team, created_at) index.
        return self.filter(team_id__in=Membership.objects.filter(user=user).values("team_id"))

    def for_dashboard(self):
        """The dashboard's rows, newest first, with what each row shows joined in."""
        return self.select_related("team", "owner").order_by("-created_at", "-pk")


class Review(LockedModel):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    viewer_role: str | None  # set by access.get_review_for_user: the viewer's team role
    objects = ReviewQuerySet.as_manager()
    lock = Lock(
        {"status__in": FROZEN_STATUSES},
        FrozenReviewError,
        _("An approved review cannot change."),
        delete_message=_("An approved review cannot be deleted."),
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-pk"]
        base_manager_name = "objects"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(revision_of=models.F("pk")), name="review_not_own_revision"
            )
        ]
        indexes = [
            # the dashboard: newest first within the user's teams / a status / everything
            models.Index(fields=["team", "-created_at", "-id"], name="review_team_created"),
            models.Index(fields=["status", "-created_at", "-id"], name="review_status_created"),
            models.Index(fields=["-created_at", "-id"], name="review_created"),
            # "waiting for me": the user's own drafts, last updated first
            models.Index(
                fields=["owner", "status", "-updated_at", "-id"], name="review_owner_status_upd"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def _may_save_locked(self, update_fields) -> bool:
        """approved -> superseded (`mark_superseded`) is the one change a frozen review allows."""
        return (
            self.status == self.Status.SUPERSEDED
            and update_fields is not None
            and set(update_fields) <= {"status", "updated_at"}
            and Review.objects.filter(pk=self.pk, status=self.Status.APPROVED).exists()
        )

    def mark_superseded(self) -> None:
        """An approved review whose revision has just been approved: the one frozen change."""
        if self.status != self.Status.APPROVED:
            raise FrozenReviewError(_("Only an approved review can be superseded."))
        self.status = self.Status.SUPERSEDED
        self.save(update_fields=["status", "updated_at"])
