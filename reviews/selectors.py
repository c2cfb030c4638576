"""Reads that span a review, its answers and its catalog version, and the pages built from
them: the wizard (outline, progress, the live recommendation), the record panel, the decision
page's values. The comparison page is `reviews.comparison`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from patterns.explanation import Explanation, explain
from patterns.models import QuestionGroup, Statement, pick
from patterns.scoring import rank
from patterns.services import compiled_catalog

from .access import Action, can
from .models import Answer, Decision, Review
from .records.content import review_lang
from .services.answers import NOT_APPLICABLE, Base, Conflict, Edit, choice_token


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


@dataclass(frozen=True)
class OutlineStep:
    """A wizard step as its key and its questions' keys: what progress and "continue" need."""

    key: str
    question_keys: tuple[str, ...]


_outline_cache: dict[tuple, tuple[OutlineStep, ...]] = {}


def wizard_outline(review: Review, steps: list[QuestionGroup] | None = None) -> tuple:
    """The steps of the review's catalog version as `OutlineStep`s: from `steps` when given,
    else read once per process for a published (immutable) version (two queries)."""
    catalog = review.catalog
    key = (catalog.pk, catalog.version, catalog.published_at)
    if steps is None and catalog.is_published and key in _outline_cache:
        return _outline_cache[key]
    if steps is None:
        steps = list(catalog.steps.prefetch_related("questions"))
    outline = tuple(OutlineStep(s.key, tuple(q.key for q in s.questions.all())) for s in steps)
    if catalog.is_published:
        _outline_cache[key] = outline
    return outline


def is_answered(answer: Answer | None) -> bool:
    """Answered or marked not applicable: nothing more to do on the question."""
    return answer is not None and (bool(answer.choice) or answer.not_applicable)


@dataclass
class Progress:
    step_number: int | None  # None outside the wizard's steps
    step_count: int
    answered: int  # with a choice
    total: int
    not_applicable: int = 0

    @property
    def percent(self) -> int:
        done = self.answered + self.not_applicable
        return round(100 * done / self.total) if self.total else 0

    @property
    def open(self) -> int:
        return self.total - self.answered - self.not_applicable


def review_progress(steps, answers: dict[str, Answer], step_index: int | None = None) -> Progress:
    """`steps`: QuestionGroups (with their questions) or `OutlineStep`s."""
    keys = [key for step in steps for key in _question_keys(step)]
    found = [answers[k] for k in keys if k in answers]
    step_number = None if step_index is None else step_index + 1
    return Progress(
        step_number,
        len(steps),
        answered=sum(1 for a in found if a.choice),
        total=len(keys),
        not_applicable=sum(1 for a in found if a.not_applicable),
    )


def _question_keys(step) -> tuple[str, ...]:
    if isinstance(step, OutlineStep):
        return step.question_keys
    return tuple(q.key for q in step.questions.all())


def first_unanswered(steps, answers: dict[str, Answer]) -> tuple[str, str] | None:
    """(step key, question key) of the first question neither answered nor not applicable."""
    for step in steps:
        for key in _question_keys(step):
            if not is_answered(answers.get(key)):
                return step.key, key
    return None


def engine_answers(answers: dict[str, Answer]) -> dict[str, str]:
    """What the engine is given: the real choices (not applicable and cleared are left out)."""
    return {key: a.choice for key, a in answers.items() if a.choice and not a.not_applicable}


def review_recommendation(
    review: Review,
    answers: dict[str, Answer],
    lang: str | None = None,
    *,
    with_sensitivity: bool = True,
) -> Explanation:
    """The explained ranking for the review's current answers and weights (without the
    sensitivity analysis, most of the cost, for a page that does not show it)."""
    compiled = compiled_catalog(review.catalog)
    lang = lang or current_lang()
    result = rank(
        compiled,
        engine_answers(answers),
        weights=review.weights or None,
        lang=lang,
        with_sensitivity=with_sensitivity,
    )
    return explain(compiled, result, lang)


def recommendation_key(
    review: Review, answers: dict[str, Answer], *, with_sensitivity: bool = False
) -> str | None:
    """What the rendered recommendation (panel, phone bar) depends on, as a fragment cache
    key: the catalog version, the active language, the engine's answers, the stated weights
    and whether the sensitivity is shown. None for a draft catalog (editable: its version does
    not name its content), which is never cached."""
    catalog = review.catalog
    if not catalog.is_published or catalog.published_at is None:
        return None
    inputs = [sorted(engine_answers(answers).items()), sorted((review.weights or {}).items())]
    digest = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]
    published = catalog.published_at.isoformat()
    shown = "s" if with_sensitivity else "-"
    return f"rec:{catalog.pk}:{catalog.version}:{published}:{get_language()}:{shown}:{digest}"


def lazy_recommendation(
    review: Review, answers: dict[str, Answer], *, with_sensitivity: bool = True
) -> dict[str, Any]:
    """`recommendation` (ranked only when read: a page whose panel comes from the fragment
    cache never ranks) and its `recommendation_key`, for a page context."""
    lang = current_lang()
    return {
        "recommendation": SimpleLazyObject(
            lambda: review_recommendation(review, answers, lang, with_sensitivity=with_sensitivity)
        ),
        "recommendation_key": recommendation_key(
            review, answers, with_sensitivity=with_sensitivity
        ),
    }


