"""Reads that span a review, its answers and its catalog version."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from patterns.explanation import Explanation, explain
from patterns.models import QuestionGroup
from patterns.scoring import rank
from patterns.services import compiled_catalog

from .models import Answer, Review


def current_lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def review_answers(review: Review) -> dict[str, Answer]:
    """The review's answers by question key, with who answered (one query)."""
    return {
        a.question: a for a in Answer.objects.filter(review=review).select_related("answered_by")
    }


def review_steps(review: Review) -> list[QuestionGroup]:
    """The wizard's steps with their questions and choices (three queries)."""
    return list(review.catalog.steps.prefetch_related("questions__choices"))


@dataclass
class Progress:
    step_number: int | None  # None outside the wizard's steps
    step_count: int
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def review_progress(steps, answers: dict[str, Answer], step_index: int | None = None) -> Progress:
    total = sum(len(step.questions.all()) for step in steps)
    answered = sum(
        1
        for step in steps
        for q in step.questions.all()
        if answers.get(q.key) and answers[q.key].choice
    )
    step_number = None if step_index is None else step_index + 1
    return Progress(step_number, len(steps), answered, total)


def review_recommendation(
    review: Review, answers: dict[str, Answer], lang: str | None = None
) -> Explanation:
    """The explained ranking for the review's current answers and weights."""
    compiled = compiled_catalog(review.catalog)
    chosen = {key: a.choice for key, a in answers.items() if a.choice}
    lang = lang or current_lang()
    return explain(
        compiled, rank(compiled, chosen, weights=review.weights or None, lang=lang), lang
    )
