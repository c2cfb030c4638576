"""The wizard's catalog texts as plain, immutable data: the steps of a catalog version with
their questions and choices, read once per process for a published (immutable) version.

The pages only read these texts, so model instances (three prefetch queries per page) are not
needed. The rows answer `.all()` like the prefetched related managers they replace, so that
templates and selectors written for `QuestionGroup`s (`step.questions.all`,
`question.choices.all`, `|tr:"title"`) take them unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patterns.models import Catalog, Choice, Criterion, Question, QuestionGroup


class Rows(tuple):
    """A tuple with `.all()`, standing in for a prefetched related manager."""

    def all(self) -> Rows:
        return self


@dataclass(frozen=True)
class ChoiceText:
    key: str
    label_ja: str
    label_en: str


@dataclass(frozen=True)
class QuestionText:
    key: str
    text_ja: str
    text_en: str
    help_ja: str
    help_en: str
    choices: Rows  # of ChoiceText


@dataclass(frozen=True)
class StepText:
    key: str
    title_ja: str
    title_en: str
    description_ja: str
    description_en: str
    questions: Rows  # of QuestionText


@dataclass(frozen=True)
class CriterionText:
    """What the weights form needs of a criterion."""

    key: str
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str


_steps_cache: dict[tuple, tuple[StepText, ...]] = {}
_criteria_cache: dict[tuple, tuple[CriterionText, ...]] = {}


def catalog_stamp(catalog: Catalog) -> tuple[Any, ...] | None:
    """What names a published, so immutable, catalog version; None for a draft (editable)."""
    if not catalog.is_published:
        return None
    return (catalog.pk, catalog.slug, catalog.version, catalog.published_at)


def catalog_steps(catalog: Catalog) -> tuple[StepText, ...]:
    """The wizard's steps of `catalog` in order (three queries, none for a published version
    read before in this process)."""
    stamp = catalog_stamp(catalog)
    if stamp is not None:
        found = _steps_cache.get(stamp)
        if found is not None:
            return found
    steps = tuple(_step(s) for s in catalog.steps.prefetch_related("questions__choices"))
    if stamp is not None:
        _steps_cache[stamp] = steps
    return steps


def _step(step: QuestionGroup) -> StepText:
    return StepText(
        step.key,
        step.title_ja,
        step.title_en,
        step.description_ja,
        step.description_en,
        Rows(_question(q) for q in step.questions.all()),
    )


def _question(question: Question) -> QuestionText:
    return QuestionText(
        question.key,
        question.text_ja,
        question.text_en,
        question.help_ja,
        question.help_en,
        Rows(_choice(c) for c in question.choices.all()),
    )


def _choice(choice: Choice) -> ChoiceText:
    return ChoiceText(choice.key, choice.label_ja, choice.label_en)


def catalog_criteria(catalog: Catalog) -> tuple[CriterionText, ...]:
    """The criteria of `catalog` in order (one query, none for a published version read
    before in this process)."""
    stamp = catalog_stamp(catalog)
    if stamp is not None:
        found = _criteria_cache.get(stamp)
        if found is not None:
            return found
    criteria = tuple(_criterion(c) for c in catalog.criteria.all())
    if stamp is not None:
        _criteria_cache[stamp] = criteria
    return criteria


def _criterion(c: Criterion) -> CriterionText:
    return CriterionText(c.key, c.name_ja, c.name_en, c.description_ja, c.description_en)
