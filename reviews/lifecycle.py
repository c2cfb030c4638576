"""The review lifecycle: the decision, the risk register, sign-off, sending back, revising.

    draft --request sign-off--> in_review --last signature--> approved
      ^                            |                                  |
      +-------- send back ---------+ (signatures cleared)             | its revision approved
                                                                      v
    revise (approved): a new linked draft                         superseded

Each function is one write (keyword-only, atomic, on the review row locked first), checks who
may do it through `reviews.access`, and records every status change as a ReviewEvent. The last
signature freezes the review in the same transaction: status approved, the record's canonical
JSON and its SHA-256, the PDF rendered once and stored with its own SHA-256. If rendering
fails, the whole transaction rolls back (nothing is signed or frozen) and RecordRenderError
tells the caller, so signing can be retried. Emails go out only after the commit (`notify=False`
skips them, for demo data).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from patterns.explanation import Explanation
from patterns.models import Statement, pick
from patterns.services import compiled_catalog

from .access import Action, check, check_signer
from .models import (
    Answer,
    Decision,
    DecisionRecord,
    Membership,
    Review,
    ReviewEvent,
    Risk,
    Signature,
)
from .records.canonical import record_json
from .records.content import review_lang
from .records.pdf import RecordRenderError, record_pdf
from .records.sections import record_content
from .selectors import review_answers, review_recommendation

logger = logging.getLogger(__name__)

MIN_JUSTIFICATION = 10  # characters; Japanese says a lot in ten
MAX_COMMENT = 2000

__all__ = [
    "RecordRenderError",
    "decision_prefill",
    "decision_problem",
    "decision_save",
    "review_request_signoff",
    "review_revise",
    "review_send_back",
    "review_sign",
    "risk_add",
    "risk_remove",
]


def _locked(review: Review) -> Review:
    """The review re-read inside the transaction, its row locked (PostgreSQL; SQLite
    serializes writers anyway)."""
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("team", "owner", "catalog")
        .get(pk=review.pk)
    )


def _event(review: Review, *, actor, action: str, from_status: str, comment: str = "") -> None:
    ReviewEvent.objects.create(
        review=review,
        actor=actor,
        at=timezone.now(),
        action=action,
        from_status=from_status,
        to_status=review.status,
        comment=comment,
    )


def _set_status(review: Review, status: str) -> str:
    """Change the status (the row is locked); returns the previous one."""
    previous = review.status
    review.status = status
    review.save(update_fields=["status", "updated_at"])
    return previous


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _site_url(site_url: str) -> str:
    return (site_url or getattr(settings, "SITE_URL", "")).rstrip("/")


def _notify(review: Review, recipients: Iterable, *, subject: str, body: str) -> None:
    """Email each recipient (one message each) after the transaction commits."""
    emails = sorted({user.email for user in recipients if user.email})
    if not emails:
        return
    prefix = "[Hakari] "
    messages = [(prefix + subject, body, None, [email]) for email in emails]

    def send() -> None:
        try:
            send_mass_mail(messages, fail_silently=False)
        except Exception:  # a mail server problem must not undo a sign-off
            logger.exception("could not email %s about review %s", emails, review.pk)

    transaction.on_commit(send)


# --- the decision and its risks -----------------------------------------------------------


def decision_prefill(review: Review, pattern: str) -> tuple[str, str]:
    """The catalog's merits (good) and demerits (bad) of `pattern`, one per line, in the
    review's language: where the consequences start before the team edits them."""
    lang = review_lang(review)
    statements = Statement.objects.filter(
        pattern__catalog_id=review.catalog_id, pattern__key=pattern
    ).order_by("criterion__order", "order", "pk")
    good = [f"- {pick(s, 'text', lang)}" for s in statements if s.kind == Statement.Kind.MERIT]
    bad = [f"- {pick(s, 'text', lang)}" for s in statements if s.kind == Statement.Kind.DEMERIT]
    return "\n".join(good), "\n".join(bad)


def decision_problem(explained: Explanation, pattern: str) -> str | None:
    """Why choosing `pattern` needs a justification (not recommended, or excluded), or None."""
    entry = explained.entry(pattern)
    if entry is None:
        return _("“%(pattern)s” is not an option of this catalog.") % {"pattern": pattern}
    if entry.excluded:
        reasons = "; ".join(x.text for x in entry.exclusions)
        return _("“%(name)s” is excluded by the answers (%(reasons)s).") % {
            "name": entry.name,
            "reasons": reasons,
        }
    recommended = explained.recommended()
    if pattern not in recommended:
        names = ", ".join(e.name for e in explained.entries if e.pattern in recommended)
        return _("“%(name)s” is not the recommended option (%(recommended)s).") % {
            "name": entry.name,
            "recommended": names,
        }
    return None


