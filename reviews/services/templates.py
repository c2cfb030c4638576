"""Starting a review from another: cloning a review, and a team's review templates.

A clone is a new draft of the same team and catalog version with the source's answers, notes,
weights and cost inputs (not its decision, risks or sign-offs), owned by the cloner. A template
holds a review's answers and weights under a name, for the team's reviewers to start from.
Both record where the new draft came from in its audit trail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.models import Catalog, Choice

from ..access import Action, check
from ..models import Answer, Membership, Review, ReviewEvent, ReviewTemplate
from .locking import locked_review, record_event
from .reviews import review_create

# The columns of an answer that are not its content: the rest (choice, note and whatever an
# answer gains later) is copied. The copier becomes the author of the copied answers.
ANSWER_OWN_FIELDS = {"id", "review", "answered_by", "answered_at"}
TITLE_MAX = Review._meta.get_field("title").max_length or 200


def _answer_content(answer: Answer) -> dict[str, Any]:
    return {
        field.attname: getattr(answer, field.attname)
        for field in Answer._meta.concrete_fields
        if field.name not in ANSWER_OWN_FIELDS
    }


def _add_answers(review: Review, contents: list[dict[str, Any]], user: Any) -> None:
    now = timezone.now()
    Answer.objects.bulk_create(
        Answer(review=review, answered_by=user, answered_at=now, **content) for content in contents
    )


def review_clone(*, review: Review, user: Any) -> Review:
    """A new draft copied from `review` (any status): same team and catalog version, its
    answers and notes, weights and cost inputs, `user` (a reviewer of the team) as owner."""
    with transaction.atomic():
        source = locked_review(review)
        check(user, source, Action.CLONE)
        title = _("Copy of %(title)s") % {"title": source.title}
        new = Review(
            team=source.team,
            owner=user,
            title=title[:TITLE_MAX],
            context=source.context,
            catalog=source.catalog,
            language=source.language,
            weights=source.weights,
            cost_inputs=source.cost_inputs,
        )
        new.full_clean()
        new.save()
        _add_answers(new, [_answer_content(a) for a in source.answers.order_by("pk")], user)
        record_event(
            new,
            actor=user,
            action=ReviewEvent.Action.CLONE,
            from_status="",
            comment=f"#{source.pk}",
        )
    return new


def template_create(*, review: Review, user: Any, name: str) -> ReviewTemplate:
    """Save `review`'s answers (those with a choice or a note) and weights as a template of its
    team named `name`; a name the team already uses is a ValidationError."""
    check(user, review, Action.TEMPLATE)
    answers = {
        a.question: {"choice": a.choice, "note": a.note}
        for a in review.answers.order_by("pk")
        if a.choice or a.note
    }
    template = ReviewTemplate(
        team=review.team,
        name=name.strip(),
        catalog=review.catalog,
        answers=answers,
        weights=review.weights or {},
        created_by=user,
    )
    if ReviewTemplate.objects.filter(team=review.team, name=template.name).exists():
        raise ValidationError({"name": _("The team already has a template of this name.")})
    template.full_clean()
    template.save()
    return template


def templates_for(user: Any):
    """The templates a user may start a review from: those of the teams they review for."""
    teams = Membership.objects.filter(user_id=user.pk or 0, role=Membership.Role.REVIEWER)
    return ReviewTemplate.objects.filter(team_id__in=teams.values("team_id")).select_related(
        "team", "catalog"
    )


def _valid_choices(catalog: Catalog) -> dict[str, set[str]]:
    """Question key -> its choice keys, and "" (a note without a choice)."""
    valid: dict[str, set[str]] = {}
    for question, choice in Choice.objects.filter(question__group__catalog=catalog).values_list(
        "question__key", "key"
    ):
        valid.setdefault(question, {""}).add(choice)
    return valid


def review_create_from_template(
    *, template: ReviewTemplate, owner: Any, title: str, context: str = "", language: str = "ja"
) -> Review:
    """A new draft of the template's team and catalog version, with its answers and weights.
    An answer the catalog version does not know (a template edited in the admin) is skipped."""
    valid = _valid_choices(template.catalog)
    contents = [
        {
            "question": key,
            "choice": str(value.get("choice", "")),
            "note": str(value.get("note", "")),
        }
        for key, value in template.answers.items()
        if isinstance(value, dict) and key in valid and str(value.get("choice", "")) in valid[key]
    ]
    with transaction.atomic():
        review = review_create(
            team=template.team,
            owner=owner,
            title=title,
            context=context,
            catalog=template.catalog,
            language=language,
        )
        if template.weights:
            review.weights = template.weights
            review.save(update_fields=["weights", "updated_at"])
        _add_answers(review, contents, owner)
        record_event(
            review,
            actor=owner,
            action=ReviewEvent.Action.FROM_TEMPLATE,
            from_status="",
            comment=template.name,
        )
    return review


def review_start(
    *,
    owner: Any,
    team: Any,
    title: str,
    catalog: Catalog,
    context: str = "",
    language: str = "ja",
    template: ReviewTemplate | None = None,
) -> Review:
    """The new-review form's service: a blank draft, or one from `template` (of `team`)."""
    if template is None:
        return review_create(
            team=team, owner=owner, title=title, context=context, catalog=catalog, language=language
        )
    if template.team_id != team.pk:
        raise ValidationError({"template": _("This template belongs to another team.")})
    return review_create_from_template(
        template=template, owner=owner, title=title, context=context, language=language
    )
