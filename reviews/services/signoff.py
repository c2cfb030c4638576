"""Sign-off: request it from named approvers, sign, send back, withdraw.

    draft --request sign-off--> in_review --last signature--> approved (frozen)
      ^                            |
      +---- send back / withdraw --+ (signatures voided)

Requesting sign-off fixes the content under review (`SignoffRequest`): the canonical record and
its SHA-256, and the PDF/A-3 rendered from it once, with an empty signature field in each
approver's box. An approver signs *that* record: the sign form carries its hash, and a
signature for any other hash is refused ("this record changed since you opened it"). Each
signature is a PAdES signature added to the PDF as an incremental update; the last one closes
it with a document timestamp, approves and freezes the review, and stores the PDF as the
`DecisionRecord`. Going back to draft (send back, withdraw) closes the request and voids every
signature; a new request freezes the content again.

The PDF is rendered after the request's commit, outside every lock (the status already locks
answers and decision); a request left without one (its process died) gets it from the first
approver who signs or opens it. Signing renders nothing else: the signature is computed
before the row lock is taken, from the request's PDF as it was read, and stored under the
lock only if nobody signed meanwhile (else it is computed again from the new bytes). Emails
go out only after the commit (`notify=False` skips them, for demo data).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.throttling import check_signing_password

from ..access import Action, check, check_signer
from ..models import (
    Decision,
    DecisionRecord,
    Membership,
    Review,
    ReviewEvent,
    ReviewStateError,
    Signature,
    SignoffRequest,
)
from ..notifications import notify as send_notification
from ..notifications import review_link
from ..notifications import site_url as site_root
from ..records.canonical import record_json
from ..records.content import review_lang
from ..records.markdown import record_markdown
from ..records.pdf import RecordRenderError, record_pdf
from ..records.sections import record_content
from ..records.signoff import frozen_content
from ..signing import pki
from ..signing.pdf import Stamp, add_stamp_fields, field_name, sign_pdf
from .decisions import check_justification
from .locking import locked_review, person, record_event, set_status

__all__ = ["RecordRenderError", "check_signoff_password"]

MAX_COMMENT = 2000
MAX_APPROVERS = 6
SIGN_ATTEMPTS = 3
STALE_RECORD = gettext_lazy(
    "This record changed since you opened it. Read it again before you sign: "
    "your signature was not added."
)


def check_signoff_password(user: Any, password: str) -> None:
    """ValidationError unless `password` is the user's: signing is a deliberate act. The one
    place the sign-off password is checked, throttled like a login (`config.throttling`);
    called outside the review's transaction, so a failed attempt is recorded."""
    check_signing_password(user, password)


def _check_approvers(review: Review, approvers: list[Any]) -> None:
    if not approvers:
        raise ValidationError({"approvers": _("Name at least one approver.")})
    if len({a.pk for a in approvers}) != len(approvers):
        raise ValidationError({"approvers": _("Name each approver once.")})
    if len(approvers) > MAX_APPROVERS:
        raise ValidationError(
            {"approvers": _("Name at most %(n)d approvers.") % {"n": MAX_APPROVERS}}
        )
    allowed = set(
        Membership.objects.filter(
            team=review.team, role=Membership.Role.APPROVER, user__in=approvers
        ).values_list("user_id", flat=True)
    )
    if any(approver.pk not in allowed for approver in approvers):
        raise ValidationError({"approvers": _("Approvers must be the team's approvers.")})


def verify_url(base: str = "") -> str:
    return site_root(base) + reverse("reviews:verify")


def _fix_content(review: Review, request: SignoffRequest) -> None:
    """Fix the request's content, inside the request's transaction: the canonical record and
    its hash (the PDF is rendered from them after the commit, by `ensure_request_pdf`)."""
    canonical = record_json(record_content(review))
    request.canonical_json = canonical.decode("utf-8")
    request.sha256 = hashlib.sha256(canonical).hexdigest()
    request.save(update_fields=["canonical_json", "sha256"])


def _render_request_pdf(review: Review, request: SignoffRequest, *, base: str) -> bytes:
    """The PDF/A-3 of the request's frozen content, with the record inside and an empty
    signature field in each approver's box. No lock is held: this takes about a second."""
    content = frozen_content(request)
    url = verify_url(base)
    markdown = record_markdown(content, sha256=request.sha256, verify_url=url)
    pdf = record_pdf(
        review,
        draft=False,
        content=content,
        sha256=request.sha256,
        verify_url=url,
        ca_fingerprint=pki.authority().ca_fingerprint,
        markdown=markdown,
    )
    return add_stamp_fields(pdf, [field_name(i) for i in range(1, len(content.signoffs) + 1)])


