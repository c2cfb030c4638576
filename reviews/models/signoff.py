"""Sign-off: the requests (the content frozen for signing), the approvers' signatures and their
signing certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import FrozenGuardedModel
from .reviews import Review


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
