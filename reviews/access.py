"""Who may do what with a review: the one place where review access is decided.

Seeing a review: members of its team and site staff (`Review.objects.visible_to`). Anyone else
gets 404 for the review and every URL under it, so nothing tells them it exists. What a member
may do depends on the role and the review's status (`can`), and is 403 when refused. Signing
(or sending back) also needs a pending sign-off naming the user (`check_signer`). Exports of
the decision record are VIEW.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import FrozenReviewError, Membership, Review


class Action(StrEnum):
    VIEW = "view"
    ANSWER = "answer"  # answers, notes, weights, title/context
    ESTIMATE = "estimate"  # the cost-estimate inputs: reviewers and stakeholders, while a draft
    DECIDE = "decide"  # write the decision, request sign-off
    SIGN = "sign"  # sign off or send back (a named approver)
    REVISE = "revise"  # start a revision of an approved review
    WITHDRAW = "withdraw"  # take a sign-off request back to draft (a reviewer)


Role = Membership.Role


def role_of(user, review: Review) -> str | None:
    """The user's role in the review's team, or None (site staff outside the team)."""
    return (
        Membership.objects.filter(team_id=review.team_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


def can(user, review: Review, action: Action | str, *, role: str | None = None) -> bool:
    """May `user` (who can see `review`) do `action` on it now?"""
    role = role if role is not None else role_of(user, review)
    if action == Action.VIEW:
        return True
    if action in (Action.ANSWER, Action.DECIDE):
        return role == Role.REVIEWER and review.status == Review.Status.DRAFT
    if action == Action.ESTIMATE:
        return role in (Role.REVIEWER, Role.STAKEHOLDER) and review.status == Review.Status.DRAFT
    if action == Action.SIGN:
        return role == Role.APPROVER and review.status == Review.Status.IN_REVIEW
    if action == Action.REVISE:
        return role == Role.REVIEWER and review.status == Review.Status.APPROVED
    if action == Action.WITHDRAW:
        return role == Role.REVIEWER and review.status == Review.Status.IN_REVIEW
    return False


def check(user, review: Review, action: Action | str) -> None:
    """Raise unless `user` may do `action`: PermissionDenied when their role never allows it,
    FrozenReviewError (with a message for the page) when the review's status does not now."""
    role = getattr(review, "viewer_role", None) or role_of(user, review)
    if can(user, review, action, role=role):
        return
    needed = {  # action -> (roles that may ever do it, the status it needs)
        Action.ANSWER: ((Role.REVIEWER,), Review.Status.DRAFT),
        Action.ESTIMATE: ((Role.REVIEWER, Role.STAKEHOLDER), Review.Status.DRAFT),
        Action.DECIDE: ((Role.REVIEWER,), Review.Status.DRAFT),
        Action.SIGN: ((Role.APPROVER,), Review.Status.IN_REVIEW),
        Action.REVISE: ((Role.REVIEWER,), Review.Status.APPROVED),
        Action.WITHDRAW: ((Role.REVIEWER,), Review.Status.IN_REVIEW),
    }.get(action)
    if needed is None or role not in needed[0]:
        raise PermissionDenied
    raise FrozenReviewError(
        _("This review is %(status)s; that is only possible while it is %(needed)s.")
        % {"status": review.get_status_display(), "needed": Review.Status(needed[1]).label}
    )


def pending_signature(user, review: Review):
    """The user's pending sign-off on `review`, or None: only named approvers sign."""
    from .models import Signature

    return Signature.objects.filter(
        review_id=review.pk, approver_id=user.pk, state=Signature.State.PENDING
    ).first()


def check_signer(user, review: Review):
    """`check(user, review, Action.SIGN)`, and the user must be a named approver who has not
    signed yet (PermissionDenied otherwise). Returns their pending Signature."""
    check(user, review, Action.SIGN)
    signature = pending_signature(user, review)
    if signature is None:
        raise PermissionDenied
    return signature


def get_review_for_user(user, pk: int, action: Action | str = Action.VIEW) -> Review:
    """The review `pk` if `user` may see it (else 404) and may do `action` (else 403)."""
    review = get_object_or_404(
        Review.objects.visible_to(user).select_related("team", "owner", "catalog"),
        pk=pk,
    )
    review.viewer_role = role_of(user, review)
    if not can(user, review, action, role=review.viewer_role):
        raise PermissionDenied
    return review