def ensure_request_pdf(review: Review, request: SignoffRequest, *, base: str = "") -> None:
    """Give an open request whose PDF is not made yet (just requested, or its requester's
    process died after the commit) its PDF: rendered outside every lock, stored under the
    review's lock only if the request is still open and still has none (whoever comes first
    stores it; a second render is dropped). RecordRenderError when WeasyPrint fails."""
    if request.pdf_sha256:
        return
    pdf = _render_request_pdf(review, request, base=base)
    with transaction.atomic():
        locked_review(review)
        current = SignoffRequest.objects.get(pk=request.pk)
        if current.state == SignoffRequest.State.PENDING and not current.pdf_sha256:
            current.pdf = pdf
            current.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            current.save(update_fields=["pdf", "pdf_sha256"])
    request.refresh_from_db(fields=["pdf", "pdf_sha256", "state"])


RENDER_FAILED_REASON = gettext_lazy("The record could not be rendered; nothing was signed.")


def _take_back(review: Review, request: SignoffRequest, *, user: Any) -> None:
    """A request whose PDF could not be made (nobody can sign it: signing needs the PDF) is
    withdrawn at once, in the requester's name and with the reason; the review is a draft
    again. The audit trail, append-only, keeps both entries."""
    with transaction.atomic():
        current = locked_review(review)
        found = open_request(current)
        if found is None or found.pk != request.pk or found.pdf_sha256:
            return  # someone else made it, or withdrew it, meanwhile
        with translation.override(review_lang(current)):
            reason = str(RENDER_FAILED_REASON)
        _back_to_draft(current, user=user, action=ReviewEvent.Action.WITHDRAW, reason=reason)


def review_request_signoff(
    *,
    review: Review,
    user: Any,
    approvers: Iterable[Any],
    message: str = "",
    site_url: str = "",
    notify: bool = True,
) -> Review:
    """draft -> in_review: ask the named approvers, in this order (the first signs first; the
    last is the most senior), to sign off the content as it is now. Needs a decision whose
    justification still holds for the current answers; from now on answers and decision are
    locked. Renders the record once (RecordRenderError: nothing changed)."""
    approvers = list(approvers)
    message = message.strip()
    pki.authority()  # PkiError before anything changes: the PDF names the installation's CA
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
        request = _new_request(current, user=user, approvers=approvers, message=message, now=now)
        previous = set_status(current, Review.Status.IN_REVIEW)
        names = ", ".join(person(a) for a in approvers)
        comment = "→ " + names + (f"\n{message}" if message else "")
        action = ReviewEvent.Action.REQUEST_SIGNOFF
        record_event(current, actor=user, action=action, from_status=previous, comment=comment)
        _fix_content(current, request)
    try:  # the render holds no lock: answers and decision are locked by the status already
        ensure_request_pdf(current, request, base=site_url)
    except RecordRenderError:
        _take_back(current, request, user=user)
        raise
    context = {
        "who": person(user),
        "title": current.title,
        "team": current.team.name,
        "message": message,
        "url": review_link("reviews:sign", current, base=site_url),
    }
    send_notification(current, approvers if notify else [], "signoff_requested", context)
    return current


def _new_request(
    review: Review, *, user: Any, approvers: list[Any], message: str, now: Any
) -> SignoffRequest:
    """The request row (its content is frozen once the event is recorded) and one pending
    signature per approver, in the route's order."""
    Signature.objects.filter(review=review).delete()
    last = SignoffRequest.objects.filter(review=review).aggregate(n=Max("number"))["n"] or 0
    request = SignoffRequest.objects.create(
        review=review,
        number=last + 1,
        requested_by=user,
        requested_at=now,
        approver_ids=[a.pk for a in approvers],
        message=message,
        canonical_json="",
        sha256="",
        pdf=b"",
        pdf_sha256="",
    )
    Signature.objects.bulk_create(
        Signature(
            review=review,
            approver=approver,
            requested_by=user,
            requested_at=now,
            request=request,
            order=order,
        )
        for order, approver in enumerate(approvers, start=1)
    )
    return request


def open_request(review: Review) -> SignoffRequest | None:
    """The review's pending sign-off request, if any."""
    return SignoffRequest.objects.filter(review=review, state=SignoffRequest.State.PENDING).first()


def _check_comment(comment: str) -> None:
    if not comment:
        raise ValidationError({"comment": _("Say something about what you sign.")})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": _("The comment is too long.")})


@dataclass(frozen=True)
class _Prepared:
    """A signature computed outside the lock, from the request's PDF as it was read."""

    request_pk: int
    base_sha256: str
    last: bool
    signed_at: Any
    pdf: bytes


