"""Writes on a review's answers: one answer (the htmx autosave) or a whole step at once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.services import compiled_catalog

from ..models import Answer, Review
from .locking import locked_review

MAX_NOTE = 5000


def answer_validate(review: Review, question: str, choice: str | None, note: str | None) -> None:
    """Raise ValidationError (one clear message) unless the answer fits the review's catalog."""
    compiled = compiled_catalog(review.catalog)
    if question not in compiled.questions:
        raise ValidationError(_("Unknown question “%(key)s”.") % {"key": question})
    if choice and choice not in compiled.questions[question]:
        raise ValidationError(
            _("“%(choice)s” is not a choice of this question; choose one of: %(allowed)s.")
            % {"choice": choice, "allowed": ", ".join(compiled.questions[question])}
        )
    if note is not None and len(note) > MAX_NOTE:
        raise ValidationError(
            _("The note is %(length)d characters long; at most %(max)d are allowed.")
            % {"length": len(note), "max": MAX_NOTE}
        )


def review_answers_save(
    *, review: Review, user: Any, answers: dict[str, tuple[str | None, str | None]]
) -> None:
    """Save several answers at once ({question: (choice, note)}): all of them or none.

    `choice=None` / `note=None` leave that part as it is; `choice=""` clears the choice; the
    last write per question wins and records who wrote it. Raises ValidationError (with
    `error_dict` keyed by question) for unknown questions or choices and over-long notes,
    FrozenReviewError when the review is no longer a draft. Nothing changes on error.
    """
    errors = {}
    for question, (choice, note) in answers.items():
        try:
            answer_validate(review, question, choice, note)
        except ValidationError as exc:
            errors[question] = exc.messages
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        locked_review(review, statuses=[Review.Status.DRAFT])
        for question, (choice, note) in answers.items():
            fields: dict[str, Any] = {"answered_by": user, "answered_at": now}
            if choice is not None:
                fields["choice"] = choice
            if note is not None:
                fields["note"] = note
            if not Answer.objects.filter(review=review, question=question).update(**fields):
                try:
                    with transaction.atomic():
                        Answer.objects.create(review=review, question=question, **fields)
                except IntegrityError:  # created by someone else a moment ago: last write wins
                    Answer.objects.filter(review=review, question=question).update(**fields)
        Review.objects.filter(pk=review.pk).update(updated_at=now)


def review_answer_save(
    *,
    review: Review,
    user: Any,
    question: str,
    choice: str | None = None,
    note: str | None = None,
) -> Answer:
    """Save one answer (its choice, its note, or both); see `review_answers_save`."""
    try:
        review_answers_save(review=review, user=user, answers={question: (choice, note)})
    except ValidationError as exc:
        raise ValidationError(exc.message_dict[question][0]) from exc
    return Answer.objects.select_related("answered_by").get(review=review, question=question)
