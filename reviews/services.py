"""Writes on reviews: creating one, saving answers, editing its settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.kinds import for_catalog
from patterns.models import Catalog
from patterns.scoring import AnswerError, check_weights
from patterns.services import compiled_catalog

from .models import Answer, FrozenReviewError, Membership, Review, Team

MAX_NOTE = 5000


def review_create(
    *, team: Team, owner, title: str, context: str = "", catalog: Catalog, language: str = "ja"
) -> Review:
    """A new draft review of `catalog` for `team`, owned by a reviewer of that team."""
    if not Membership.objects.filter(team=team, user=owner, role=Membership.Role.REVIEWER).exists():
        raise ValidationError(_("Only the team's reviewers can start a review."))
    if not catalog.is_published:
        raise ValidationError(_("Reviews can only use a published catalog version."))
    review = Review(
        team=team, owner=owner, title=title, context=context, catalog=catalog, language=language
    )
    review.full_clean()
    review.save()
    return review


def _locked_draft(review: Review) -> Review:
    """Re-read the review inside the transaction, locked, and refuse unless it is a draft."""
    current = Review.objects.select_for_update().get(pk=review.pk)
    if current.status != Review.Status.DRAFT:
        raise FrozenReviewError(
            _("This review is %(status)s: its answers can no longer change.")
            % {"status": current.get_status_display()}
        )
    return current


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


def review_answers_save(*, review: Review, user, answers: dict[str, tuple[str | None, str | None]]):
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
        _locked_draft(review)
        for question, (choice, note) in answers.items():
            fields: dict = {"answered_by": user, "answered_at": now}
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
    user,
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


def review_update(
    *, review: Review, title: str, context: str, weights: dict, language: str
) -> Review:
    """Change a draft's title, context, record language and criterion weights (0-3 each)."""
    compiled = compiled_catalog(review.catalog)
    try:
        clean = check_weights(compiled, weights)
    except AnswerError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        current = _locked_draft(review)
        current.title = title
        current.context = context
        current.language = language
        current.weights = clean
        current.full_clean()
        current.save()
    return current


def review_cost_inputs_save(*, review: Review, inputs: dict) -> Review:
    """Store the inputs of the review's cost estimate (its catalog kind's) while it is a draft.

    Raises ValidationError ({field: message}) when the inputs do not fit the price table of
    the review's catalog version, FrozenReviewError when the review is no longer a draft.
    Nothing changes on error.
    """
    price_table = review.catalog.price_table
    if not price_table:
        raise ValidationError(_("This catalog version has no price table to estimate costs with."))
    errors = for_catalog(review.catalog).validate_cost_inputs(price_table, inputs)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _locked_draft(review)
        Review.objects.filter(pk=current.pk).update(cost_inputs=inputs, updated_at=timezone.now())
    review.cost_inputs = inputs
    return review
