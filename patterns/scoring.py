"""The scoring engine: ranks a catalog's patterns for a set of answers, with reasons.

Pure Python on the catalog's plain-data form (the shape of `fixtures/catalogs/*.json`, see
fixtures/catalogs/README.md); no Django request, no database. Every rule lives in the catalog
data: choice effects (weight, criterion, statement, reason, conditions `when`), exclusions
(hard requirements) and the criterion weights an answer sets. docs/engine.md says in words how
a score is made; `patterns.evaluation` holds the arithmetic, `patterns.sensitivity` the
search for answer changes that would change the winner.
"""

from __future__ import annotations

from typing import Any

from .compiled import LANGS, CompiledCatalog, compile_catalog, holds
from .evaluation import DEFAULT_WEIGHT, NARROW_LEAD, WEAK_FIT, Evaluator, Totals
from .inputs import AnswerError, echo, load_json
from .recommendation import ExclusionReason, RankedPattern, Reason, Recommendation
from .sensitivity import sensitivity

MAX_CRITERION_WEIGHT = 3

__all__ = [
    "LANGS",
    "NARROW_LEAD",
    "WEAK_FIT",
    "AnswerError",
    "CompiledCatalog",
    "check_answers",
    "check_weights",
    "compile_catalog",
    "load_json",
    "rank",
    "stated_weights",
]


def check_answers(compiled: CompiledCatalog, answers: Any) -> dict[str, str]:
    """Return the answers as {question: choice} in the catalog's question order, or raise
    AnswerError naming the bad key (echoed values are cut short)."""
    if not isinstance(answers, dict):
        raise AnswerError("answers must be a JSON object of {question: choice}")
    given: dict[str, str] = {}
    for question, choice in answers.items():
        if question not in compiled.questions:
            allowed = ", ".join(compiled.questions)
            raise AnswerError(f"unknown question {echo(question)}; allowed: {allowed}")
        if choice is None:  # an explicit null means "not answered"
            continue
        choices = compiled.questions[question]
        if not isinstance(choice, str) or choice not in choices:
            raise AnswerError(
                f"unknown choice {echo(choice)} for {question!r}; allowed: {', '.join(choices)}"
            )
        given[question] = choice
    # the catalog's order, whatever the order of the keys in the input
    return {q: given[q] for q in compiled.questions if q in given}


def check_weights(compiled: CompiledCatalog, weights: Any) -> dict[str, int]:
    """Return every criterion's stated weight (missing ones are 1), or raise AnswerError."""
    return {**dict.fromkeys(compiled.criteria, DEFAULT_WEIGHT), **stated_weights(compiled, weights)}


def stated_weights(compiled: CompiledCatalog, weights: Any) -> dict[str, int]:
    """Only the weights the caller states, checked; raise AnswerError on a bad one."""
    if weights is None:
        return {}
    if not isinstance(weights, dict):
        raise AnswerError("weights must be a JSON object of {criterion: 0-3}")
    clean: dict[str, int] = {}
    for criterion, weight in weights.items():
        if criterion not in compiled.criteria:
            allowed = ", ".join(compiled.criteria)
            raise AnswerError(f"unknown criterion {echo(criterion)}; allowed: {allowed}")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int)
            or not 0 <= weight <= MAX_CRITERION_WEIGHT
        ):
            raise AnswerError(
                f"weight of {criterion!r} must be a whole number from 0 to {MAX_CRITERION_WEIGHT}"
            )
        clean[criterion] = weight
    return {c: clean[c] for c in compiled.criteria if c in clean}


def _order(
    patterns: list[str], scores: dict[str, int], excluded: frozenset[str]
) -> tuple[list[str], dict[str, int]]:
    """Patterns in ranking order with competition ranks (1, 1, 3); catalog order on equals."""
    position = {p: i for i, p in enumerate(patterns)}
    ordered = sorted(patterns, key=lambda p: (p in excluded, -scores[p], position[p]))
    ranks: dict[str, int] = {}
    for i, pattern in enumerate(ordered):
        prev = ordered[i - 1] if i else None
        same = (
            prev is not None
            and (prev in excluded) == (pattern in excluded)
            and scores[prev] == scores[pattern]
        )
        ranks[pattern] = ranks[prev] if same and prev is not None else i + 1
    return ordered, ranks


