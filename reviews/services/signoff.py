"""Sign-off: request it from named approvers, sign, send back, withdraw.

    draft --request sign-off--> in_review --last signature--> approved (frozen)
      ^                            |
      +---- send back / withdraw --+ (signatures cleared)

The last signature freezes the review in the same transaction: status approved, the record's
canonical JSON and its SHA-256, the PDF rendered once and stored with its own SHA-256. If
rendering fails, the whole transaction rolls back (nothing is signed or frozen) and
RecordRenderError tells the caller, so signing can be retried. Emails go out only after the
commit (`notify=False` skips them, for demo data).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.throttling import check_signing_password

from ..access import Action, check, check_signer
from ..models import Decision, DecisionRecord, Membership, Review, ReviewEvent, Signature
from ..notifications import notify as send_notification
from ..notifications import review_link
from ..notifications import site_url as site_root
from ..records.canonical import record_json
from ..records.pdf import record_pdf
from ..records.sections import record_content
from .decisions import check_justification
from .locking import locked_review, person, record_event, set_status

MAX_COMMENT = 2000


def _check_approvers(review: Review, approvers: list[Any]) -> None:
    if not approvers:
        raise ValidationError({"approvers": _("Name at least one approver.")})
    allowed = set(
        Membership.objects.filter(
            team=review.team, role=Membership.Role.APPROVER, user__in=approvers
        ).values_list("user_id", flat=True)
    )
    if any(approver.pk not in allowed for approver in approvers):
        raise ValidationError({"approvers": _("Approvers must be the team's approvers.")})


def review_request_signoff(
    *,
    review: Review,
    user: Any,
    approvers: Iterable[Any],
    message: str = "",
    site_url: str = "",
    notify: bool = True,
) -> Review:
    """draft -> in_review: ask the named approvers (one or more of the team's approvers) to
    sign off. Needs a decision whose justification still holds for the current answers;
    from now on answers and decision are locked."""
    approvers = list(approvers)
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.DECIDE)
        decision = Decision.objects.filter(review=current).first()
        if decision is None:
            raise ValidationError(_("Write the decision before requesting sign-off."))
        check_justification(current, decision.pattern, decision.justification)
        _check_approvers(current, approvers)
        if len(message) > MAX_COMMENT:
            raise ValidationError({"message": _("The message is too long.")})
        now = timezone.now()
        Signature.objects.filter(review=current).delete()
        Signature.objects.bulk_create(
            Signature(review=current, approver=approver, requested_by=user, requested_at=now)
            for approver in sorted(approvers, key=lambda a: a.pk)
        )
        previous = set_status(current, Review.Status.IN_REVIEW)
        names = ", ".join(person(a) for a in approvers)
        comment = "→ " + names + (f"\n{message.strip()}" if message.strip() else "")
        action = ReviewEvent.Action.REQUEST_SIGNOFF
        record_event(current, actor=user, action=action, from_status=previous, comment=comment)
        context = {
            "who": person(user),
            "title": current.title,
            "team": current.team.name,
            "message": message.strip(),
            "url": review_link("reviews:sign", current, base=site_url),
        }
        send_notification(current, approvers if notify else [], "signoff_requested", context)
    return current


def review_sign(
    *,
    review: Review,
    user: Any,
    password: str,
    comment: str,
    site_url: str = "",
    notify: bool = True,
) -> Review:
    """A named approver signs, after re-entering their password (a deliberate act).

    The last signature approves and freezes the review in this same transaction (`_freeze`).
    ValidationError for a wrong password or a missing comment; PermissionDenied unless the
    user is a named approver who has not signed yet; RecordRenderError when the PDF cannot be
    rendered (then nothing changed, and signing can be retried).
    """
    comment = comment.strip()
    check_signing_password(user, password)  # throttled; outside the lock (config.throttling)
    with transaction.atomic():
        current = locked_review(review)
        signature = check_signer(user, current)
        if not comment:
            raise ValidationError({"comment": _("Say something about what you sign.")})
        if len(comment) > MAX_COMMENT:
            raise ValidationError({"comment": _("The comment is too long.")})
        signature.state = Signature.State.SIGNED
        signature.signed_at = timezone.now()
        signature.comment = comment
        signature.save()
        if Signature.objects.filter(review=current, state=Signature.State.PENDING).exists():
            action = ReviewEvent.Action.SIGN
            record_event(
                current, actor=user, action=action, from_status=current.status, comment=comment
            )
        else:
            _freeze(current, user=user, comment=comment, base=site_url, notify=notify)
    return current


def _supersede_predecessor(review: Review, *, user: Any) -> None:
    """The approved review this one revises becomes superseded (the one frozen change)."""
    if not review.revision_of_id:
        return
    old = Review.objects.select_for_update(of=("self",)).get(pk=review.revision_of_id)
    if old.status == Review.Status.APPROVED:
        old.mark_superseded()
        record_event(
            old,
            actor=user,
            action=ReviewEvent.Action.SUPERSEDE,
            from_status=Review.Status.APPROVED,
            comment=f"#{review.pk}",
        )


def _freeze(review: Review, *, user: Any, comment: str, base: str, notify: bool) -> DecisionRecord:
    """in_review -> approved at the last signature, inside the caller's transaction: record
    the event, supersede the review this one revises, hash the content, render the PDF once
    and store both. Any error rolls all of it back."""
    previous = set_status(review, Review.Status.APPROVED)
    action = ReviewEvent.Action.SIGN
    record_event(review, actor=user, action=action, from_status=previous, comment=comment)
    _supersede_predecessor(review, user=user)
    content = record_content(review)
    canonical = record_json(content)
    sha256 = hashlib.sha256(canonical).hexdigest()
    verify_url = site_root(base) + reverse("reviews:verify")
    pdf = record_pdf(review, draft=False, content=content, sha256=sha256, verify_url=verify_url)
    record = DecisionRecord.objects.create(
        review=review,
        canonical_json=canonical.decode("utf-8"),
        sha256=sha256,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        created_at=timezone.now(),
    )
    recipients = [review.owner, *(s.approver for s in review.signatures.select_related("approver"))]
    context = {
        "title": review.title,
        "team": review.team.name,
        "sha": sha256,
        "url": review_link("reviews:record", review, "pdf", base=base),
    }
    send_notification(review, recipients if notify else [], "approved", context)
    return record


def _back_to_draft(current: Review, *, user: Any, action: str, reason: str) -> list[Any]:
    """in_review -> draft inside the caller's transaction: the signatures are cleared (the
    audit trail keeps who signed and when) and the event records the reason. Returns the
    approvers who had been named."""
    if len(reason) > MAX_COMMENT:
        raise ValidationError({"reason": _("The reason is too long.")})
    approvers = [s.approver for s in current.signatures.select_related("approver")]
    Signature.objects.filter(review=current).delete()
    previous = set_status(current, Review.Status.DRAFT)
    record_event(current, actor=user, action=action, from_status=previous, comment=reason)
    return approvers


def review_send_back(
    *, review: Review, user: Any, reason: str, site_url: str = "", notify: bool = True
) -> Review:
    """in_review -> draft: a named approver sends it back with a reason; the reviewer who owns
    it and the other approvers are told."""
    reason = reason.strip()
    with transaction.atomic():
        current = locked_review(review)
        check_signer(user, current)
        if not reason:
            raise ValidationError({"reason": _("Say why you send it back.")})
        action = ReviewEvent.Action.SEND_BACK
        approvers = _back_to_draft(current, user=user, action=action, reason=reason)
        recipients = [current.owner, *(a for a in approvers if a.pk != user.pk)]
        context = {
            "who": person(user),
            "title": current.title,
            "reason": reason,
            "url": review_link("reviews:detail", current, base=site_url),
        }
        send_notification(current, recipients if notify else [], "sent_back", context)
    return current


def review_withdraw(
    *, review: Review, user: Any, reason: str, site_url: str = "", notify: bool = True
) -> Review:
    """in_review -> draft: a reviewer of the team takes the sign-off request back (to change
    something, or when the named approvers can no longer sign); the approvers are told."""
    reason = reason.strip()
    with transaction.atomic():
        current = locked_review(review)
        check(user, current, Action.WITHDRAW)
        if not reason:
            raise ValidationError({"reason": _("Say why you withdraw the request.")})
        action = ReviewEvent.Action.WITHDRAW
        approvers = _back_to_draft(current, user=user, action=action, reason=reason)
        context = {
            "who": person(user),
            "title": current.title,
            "reason": reason,
            "url": review_link("reviews:detail", current, base=site_url),
        }
        recipients = [a for a in approvers if a.pk != user.pk]
        send_notification(current, recipients if notify else [], "withdrawn", context)
    return current