def _role_label(user: Any, review: Review) -> str:
    role = (
        Membership.objects.filter(team_id=review.team_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return str(Membership.Role(role).label) if role else ""


def _prepare(review: Review, user: Any, comment: str, sha256: str | None) -> _Prepared:
    """Read the open request and sign its PDF, without any lock: ValidationError when the
    record is not the one the approver read (`sha256`)."""
    request = open_request(review)
    if request is None:
        raise ReviewStateError(_("This review has no open sign-off request."))
    if sha256 is not None and sha256 != request.sha256:
        raise ValidationError(STALE_RECORD)
    ensure_request_pdf(review, request)  # made already, unless its requester's process died
    signature = Signature.objects.filter(
        request=request, approver=user, state=Signature.State.PENDING
    ).first()
    if signature is None:
        raise ValidationError(STALE_RECORD)
    others = Signature.objects.filter(request=request, state=Signature.State.PENDING)
    last = not others.exclude(pk=signature.pk).exists()
    signer = pki.signer_for(user)  # the approver's certificate is issued at their first sign-off
    now = timezone.now()
    with translation.override(review_lang(review)):
        stamp = Stamp(
            name=person(user),
            role=_role_label(user, review),
            when=timezone.localtime(now),
            comment=comment,
        )
    pdf = sign_pdf(
        bytes(request.pdf),
        field=field_name(signature.order),
        signer=signer,
        stamp=stamp,
        reason=comment,
        last=last,
    )
    return _Prepared(request.pk, request.pdf_sha256, last, now, pdf)


def review_sign(
    *,
    review: Review,
    user: Any,
    password: str,
    comment: str,
    sha256: str | None = None,
    site_url: str = "",
    notify: bool = True,
) -> Review:
    """A named approver signs the record they read (`sha256`, the hash their sign form
    carries; None: the current one, for callers without a form), after re-entering their
    password (a deliberate act).

    ValidationError for a wrong password, a missing comment, or a record that changed since
    the form was loaded (STALE_RECORD); PermissionDenied unless the user is a named approver
    who has not signed yet. The last signature approves and freezes the review.
    """
    comment = comment.strip()
    fresh = Review.objects.select_related("team", "owner", "catalog").get(pk=review.pk)
    check_signer(user, fresh)
    _check_comment(comment)
    check_signoff_password(user, password)
    for _attempt in range(SIGN_ATTEMPTS):
        prepared = _prepare(fresh, user, comment, sha256)
        with transaction.atomic():
            current = locked_review(review)
            signature = check_signer(user, current)
            request = open_request(current)
            if request is None or request.pk != prepared.request_pk:
                raise ValidationError(STALE_RECORD)
            if request.pdf_sha256 != prepared.base_sha256:
                continue  # someone signed meanwhile: sign their bytes instead
            _store(current, request, signature, prepared, user=user, comment=comment)
            if prepared.last:
                _freeze(current, request, user=user, comment=comment, base=site_url, notify=notify)
            return current
    raise ValidationError(_("Others were signing at the same moment. Sign again."))


def _store(
    review: Review,
    request: SignoffRequest,
    signature: Signature,
    prepared: _Prepared,
    *,
    user: Any,
    comment: str,
) -> None:
    signature.state = Signature.State.SIGNED
    signature.signed_at = prepared.signed_at
    signature.comment = comment
    signature.save()
    request.pdf = prepared.pdf
    request.pdf_sha256 = hashlib.sha256(prepared.pdf).hexdigest()
    if prepared.last:
        request.state = SignoffRequest.State.APPROVED
        request.closed_at = prepared.signed_at
        request.closed_by = user
    request.save()
    if not prepared.last:
        action = ReviewEvent.Action.SIGN
        record_event(review, actor=user, action=action, from_status=review.status, comment=comment)


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


def _freeze(
    review: Review, request: SignoffRequest, *, user: Any, comment: str, base: str, notify: bool
) -> DecisionRecord:
    """in_review -> approved at the last signature, inside the caller's transaction: the
    event, the superseded predecessor, and the request's record and signed PDF stored as the
    decision record. Nothing is rendered here."""
    previous = set_status(review, Review.Status.APPROVED)
    action = ReviewEvent.Action.SIGN
    record_event(review, actor=user, action=action, from_status=previous, comment=comment)
    _supersede_predecessor(review, user=user)
    record = DecisionRecord.objects.create(
        review=review,
        canonical_json=request.canonical_json,
        sha256=request.sha256,
        pdf=bytes(request.pdf),
        pdf_sha256=request.pdf_sha256,
        created_at=timezone.now(),
        request=request,
    )
    recipients = [review.owner, *(s.approver for s in review.signatures.select_related("approver"))]
    context = {
        "title": review.title,
        "team": review.team.name,
        "sha": request.sha256,
        "url": review_link("reviews:record", review, "pdf", base=base),
    }
    send_notification(review, recipients if notify else [], "approved", context)
    return record


def _back_to_draft(current: Review, *, user: Any, action: str, reason: str) -> list[Any]:
    """in_review -> draft inside the caller's transaction: the open request is closed (sent
    back or withdrawn, with the reason), its signatures are voided (the audit trail keeps who
    signed and when) and the event records the reason. Returns the approvers who had been
    named."""
    if len(reason) > MAX_COMMENT:
        raise ValidationError({"reason": _("The reason is too long.")})
    approvers = [s.approver for s in current.signatures.select_related("approver")]
    request = open_request(current)
    if request is not None:
        sent_back = action == ReviewEvent.Action.SEND_BACK
        request.state = (
            SignoffRequest.State.SENT_BACK if sent_back else SignoffRequest.State.WITHDRAWN
        )
        request.closed_at = timezone.now()
        request.closed_by = user
        request.reason = reason
        request.save()
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