def _check_justification(review: Review, pattern: str, justification: str) -> None:
    explained = review_recommendation(review, review_answers(review), lang=review_lang(review))
    problem = decision_problem(explained, pattern)
    if problem and len(justification.strip()) < MIN_JUSTIFICATION:
        raise ValidationError(
            {
                "justification": problem
                + " "
                + _("Say in the justification why it was chosen (at least %(n)d characters).")
                % {"n": MIN_JUSTIFICATION}
            }
        )


def decision_save(
    *,
    review: Review,
    user,
    pattern: str,
    justification: str = "",
    consequences_good: str = "",
    consequences_bad: str = "",
    confirmation: str = "",
) -> Decision:
    """Write (or rewrite) the draft review's decision.

    Blank consequences are filled from the catalog's merits and demerits of `pattern`. When
    `pattern` is not the recommended option, or is excluded, the justification must say why:
    ValidationError (keyed by field) otherwise. FrozenReviewError unless the review is a
    draft; PermissionDenied unless `user` is one of the team's reviewers.
    """
    with transaction.atomic():
        current = _locked(review)
        check(user, current, Action.DECIDE)
        if pattern not in compiled_catalog(current.catalog).patterns:
            raise ValidationError(
                {
                    "pattern": _("“%(pattern)s” is not an option of this catalog.")
                    % {"pattern": pattern}
                }
            )
        _check_justification(current, pattern, justification)
        if not consequences_good.strip() or not consequences_bad.strip():
            good, bad = decision_prefill(current, pattern)
            consequences_good = consequences_good if consequences_good.strip() else good
            consequences_bad = consequences_bad if consequences_bad.strip() else bad
        decision = Decision.objects.filter(review=current).first() or Decision(review=current)
        decision.pattern = pattern
        decision.justification = justification.strip()
        decision.consequences_good = consequences_good.strip()
        decision.consequences_bad = consequences_bad.strip()
        decision.confirmation = confirmation.strip()
        decision.decided_by = user
        decision.full_clean()
        decision.save()
    return decision


def risk_add(
    *,
    review: Review,
    user,
    description: str,
    owner_user=None,
    owner_name: str = "",
    mitigation: str = "",
    review_on: date | None = None,
) -> Risk:
    """Add an accepted risk to the draft review's register (owner: a team member or a name)."""
    with transaction.atomic():
        current = _locked(review)
        check(user, current, Action.DECIDE)
        if (
            owner_user is not None
            and not Membership.objects.filter(team=current.team, user=owner_user).exists()
        ):
            raise ValidationError({"owner_user": _("The owner must be a member of the team.")})
        risk = Risk(
            review=current,
            description=description.strip(),
            owner_user=owner_user,
            owner_name=owner_name.strip() if owner_user is None else "",
            mitigation=mitigation.strip(),
            review_on=review_on,
        )
        risk.full_clean()
        risk.save()
    return risk


def risk_remove(*, review: Review, user, risk_id: int) -> None:
    """Remove a risk from the draft review's register."""
    with transaction.atomic():
        current = _locked(review)
        check(user, current, Action.DECIDE)
        risk = Risk.objects.filter(review=current, pk=risk_id).first()
        if risk is None:
            raise ValidationError(_("No such risk on this review."))
        risk.delete()


# --- sign-off -----------------------------------------------------------------------------