@dataclass(frozen=True)
class QuestionState:
    """One question of a step page as the form shows it: the stored answer, or what the user
    posted (after a refused save), the base the next save names, and any error or conflict."""

    question: Any  # a Question with its choices
    answer: Answer | None
    chosen: str  # a choice key, NOT_APPLICABLE or ""
    note: str
    base: str
    error: str = ""
    conflict: Conflict | None = None

    @property
    def theirs_label(self) -> str:
        """The colleague's choice, in words, when in conflict."""
        if self.conflict is None:
            return ""
        token = self.conflict.base.choice
        if token == NOT_APPLICABLE:
            return str(_("Not applicable"))
        found = [pick(c, "label") for c in self.question.choices.all() if c.key == token]
        return found[0] if found else str(_("no answer"))


def wizard_questions(
    step: QuestionGroup,
    answers: dict[str, Answer],
    *,
    posted: dict[str, Edit] | None = None,
    conflicts: dict[str, Conflict] | None = None,
    errors: dict[str, str] | None = None,
) -> list[QuestionState]:
    """The step's questions for the page; a refused save keeps what the user typed, and a
    conflict's base is the colleague's answer (sending the form again overwrites it)."""
    posted, conflicts, errors = posted or {}, conflicts or {}, errors or {}
    states = []
    for question in step.questions.all():
        answer, edit = answers.get(question.key), posted.get(question.key, Edit())
        conflict = conflicts.get(question.key)
        base = conflict.base if conflict else (edit.base or Base.of(answer))
        states.append(
            QuestionState(
                question=question,
                answer=answer,
                chosen=edit.choice if edit.choice is not None else choice_token(answer),
                note=edit.note if edit.note is not None else (answer.note if answer else ""),
                base=str(base),
                error=errors.get(question.key, ""),
                conflict=conflict,
            )
        )
    return states


def review_overview(review: Review) -> dict:
    """What the review page and the recommendation page both show: the review with its steps,
    answers, progress and live recommendation (a page context)."""
    answers = review_answers(review)
    steps = review_steps(review)
    return {
        "review": review,
        "steps": steps,
        "answers": answers,
        "progress": review_progress(steps, answers),
        **lazy_recommendation(review, answers),
    }


# --- the decision record ----------------------------------------------------------------------


def review_decision_page(review: Review, user: Any) -> dict:
    """The decision page without its forms: the ranking, the decision, the risk register."""
    explained = review_recommendation(review, review_answers(review))
    decision = Decision.objects.filter(review=review).first()
    return {
        "review": review,
        "recommendation": explained,
        "decision": decision,
        "decision_name": next(
            (e.name for e in explained.entries if decision and e.pattern == decision.pattern),
            "",
        ),
        "risks": list(review.risks.select_related("owner_user")),
        "can_decide": can(user, review, Action.DECIDE, role=review.viewer_role),
    }


def decision_prefill(review: Review, pattern: str) -> tuple[str, str]:
    """The catalog's merits (good) and demerits (bad) of `pattern`, one per line, in the
    review's language: where the consequences start before the team edits them."""
    return decision_prefills(review, [pattern]).get(pattern, ("", ""))


def decision_prefills(
    review: Review, patterns: list[str] | None = None
) -> dict[str, tuple[str, str]]:
    """`decision_prefill` for every option (or `patterns`) in one query: pattern -> (good,
    bad). The decision page refills the consequences from it when the choice changes."""
    lang = review_lang(review)
    statements = Statement.objects.filter(pattern__catalog_id=review.catalog_id)
    if patterns is not None:
        statements = statements.filter(pattern__key__in=patterns)
    found: dict[str, tuple[list[str], list[str]]] = {}
    ordered = statements.select_related("pattern").order_by("criterion__order", "order", "pk")
    for s in ordered:
        good, bad = found.setdefault(s.pattern.key, ([], []))
        if s.kind == Statement.Kind.MERIT:
            good.append(f"- {pick(s, 'text', lang)}")
        elif s.kind == Statement.Kind.DEMERIT:
            bad.append(f"- {pick(s, 'text', lang)}")
    return {key: ("\n".join(good), "\n".join(bad)) for key, (good, bad) in found.items()}


def decision_choices(explained: Explanation) -> list[tuple[str, str]]:
    """The decision form's options, by rank, marked recommended or excluded."""
    recommended = explained.recommended()
    choices = []
    for entry in sorted(explained.entries, key=lambda e: e.rank):
        label = f"{entry.rank}. {entry.name} ({entry.score})"
        if entry.excluded:
            label += " · " + _("excluded")
        elif entry.pattern in recommended:
            label += " · " + _("recommended")
        choices.append((entry.pattern, label))
    return choices


def decision_initial(review: Review, explained: Explanation, decision: Decision | None) -> dict:
    """The decision form's first values: the saved decision, else the recommended option with
    the consequences from the catalog (nothing when no option is recommended)."""
    if decision is not None:
        return {
            "pattern": decision.pattern,
            "justification": decision.justification,
            "consequences_good": decision.consequences_good,
            "consequences_bad": decision.consequences_bad,
            "confirmation": decision.confirmation,
        }
    winner = explained.winner or (explained.tied or (None,))[0]
    if not winner:
        return {}
    good, bad = decision_prefill(review, winner.pattern)
    return {"pattern": winner.pattern, "consequences_good": good, "consequences_bad": bad}
