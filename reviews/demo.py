"""Demo data: a team, one user per role and reviews in every state, built through the services.

`seed_demo` calls `demo_seed`; the benchmark builds its decision record from the same pieces.
What the reviews say (answers, notes, cost inputs, decisions, risks, sign-off comments) is the
story of the catalog's kind (`patterns.kinds.<kind>.demo`), so this module names no catalog
key. Every function is idempotent where seed_demo needs it: a review that exists (found by its
title in the team) is returned as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from patterns.kinds import for_catalog
from patterns.kinds.base import DemoDecision, DemoReview, DemoRevision, DemoRisk
from patterns.models import Catalog

from .models import Membership, Review, Team
from .services import decisions, revisions, signoff
from .services.answers import review_answer_save
from .services.reviews import review_cost_inputs_save, review_create

PASSWORD = "hakari-demo-2026"  # noqa: S105 -- demo data only: seed_demo refuses it with DEBUG off
TEAM_SLUG = "demo"
TEAM_NAME = "デモ株式会社 情報システム部"


@dataclass(frozen=True)
class DemoUser:
    """A demo user: names and team role (None: site staff, outside the team)."""

    username: str
    first_name: str
    last_name: str
    team_role: str | None


USERS: dict[str, DemoUser] = {
    "reviewer": DemoUser("demo-reviewer", "Ren", "Sato", Membership.Role.REVIEWER),
    "stakeholder": DemoUser("demo-stakeholder", "Aoi", "Suzuki", Membership.Role.STAKEHOLDER),
    "approver": DemoUser("demo-approver", "Kaito", "Takahashi", Membership.Role.APPROVER),
    "approver2": DemoUser("demo-approver2", "Yui", "Tanaka", Membership.Role.APPROVER),
    "staff": DemoUser("demo-admin", "Hana", "Ito", None),
}


def non_demo_users() -> list[str]:
    """Usernames of the accounts that are not demo accounts (at most five): where any exists,
    the database is someone's real data and no demo user with a known password belongs."""
    demo = [user.username for user in USERS.values()]
    others = get_user_model().objects.exclude(username__in=demo).order_by("pk")
    return list(others.values_list("username", flat=True)[:5])


@dataclass(frozen=True)
class Demo:
    """What `demo_seed` made: the team, its users by role, the reviews by status."""

    team: Team
    users: dict[str, AbstractBaseUser]
    reviews: dict[str, Review]  # draft, in_review, approved, superseded


def demo_team(*, slug: str = TEAM_SLUG, name: str = TEAM_NAME) -> Team:
    """The demo team `slug`, created with `name` when missing."""
    team, _ = Team.objects.get_or_create(slug=slug, defaults={"name": name})
    return team


def demo_users(*, team: Team, password: str = PASSWORD, prefix: str = "") -> dict[str, Any]:
    """One user per role of `USERS` (usernames prefixed with `prefix`), members of `team`.

    Existing users keep their row; their names stay, their password becomes `password`, staff
    rights and team roles are set again.
    """
    users = {}
    for role, demo_user in USERS.items():
        username = f"{prefix}{demo_user.username}"
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": demo_user.first_name,
                "last_name": demo_user.last_name,
                "email": f"{username}@example.com",
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_staff = user.is_superuser = demo_user.team_role is None
        user.save()
        if demo_user.team_role:
            Membership.objects.update_or_create(
                team=team, user=user, defaults={"role": demo_user.team_role}
            )
        users[role] = user
    return users


def demo_review_answered(
    *, team: Team, owner: AbstractBaseUser, catalog: Catalog, story: DemoReview
) -> Review:
    """A new draft review of `catalog` with the story's title, context, answers and notes,
    and its cost inputs when it has some and the catalog a price table."""
    review = review_create(
        team=team, owner=owner, title=story.title, context=story.context, catalog=catalog
    )
    for question, choice in story.answers.items():
        review_answer_save(
            review=review,
            user=owner,
            question=question,
            choice=choice,
            note=story.notes.get(question),
        )
    if story.cost_inputs is not None and catalog.price_table:
        review_cost_inputs_save(review=review, inputs=dict(story.cost_inputs))
    return review


def demo_review_decide(
    *,
    review: Review,
    user: AbstractBaseUser,
    decision: DemoDecision,
    risks: Iterable[DemoRisk] = (),
) -> None:
    """Record the decision, then each risk (owned by `user` unless it names an owner)."""
    decisions.decision_save(
        review=review,
        user=user,
        pattern=decision.pattern,
        justification=decision.justification,
        confirmation=decision.confirmation,
    )
    for risk in risks:
        decisions.risk_add(
            review=review,
            user=user,
            description=risk.description,
            owner_user=None if risk.owner_name else user,
            owner_name=risk.owner_name,
            mitigation=risk.mitigation,
            review_on=risk.review_on,
        )