def review_request_signoff(
    *,
    review: Review,
    user,
    approvers: Iterable,
    message: str = "",
    site_url: str = "",
    notify: bool = True,
) -> Review:
    """draft -> in_review: ask the named approvers (one or more of the team's approvers) to
    sign off. Needs a decision whose justification still holds for the current answers;
    from now on answers and decision are locked."""
    approvers = list(approvers)
    with transaction.atomic():
        current = _locked(review)
        check(user, current, Action.DECIDE)
        decision = Decision.objects.filter(review=current).first()
        if decision is None:
            raise ValidationError(_("Write the decision before requesting sign-off."))
        _check_justification(current, decision.pattern, decision.justification)
        if not approvers:
            raise ValidationError({"approvers": _("Name at least one approver.")})
        allowed = set(
            Membership.objects.filter(
                team=current.team, role=Membership.Role.APPROVER, user__in=approvers
            ).values_list("user_id", flat=True)
        )
        if any(approver.pk not in allowed for approver in approvers):
            raise ValidationError({"approvers": _("Approvers must be the team's approvers.")})
        if len(message) > MAX_COMMENT:
            raise ValidationError({"message": _("The message is too long.")})
        now = timezone.now()
        Signature.objects.filter(review=current).delete()
        Signature.objects.bulk_create(
            Signature(review=current, approver=approver, requested_by=user, requested_at=now)
            for approver in sorted(approvers, key=lambda a: a.pk)
        )
        previous = _set_status(current, Review.Status.IN_REVIEW)
        names = ", ".join(_person(a) for a in approvers)
        comment = "→ " + names + (f"\n{message.strip()}" if message.strip() else "")
        _event(
            current,
            actor=user,
            action=ReviewEvent.Action.REQUEST_SIGNOFF,
            from_status=previous,
            comment=comment,
        )
        base = _site_url(site_url)
        with translation.override(review_lang(current)):
            _notify(
                current,
                approvers if notify else [],
                subject=_("Your sign-off is requested: %(title)s") % {"title": current.title},
                body=_(
                    "%(who)s asks you to sign off the decision record “%(title)s” (%(team)s).\n"
                    "\n%(message)s\n\nRead it and sign, or send it back: %(url)s\n"
                )
                % {
                    "who": _person(user),
                    "title": current.title,
                    "team": current.team.name,
                    "message": message.strip(),
                    "url": base + reverse("reviews:sign", args=[current.pk]),
                },
            )
    return current


