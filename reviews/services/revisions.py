"""Revising an approved review: a new linked draft; the old one is superseded on approval."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..access import Action, check
from ..models import Answer, Decision, Review, ReviewEvent, Risk
from .locking import locked_review, record_event


def review_revise(*, review: Review, user: Any) -> Review:
    """Start a revision of an approved review: a new draft copied from it (answers, notes,
    weights, cost inputs, decision, risks), linked by `revision_of`. The approved review
    stays as it is until the revision is approved; then it becomes superseded. When an open
    revision exists already, that one is returned."""
    with transaction.atomic():
        current = locked_review(review)
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
        record_event(
            new,
            actor=user,
            action=ReviewEvent.Action.REVISE,
            from_status="",
            comment=f"#{current.pk}",
        )
    return new
