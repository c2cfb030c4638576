"""Who may do what with a review: the one place where review access is decided.

Seeing a review: members of its team and site staff (`Review.objects.visible_to`). Anyone else
gets 404 for the review and every URL under it, so nothing tells them it exists. What a member
may do is one table, `PERMISSIONS` (action -> the roles that may ever do it, and the statuses
in which they may); every check below derives from it. A role outside the row is 403
(PermissionDenied); the right role at the wrong status is a ReviewStateError whose message
names both statuses (FrozenReviewError, a kind of it, when the review is approved). Signing
(or sending back) also needs a pending sign-off naming the user (`check_signer`). Exports of
the decision record are VIEW.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import (
    FROZEN_STATUSES,
    FrozenReviewError,
    Membership,
    Review,
    ReviewStateError,
    Signature,
)


class Action(StrEnum):
    VIEW = "view"
    ANSWER = "answer"  # answers, notes, weights, title/context
    ESTIMATE = "estimate"  # the cost-estimate inputs
    DECIDE = "decide"  # write the decision and its risks, request sign-off
    SIGN = "sign"  # sign off or send back (a named approver)
    REVISE = "revise"  # start a revision of an approved review
    WITHDRAW = "withdraw"  # take a sign-off request back to draft
    MOVE_CATALOG = "move_catalog"  # move a draft to the newest version of its catalog
    CLONE = "clone"  # start a new draft from this review's answers and notes
    TEMPLATE = "template"  # save this review's answers as a team template


Role = Membership.Role
Status = Review.Status
ANY_ROLE = frozenset({*Role, None})  # None: site staff outside the team
ANY_STATUS = frozenset(Status)

# action -> (roles that may do it, statuses in which they may)
PERMISSIONS: dict[Action, tuple[frozenset[Role | None], frozenset[Status]]] = {
    Action.VIEW: (ANY_ROLE, ANY_STATUS),
    Action.ANSWER: (frozenset({Role.REVIEWER}), frozenset({Status.DRAFT})),
    Action.ESTIMATE: (frozenset({Role.REVIEWER, Role.STAKEHOLDER}), frozenset({Status.DRAFT})),
    Action.DECIDE: (frozenset({Role.REVIEWER}), frozenset({Status.DRAFT})),
    Action.SIGN: (frozenset({Role.APPROVER}), frozenset({Status.IN_REVIEW})),
    Action.REVISE: (frozenset({Role.REVIEWER}), frozenset({Status.APPROVED})),
    Action.WITHDRAW: (frozenset({Role.REVIEWER}), frozenset({Status.IN_REVIEW})),
    Action.MOVE_CATALOG: (frozenset({Role.REVIEWER}), frozenset({Status.DRAFT})),
    Action.CLONE: (frozenset({Role.REVIEWER}), ANY_STATUS),
    Action.TEMPLATE: (frozenset({Role.REVIEWER}), ANY_STATUS),
}


def can_start_review(user: Any) -> bool:
    """Starting a review (blank, from a template or a clone) is for reviewers of some team."""
    return Membership.objects.filter(user_id=user.pk or 0, role=Role.REVIEWER).exists()


def role_of(user: Any, review: Review) -> str | None:
    """The user's role in the review's team (None: site staff outside the team). Read from
    `viewer_role` when the review was fetched by `get_review_for_user`, else one query."""
    if hasattr(review, "viewer_role"):
        return review.viewer_role
    return (
        Membership.objects.filter(team_id=review.team_id, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


def can(user: Any, review: Review, action: Action | str, *, role: str | None = None) -> bool:
    """May `user` (who can see `review`) do `action` on it now?"""
    roles, statuses = PERMISSIONS[Action(action)]
    role = role if role is not None else role_of(user, review)
    return role in roles and review.status in statuses


def check(user: Any, review: Review, action: Action | str) -> None:
    """Raise unless `user` may do `action`: PermissionDenied when their role never allows it,
    ReviewStateError (with a message for the page) when the review's status does not now."""
    roles, statuses = PERMISSIONS[Action(action)]
    if role_of(user, review) not in roles:
        raise PermissionDenied
    if review.status not in statuses:
        needed = ", ".join(str(Status(s).label) for s in Status if s in statuses)
        error = FrozenReviewError if review.status in FROZEN_STATUSES else ReviewStateError
        raise error(
            _("This review is %(status)s; that is only possible while it is %(needed)s.")
            % {"status": review.get_status_display(), "needed": needed}
        )


def pending_signature(user: Any, review: Review) -> Signature | None:
    """The user's pending sign-off on `review`, or None: only named approvers sign."""
    return Signature.objects.filter(
        review_id=review.pk, approver_id=user.pk, state=Signature.State.PENDING
    ).first()


def check_signer(user: Any, review: Review) -> Signature:
    """`check(user, review, Action.SIGN)`, and the user must be a named approver who has not
    signed yet (PermissionDenied otherwise). Returns their pending Signature."""
    check(user, review, Action.SIGN)
    signature = pending_signature(user, review)
    if signature is None:
        raise PermissionDenied
    return signature


def _reviews_with_role(user: Any) -> QuerySet[Review]:
    """The reviews `user` may see (as `Review.objects.visible_to`), each with the user's role
    in its team as `viewer_role`. A member's reviews are found through one join to their
    membership (unique per team), which gives the role too: cheaper to build than the two
    subqueries site staff, who see every review, member or not, need."""
    if not user.is_authenticated or user.is_staff:
        role = Membership.objects.filter(team_id=OuterRef("team_id"), user_id=user.pk)
        return Review.objects.visible_to(user).annotate(
            viewer_role=Subquery(role.values("role")[:1])
        )
    return Review.objects.filter(team__memberships__user_id=user.pk).annotate(
        viewer_role=F("team__memberships__role")
    )


def get_review_for_user(user: Any, pk: int, action: Action | str = Action.VIEW) -> Review:
    """The review `pk` if `user` may see it (else 404) and may do `action` (else 403), with
    the user's role in its team (`viewer_role`) read in the same query."""
    review = get_object_or_404(
        _reviews_with_role(user).select_related("team", "owner", "catalog"), pk=pk
    )
    if not can(user, review, action, role=review.viewer_role):
        raise PermissionDenied
    return review