def review_sign(
    *,
    review: Review,
    user,
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
    with transaction.atomic():
        current = _locked(review)
        signature = check_signer(user, current)
        if not comment:
            raise ValidationError({"comment": _("Say something about what you sign.")})
        if len(comment) > MAX_COMMENT:
            raise ValidationError({"comment": _("The comment is too long.")})
        if not password or not user.check_password(password):
            raise ValidationError({"password": _("That is not your password.")})
        signature.state = Signature.State.SIGNED
        signature.signed_at = timezone.now()
        signature.comment = comment
        signature.save()
        if Signature.objects.filter(review=current, state=Signature.State.PENDING).exists():
            _event(
                current,
                actor=user,
                action=ReviewEvent.Action.SIGN,
                from_status=current.status,
                comment=comment,
            )
        else:
            _freeze(current, user=user, comment=comment, site_url=site_url, notify=notify)
    return current


def _freeze(
    review: Review, *, user, comment: str, site_url: str, notify: bool = True
) -> DecisionRecord:
    """in_review -> approved at the last signature, inside the caller's transaction: record
    the event, supersede the review this one revises, hash the content, render the PDF once
    and store both. Any error rolls all of it back."""
    previous = _set_status(review, Review.Status.APPROVED)
    _event(
        review, actor=user, action=ReviewEvent.Action.SIGN, from_status=previous, comment=comment
    )
    if review.revision_of_id:
        old = Review.objects.select_for_update(of=("self",)).get(pk=review.revision_of_id)
        if old.status == Review.Status.APPROVED:
            old.mark_superseded()
            _event(
                old,
                actor=user,
                action=ReviewEvent.Action.SUPERSEDE,
                from_status=Review.Status.APPROVED,
                comment=f"#{review.pk}",
            )
    content = record_content(review)
    canonical = record_json(content)
    sha256 = hashlib.sha256(canonical).hexdigest()
    base = _site_url(site_url)
    pdf = record_pdf(
        review,
        draft=False,
        content=content,
        sha256=sha256,
        verify_url=base + reverse("reviews:verify"),
    )
    record = DecisionRecord.objects.create(
        review=review,
        canonical_json=canonical.decode("utf-8"),
        sha256=sha256,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        created_at=timezone.now(),
    )
    recipients = [review.owner, *(s.approver for s in review.signatures.select_related("approver"))]
    if not notify:
        recipients = []
    with translation.override(review_lang(review)):
        _notify(
            review,
            recipients,
            subject=_("Approved: %(title)s") % {"title": review.title},
            body=_(
                "Every approver has signed “%(title)s” (%(team)s). The decision record is "
                "frozen.\n\nRecord SHA-256: %(sha)s\nDownload it: %(url)s\n"
            )
            % {
                "title": review.title,
                "team": review.team.name,
                "sha": sha256,
                "url": base + reverse("reviews:record", args=[review.pk, "pdf"]),
            },
        )
    return record


def _back_to_draft(current: Review, *, user, action: str, reason: str) -> list:
    """in_review -> draft inside the caller's transaction: the signatures are cleared (the
    audit trail keeps who signed and when) and the event records the reason. Returns the
    approvers who had been named."""
    if len(reason) > MAX_COMMENT:
        raise ValidationError({"reason": _("The reason is too long.")})
    approvers = [s.approver for s in current.signatures.select_related("approver")]
    Signature.objects.filter(review=current).delete()
    previous = _set_status(current, Review.Status.DRAFT)
    _event(current, actor=user, action=action, from_status=previous, comment=reason)
    return approvers


def review_send_back(
    *, review: Review, user, reason: str, site_url: str = "", notify: bool = True
) -> Review:
    """in_review -> draft: a named approver sends it back with a reason; the reviewer who owns
    it and the other approvers are told."""
    reason = reason.strip()
    with transaction.atomic():
        current = _locked(review)
        check_signer(user, current)
        if not reason:
            raise ValidationError({"reason": _("Say why you send it back.")})
        approvers = _back_to_draft(
            current, user=user, action=ReviewEvent.Action.SEND_BACK, reason=reason
        )
        with translation.override(review_lang(current)):
            _notify(
                current,
                [current.owner, *(a for a in approvers if a.pk != user.pk)] if notify else [],
                subject=_("Sent back: %(title)s") % {"title": current.title},
                body=_("%(who)s sent “%(title)s” back to draft:\n\n%(reason)s\n\n%(url)s\n")
                % {
                    "who": _person(user),
                    "title": current.title,
                    "reason": reason,
                    "url": _site_url(site_url) + reverse("reviews:detail", args=[current.pk]),
                },
            )
    return current


def review_withdraw(
    *, review: Review, user, reason: str, site_url: str = "", notify: bool = True
) -> Review:
    """in_review -> draft: a reviewer of the team takes the sign-off request back (to change
    something, or when the named approvers can no longer sign); the approvers are told."""
    reason = reason.strip()
    with transaction.atomic():
        current = _locked(review)
        check(user, current, Action.WITHDRAW)
        if not reason:
            raise ValidationError({"reason": _("Say why you withdraw the request.")})
        approvers = _back_to_draft(
            current, user=user, action=ReviewEvent.Action.WITHDRAW, reason=reason
        )
        with translation.override(review_lang(current)):
            _notify(
                current,
                [a for a in approvers if a.pk != user.pk] if notify else [],
                subject=_("Sign-off request withdrawn: %(title)s") % {"title": current.title},
                body=_(
                    "%(who)s withdrew the sign-off request for “%(title)s”:\n\n"
                    "%(reason)s\n\n%(url)s\n"
                )
                % {
                    "who": _person(user),
                    "title": current.title,
                    "reason": reason,
                    "url": _site_url(site_url) + reverse("reviews:detail", args=[current.pk]),
                },
            )
    return current


def review_revise(*, review: Review, user) -> Review:
    """Start a revision of an approved review: a new draft copied from it (answers, notes,
    weights, cost inputs, decision, risks), linked by `revision_of`. The approved review
    stays as it is until the revision is approved; then it becomes superseded. When an open
    revision exists already, that one is returned."""
    with transaction.atomic():
        current = _locked(review)
        check(user, current, Action.REVISE)
        existing = (
            Review.objects.filter(
                revision_of=current, status__in=[Review.Status.DRAFT, Review.Status.IN_REVIEW]
            )
            .order_by("-pk")
            .first()
        )
        if existing is not None:
            return existing
        new = Review(
            team=current.team,
            owner=user,
            title=current.title,
            context=current.context,
            catalog=current.catalog,
            language=current.language,
            weights=current.weights,
            cost_inputs=current.cost_inputs,
            revision_of=current,
        )
        new.full_clean()
        new.save()
        Answer.objects.bulk_create(
            Answer(
                review=new,
                question=a.question,
                choice=a.choice,
                note=a.note,
                answered_by_id=a.answered_by_id,
                answered_at=a.answered_at,
            )
            for a in Answer.objects.filter(review=current)
        )
        decision = Decision.objects.filter(review=current).first()
        if decision is not None:
            Decision.objects.create(
                review=new,
                pattern=decision.pattern,
                justification=decision.justification,
                consequences_good=decision.consequences_good,
                consequences_bad=decision.consequences_bad,
                confirmation=decision.confirmation,
                decided_by=decision.decided_by,
            )
        Risk.objects.bulk_create(
            Risk(
                review=new,
                description=r.description,
                owner_user_id=r.owner_user_id,
                owner_name=r.owner_name,
                mitigation=r.mitigation,
                review_on=r.review_on,
            )
            for r in Risk.objects.filter(review=current)
        )
        _event(
            new,
            actor=user,
            action=ReviewEvent.Action.REVISE,
            from_status="",
            comment=f"#{current.pk}",
        )
    return new
