"""The cached parts of the wizard's step page: the step list, the step's questions and the
weights panel's selects, rendered once per catalog version, language, review and the answers
or weights they show (see `reviews.fragments`)."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from ..catalog_view import StepText, catalog_criteria
from ..forms.reviews import WeightsForm
from ..fragments import answers_stamp, cached_template, page_stamp
from ..models import Answer, Review
from ..selectors import QuestionState


def step_nav_html(
    review: Review, steps: tuple[StepText, ...], step: StepText | None, on_recommendation: bool
) -> SafeString:
    """The list of the wizard's steps, the current one marked."""
    stamp = page_stamp(review)
    key = stamp and ("step-nav", stamp, review.pk, step.key if step else None, on_recommendation)
    return cached_template(
        key,
        "reviews/_step_nav.html",
        lambda: {
            "review": review,
            "steps": steps,
            "step": step,
            "on_recommendation": on_recommendation,
        },
    )


def questions_html(
    review: Review,
    step: StepText,
    questions: list[QuestionState],
    answers: dict[str, Answer],
    can_answer: bool,
    *,
    cacheable: bool,
) -> SafeString:
    """The step's question fieldsets; `cacheable` False after a refused save (the fields show
    what was posted, errors and conflicts)."""
    stamp = page_stamp(review) if cacheable else None
    keys = [q.key for q in step.questions.all()]
    key = stamp and (
        "step-questions", stamp, review.pk, step.key, can_answer, answers_stamp(answers, keys)
    )  # fmt: skip
    return cached_template(
        key,
        "reviews/_step_questions.html",
        lambda: {"review": review, "questions": questions, "can_answer": can_answer},
    )


def weights_fields_html(review: Review) -> SafeString:
    """The weights panel's selects, unbound (the stored weights chosen)."""
    stamp = page_stamp(review)
    weights = review.weights or {}
    key = stamp and ("weights-fields", stamp, tuple(sorted(weights.items())))

    def context() -> dict[str, Any]:
        form = WeightsForm(criteria=catalog_criteria(review.catalog), weights=weights)
        return {"weights_form": form}

    return cached_template(key, "reviews/_weights_fields.html", context)
