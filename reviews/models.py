"""Teams, reviews and their answers, decisions, sign-offs and the frozen decision record.

Access is decided in one place: `Review.objects.visible_to(user)` (what a user may see) and
`reviews.access` (what they may do). Once a review is approved, its answers, decision, risks
and sign-offs are frozen, the audit trail and the record append-only: the rows refuse to change
by any ORM path (`FrozenReviewError`, `patterns.immutability`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from patterns.immutability import Lock, LockedModel, LockedQuerySet, alters_data
from patterns.models import Catalog


class ReviewStateError(Exception):
    """The review is not in the status an action needs (e.g. signing a draft); the message
    says which status it is in and which one the action needs, for the page."""


class FrozenReviewError(ReviewStateError):
    """Raised when something tries to change a review that is no longer editable."""


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
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
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_team_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team} ({self.role})"


FROZEN_STATUSES = ("approved", "superseded")
FROZEN_MESSAGE = _("This review is approved: its record is frozen and cannot change.")
APPEND_ONLY_MESSAGE = _("These rows are append-only.")


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


class SignoffRequest(FrozenGuardedModel):
    """One request for sign-off: the content under review, frozen when it was requested.

    `canonical_json` and its `sha256` are the record the approvers read and sign; `pdf` is the
    PDF/A-3 rendered from it once, then extended by one PAdES signature per approver
    (incremental updates), `pdf_sha256` the hash of its current bytes. `approver_ids` is the
    approval route in the order chosen at the request (first to sign first; the last is the
    most senior, whose box is leftmost). A request is pending until the last signature
    (approved) or until it is withdrawn or sent back; then it never changes (`lock`), so
    /verify/ can still say what became of any file it produced.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for signatures")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SENT_BACK = "sent_back", _("Sent back")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="signoff_requests")
    number = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    approver_ids = models.JSONField(default=list)
    message = models.TextField(blank=True, max_length=2000)
    canonical_json = models.TextField()
    sha256 = models.CharField(max_length=64, db_index=True)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=2000)

    class Meta(FrozenGuardedModel.Meta):
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="signoff_request_number"),
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(state="pending"),
                name="signoff_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"sign-off request {self.number} of {self.review_id} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PENDING


class SignerCertificate(models.Model):
    """An approver's signing certificate, issued by the installation CA at their first
    sign-off (`reviews.signing.pki`). `key_pem` is the private key, PKCS#8 encrypted with the
    installation passphrase (never stored in clear); empty when the key lives in an HSM."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signer_certificates"
    )
    serial = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64, unique=True)
    ca_fingerprint = models.CharField(max_length=64)
    cert_pem = models.TextField()
    key_pem = models.TextField(blank=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"certificate {self.serial[:12]} of {self.user}"


class Signature(FrozenGuardedModel):
    """A sign-off requested from one named approver; signed with a comment, or still pending.

    Sending a review back deletes its signatures (the audit trail keeps what happened). `order`
    is the approver's place in the request's approval route (1 signs first).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SIGNED = "signed", _("Signed")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="signatures")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    signed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    request = models.ForeignKey(
        SignoffRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="signatures"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(FrozenGuardedModel.Meta):
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["order", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "approver"], name="signature_review_user"),
            models.CheckConstraint(  # signed, with its time; or pending, without one
                condition=models.Q(state="signed", signed_at__isnull=False)
                | models.Q(state="pending", signed_at__isnull=True),
                name="signature_signed_at",
            ),
        ]
        indexes = [models.Index(fields=["approver", "state"], name="signature_approver_state")]

    def __str__(self) -> str:
        return f"{self.approver} on {self.review_id}: {self.state}"


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


class ReviewTemplate(models.Model):
    """A team's pre-filled answers (and criterion weights) for one catalog version, to start a
    review from. `answers` is `{question key: {"choice": key or "", "note": text}}`, taken
    from a review by `services.templates.template_create`."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="review_templates"
    )
    name = models.CharField(_("name"), max_length=200)
    catalog = models.ForeignKey(
        Catalog, verbose_name=_("catalog version"), on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    weights = models.JSONField(_("criterion weights"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review template")
        verbose_name_plural = _("review templates")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="review_template_team_name")
        ]

    def __str__(self) -> str:
        return self.name
