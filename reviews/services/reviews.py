"""Writes on a review itself: creating one, editing its settings and its cost inputs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.kinds import for_catalog
from patterns.models import Catalog
from patterns.scoring import AnswerError, check_weights
from patterns.services import compiled_catalog

from ..models import Membership, Review, Team
from .locking import locked_review
from .weights import weights_record_change


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


def review_update(
    *, review: Review, title: str, context: str, weights: dict, language: str, user=None
) -> Review:
    """Change a draft's title, context, record language and criterion weights (0-3 each);
    a change of the weights by `user` goes in the audit trail."""
    compiled = compiled_catalog(review.catalog)
    try:
        clean = check_weights(compiled, weights)
    except AnswerError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        current = locked_review(review, statuses=[Review.Status.DRAFT])
        weights_record_change(current, user=user, old=current.weights, new=clean)
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
        current = locked_review(review, statuses=[Review.Status.DRAFT])
        Review.objects.filter(pk=current.pk).update(cost_inputs=inputs, updated_at=timezone.now())
    review.cost_inputs = inputs
    return review