def demo_review_sign_off(
    *,
    review: Review,
    reviewer: AbstractBaseUser,
    approvers: Sequence[AbstractBaseUser],
    comments: Sequence[str],
    password: str = PASSWORD,
) -> None:
    """Request sign-off from `approvers` (no email), then the first `len(comments)` of them
    sign, in order, each with its comment; when all have signed the review is approved."""
    signoff.review_request_signoff(
        review=review, user=reviewer, approvers=list(approvers), notify=False
    )
    for approver, comment in zip(approvers, comments, strict=False):
        signoff.review_sign(
            review=review, user=approver, password=password, comment=comment, notify=False
        )


def _approvers(users: dict[str, AbstractBaseUser]) -> list[AbstractBaseUser]:
    return [users["approver"], users["approver2"]]


def demo_review_through_signoff(
    *,
    team: Team,
    users: dict[str, AbstractBaseUser],
    catalog: Catalog,
    story: DemoReview,
    password: str = PASSWORD,
) -> Review:
    """A new review told by `story`: answered, decided (when the story decides), sign-off
    requested from both approvers, and signed by those the story gives a comment."""
    reviewer = users["reviewer"]
    review = demo_review_answered(team=team, owner=reviewer, catalog=catalog, story=story)
    if story.decision is not None:
        demo_review_decide(review=review, user=reviewer, decision=story.decision, risks=story.risks)
    demo_review_sign_off(
        review=review,
        reviewer=reviewer,
        approvers=_approvers(users),
        comments=story.sign_comments,
        password=password,
    )
    return review


def demo_review_draft(
    *, team: Team, users: dict[str, AbstractBaseUser], catalog: Catalog, story: DemoReview
) -> Review:
    """The draft: partly answered, nothing decided."""
    review = Review.objects.filter(team=team, title=story.title).first()
    if review is None:
        review = demo_review_answered(
            team=team, owner=users["reviewer"], catalog=catalog, story=story
        )
    return review


def demo_review_in_review(
    *,
    team: Team,
    users: dict[str, AbstractBaseUser],
    catalog: Catalog,
    story: DemoReview,
    password: str = PASSWORD,
) -> Review:
    """Decided, sign-off requested from both approvers; those with a comment have signed."""
    review = Review.objects.filter(team=team, title=story.title).first()
    if review is not None:
        return review
    review = demo_review_through_signoff(
        team=team, users=users, catalog=catalog, story=story, password=password
    )
    review.refresh_from_db()
    return review


def demo_review_approved(
    *,
    team: Team,
    users: dict[str, AbstractBaseUser],
    catalog: Catalog,
    story: DemoReview,
    revision: DemoRevision,
    password: str = PASSWORD,
) -> tuple[Review, Review]:
    """An approved review (the second version, `revision`) and the first version it
    superseded (`story`, approved too before it was revised)."""
    first = Review.objects.filter(team=team, title=story.title, revision_of=None).first()
    if first is not None:
        return first.revisions.get(status=Review.Status.APPROVED), first
    reviewer, approvers = users["reviewer"], _approvers(users)
    first = demo_review_through_signoff(
        team=team, users=users, catalog=catalog, story=story, password=password
    )
    second = revisions.review_revise(review=first, user=reviewer)
    for question, choice in revision.answers.items():
        review_answer_save(
            review=second,
            user=reviewer,
            question=question,
            choice=choice,
            note=revision.notes.get(question),
        )
    demo_review_decide(review=second, user=reviewer, decision=revision.decision)
    demo_review_sign_off(
        review=second,
        reviewer=reviewer,
        approvers=approvers,
        comments=revision.sign_comments,
        password=password,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    return second, first


def demo_seed(*, catalog: Catalog, password: str = PASSWORD) -> Demo:
    """The demo team, its users and its reviews of `catalog`, told by the catalog kind's demo
    story; UnknownKind (patterns.kinds) when the catalog has no kind. Run it in a transaction."""
    story = for_catalog(catalog).demo
    team = demo_team()
    users = demo_users(team=team, password=password)
    draft = demo_review_draft(team=team, users=users, catalog=catalog, story=story.draft)
    in_review = demo_review_in_review(
        team=team, users=users, catalog=catalog, story=story.in_review, password=password
    )
    approved, superseded = demo_review_approved(
        team=team,
        users=users,
        catalog=catalog,
        story=story.approved,
        revision=story.revision,
        password=password,
    )
    return Demo(
        team=team,
        users=users,
        reviews={
            "draft": draft,
            "in_review": in_review,
            "approved": approved,
            "superseded": superseded,
        },
    )