def _reasons(
    compiled: CompiledCatalog, totals: Totals, lang: str
) -> tuple[dict[str, list[Reason]], dict[str, list[ExclusionReason]]]:
    """Every contribution that counts (conditions hold, weight not 0) and every exclusion, in
    the catalog's question order, then the order of the effects in the catalog."""
    answers, weights = totals.answers, totals.weights
    reasons: dict[str, list[Reason]] = {p: [] for p in compiled.patterns}
    exclusions: dict[str, list[ExclusionReason]] = {p: [] for p in compiled.patterns}
    for question, choice in answers.items():
        for effect in compiled.effects[(question, choice)]:
            value = effect.weight * weights[effect.criterion]
            if value == 0 or (effect.when and not holds(effect.when, answers)):
                continue  # a criterion at weight 0 lists no "+0" reasons
            text = compiled.statements[effect.statement][lang]
            reasons[effect.pattern].append(
                Reason(
                    question,
                    choice,
                    effect.criterion,
                    value,
                    effect.reason[lang],
                    effect.statement,
                    text,
                )
            )
        for exclusion in compiled.exclusions[(question, choice)]:
            if exclusion.when and not holds(exclusion.when, answers):
                continue
            text = compiled.statements[exclusion.statement][lang]
            exclusions[exclusion.pattern].append(
                ExclusionReason(question, choice, exclusion.reason[lang], exclusion.statement, text)
            )
    return reasons, exclusions


def _verdict(
    ordered: list[str], scores: dict[str, int], excluded: frozenset[str]
) -> tuple[bool, bool, bool, str | None]:
    """(tie, narrow, weak, winner): a tie for first has no winner; a lead under NARROW_LEAD
    points is narrow; a first option fitting under WEAK_FIT (or none eligible) is weak."""
    eligible = [p for p in ordered if p not in excluded]
    weak = not eligible or scores[eligible[0]] < WEAK_FIT
    tie = len(eligible) > 1 and scores[eligible[0]] == scores[eligible[1]]
    if not eligible or tie:
        return tie, False, weak, None
    winner = eligible[0]
    narrow = len(eligible) > 1 and scores[winner] - scores[eligible[1]] < NARROW_LEAD
    return False, narrow, weak, winner


def rank(
    catalog: dict[str, Any] | CompiledCatalog,
    answers: Any,
    weights: Any = None,
    lang: str = "en",
    *,
    with_sensitivity: bool = True,
) -> Recommendation:
    """Rank every pattern for `answers`; `.to_json()` is the `recommend` JSON of product.md.

    `weights` are the criterion weights the caller states (0-3); a criterion left out takes
    the weight an answer sets for it (e.g. the cost priority), else 1.
    `with_sensitivity=False` skips the sensitivity analysis (nearly all of the cost), for pages
    that do not show it (the wizard's live panel).
    """
    compiled = catalog if isinstance(catalog, CompiledCatalog) else compile_catalog(catalog)
    if lang not in LANGS:
        raise AnswerError(f"unknown language {echo(lang)}; allowed: {', '.join(LANGS)}")
    clean = check_answers(compiled, answers)
    evaluator = Evaluator(compiled, stated_weights(compiled, weights))
    totals = evaluator.totals(clean)
    reasons, exclusions = _reasons(compiled, totals, lang)
    fits = totals.fits()
    scores = {p: fits[i] for i, p in enumerate(compiled.patterns)}
    excluded = totals.excluded(compiled.patterns)
    ordered, ranks = _order(compiled.patterns, scores, excluded)
    tie, narrow, weak, winner = _verdict(ordered, scores, excluded)
    position = {p: i for i, p in enumerate(compiled.patterns)}
    ranking = tuple(
        RankedPattern(
            pattern=p,
            rank=ranks[p],
            score=scores[p],
            excluded=p in excluded,
            exclusions=tuple(exclusions[p]),
            reasons=tuple(reasons[p]),
            earned=totals.earned[position[p]],
            possible=totals.possible[position[p]],
        )
        for p in ordered
    )
    return Recommendation(
        catalog=compiled.slug,
        catalog_version=compiled.version,
        answers=clean,
        weights=totals.weights,
        tie=tie,
        narrow=narrow,
        weak=weak,
        weight_from=totals.weight_from,
        ranking=ranking,
        sensitivity=sensitivity(compiled, evaluator, totals, winner) if with_sensitivity else (),
    )
