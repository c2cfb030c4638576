"""The scoring engine: ranks a catalog's patterns for a set of answers, with reasons.

Pure Python on the catalog's plain-data form (the shape of `fixtures/catalogs/*.json`, see
fixtures/catalogs/README.md); no Django request, no database. Every rule lives in the catalog data:
choice effects (weight, criterion, statement, reason) and exclusions (hard requirements).

`compile_catalog()` turns the data into per-(question, choice) score vectors once; `rank()`
sums them, so scoring plus the sensitivity analysis (a few hundred re-scorings) stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .recommendation import Change, ExclusionReason, Flip, RankedPattern, Reason, Recommendation

NARROW_LEAD = 0.10  # a lead under 10 % of the winner's score is "no clear winner"
MAX_CRITERION_WEIGHT = 3
LANGS = ("ja", "en")


class AnswerError(ValueError):
    """Bad answers or weights; the message names the key and the allowed values."""


@dataclass(frozen=True)
class Effect:
    pattern: str
    criterion: str
    weight: int
    statement: str
    reason: dict[str, str]


@dataclass(frozen=True)
class Exclusion:
    pattern: str
    statement: str
    reason: dict[str, str]


@dataclass
class CompiledCatalog:
    slug: str
    version: str
    patterns: list[str]
    criteria: list[str]
    questions: dict[str, list[str]]  # question key -> choice keys, in catalog order
    effects: dict[tuple[str, str], list[Effect]] = field(default_factory=dict)
    exclusions: dict[tuple[str, str], list[Exclusion]] = field(default_factory=dict)
    statements: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> texts
    # display names: ("pattern", key), ("criterion", key), ("question", key),
    # ("choice", question, key) -> {"ja": ..., "en": ...}
    labels: dict[tuple[str, ...], dict[str, str]] = field(default_factory=dict)

    def label(self, lang: str, *path: str) -> str:
        return self.labels.get(path, {}).get(lang, path[-1])


def compile_catalog(data: dict[str, Any]) -> CompiledCatalog:
    """Index a valid catalog dict for scoring (validate it first with `validate_catalog`)."""
    compiled = CompiledCatalog(
        slug=data["slug"],
        version=str(data["version"]),
        patterns=[p["key"] for p in data["patterns"]],
        criteria=[c["key"] for c in data["criteria"]],
        questions={},
    )

    def names(item: dict[str, Any], base: str) -> dict[str, str]:
        return {lang: item[f"{base}_{lang}"] for lang in LANGS}

    for crit in data["criteria"]:
        compiled.labels[("criterion", crit["key"])] = names(crit, "name")
    for pattern in data["patterns"]:
        compiled.labels[("pattern", pattern["key"])] = names(pattern, "name")
        for st in pattern["statements"]:
            compiled.statements[st["key"]] = {lang: st[f"text_{lang}"] for lang in LANGS}
    for step in data["steps"]:
        for question in step["questions"]:
            compiled.questions[question["key"]] = [c["key"] for c in question["choices"]]
            compiled.labels[("question", question["key"])] = names(question, "text")
            for choice in question["choices"]:
                compiled.labels[("choice", question["key"], choice["key"])] = names(choice, "label")
                slot = (question["key"], choice["key"])
                compiled.effects[slot] = [
                    Effect(
                        pattern=e["pattern"],
                        criterion=e["criterion"],
                        weight=int(e["weight"]),
                        statement=e["statement"],
                        reason={lang: e[f"reason_{lang}"] for lang in LANGS},
                    )
                    for e in choice.get("effects", [])
                ]
                compiled.exclusions[slot] = [
                    Exclusion(
                        pattern=x["pattern"],
                        statement=x["statement"],
                        reason={lang: x[f"reason_{lang}"] for lang in LANGS},
                    )
                    for x in choice.get("exclusions", [])
                ]
    return compiled


def check_answers(compiled: CompiledCatalog, answers: Any) -> dict[str, str]:
    """Return the answers as {question: choice}, or raise AnswerError naming the bad key."""
    if not isinstance(answers, dict):
        raise AnswerError("answers must be a JSON object of {question: choice}")
    clean: dict[str, str] = {}
    for question, choice in answers.items():
        if question not in compiled.questions:
            allowed = ", ".join(compiled.questions)
            raise AnswerError(f"unknown question {question!r}; allowed: {allowed}")
        if choice is None:  # an explicit null means "not answered"
            continue
        choices = compiled.questions[question]
        if not isinstance(choice, str) or choice not in choices:
            raise AnswerError(
                f"unknown choice {choice!r} for {question!r}; allowed: {', '.join(choices)}"
            )
        clean[question] = choice
    return clean


def check_weights(compiled: CompiledCatalog, weights: Any) -> dict[str, int]:
    """Return criterion weights (missing ones are 1), or raise AnswerError."""
    if weights is None:
        weights = {}
    if not isinstance(weights, dict):
        raise AnswerError("weights must be a JSON object of {criterion: 0-3}")
    clean = dict.fromkeys(compiled.criteria, 1)
    for criterion, weight in weights.items():
        if criterion not in clean:
            allowed = ", ".join(compiled.criteria)
            raise AnswerError(f"unknown criterion {criterion!r}; allowed: {allowed}")
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int)
            or not 0 <= weight <= MAX_CRITERION_WEIGHT
        ):
            raise AnswerError(
                f"weight of {criterion!r} must be a whole number from 0 to {MAX_CRITERION_WEIGHT}"
            )
        clean[criterion] = weight
    return clean


def _vector(
    compiled: CompiledCatalog, slot: tuple[str, str], weights: dict[str, int]
) -> tuple[dict[str, int], frozenset[str]]:
    """Score change per pattern, and the patterns excluded, for one answered choice."""
    scores = dict.fromkeys(compiled.patterns, 0)
    for effect in compiled.effects.get(slot, ()):
        scores[effect.pattern] += effect.weight * weights[effect.criterion]
    excluded = frozenset(x.pattern for x in compiled.exclusions.get(slot, ()))
    return scores, excluded


class _Scorer:
    """Re-scores answer sets quickly from precomputed per-choice vectors."""

    def __init__(self, compiled: CompiledCatalog, weights: dict[str, int]):
        self.patterns = compiled.patterns
        self.vectors = {
            slot: _vector(compiled, slot, weights)
            for slot in ((q, c) for q, cs in compiled.questions.items() for c in cs)
        }

    def totals(self, answers: dict[str, str]) -> tuple[dict[str, int], set[str]]:
        scores = dict.fromkeys(self.patterns, 0)
        excluded: set[str] = set()
        for slot in answers.items():
            vec, exc = self.vectors[slot]
            for pattern, value in vec.items():
                scores[pattern] += value
            excluded |= exc
        return scores, excluded


def _order(
    patterns: list[str], scores: dict[str, int], excluded: set[str]
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


def sensitivity(
    compiled: CompiledCatalog,
    answers: dict[str, str],
    weights: dict[str, int],
    winner: str | None,
) -> tuple[Flip, ...]:
    """For each pattern but the sole winner: the fewest answer changes (1, else 2) making it win.

    Among equally small change sets, the one giving the widest lead wins; then catalog order.
    `changes` is empty when no change of one or two answers does.
    """
    scorer = _Scorer(compiled, weights)
    singles: list[tuple[str, str]] = [
        (q, c) for q, cs in compiled.questions.items() for c in cs if answers.get(q) != c
    ]

    def lead_for(candidate: dict[str, str], pattern: str) -> int | None:
        scores, excluded = scorer.totals(candidate)
        if pattern in excluded:
            return None
        others = [scores[p] for p in compiled.patterns if p != pattern and p not in excluded]
        best_other = max(others) if others else None
        if best_other is not None and scores[pattern] <= best_other:
            return None
        return scores[pattern] - (best_other if best_other is not None else 0)

    targets = [p for p in compiled.patterns if p != winner]
    found: dict[str, tuple[int, tuple[tuple[str, str], ...]]] = {}

    def consider(candidate: dict[str, str], changes: tuple[tuple[str, str], ...]) -> None:
        for pattern in pending:
            lead = lead_for(candidate, pattern)
            if lead is not None and (pattern not in found or lead > found[pattern][0]):
                found[pattern] = (lead, changes)

    pending = targets
    for q, c in singles:
        consider({**answers, q: c}, ((q, c),))
    pending = [p for p in targets if p not in found]
    if pending:
        for (q1, c1), (q2, c2) in combinations(singles, 2):
            if q1 != q2:
                consider({**answers, q1: c1, q2: c2}, ((q1, c1), (q2, c2)))
    return tuple(
        Flip(
            pattern=pattern,
            changes=tuple(
                Change(question=q, from_=answers.get(q), to=c)
                for q, c in found.get(pattern, (0, ()))[1]
            ),
        )
        for pattern in targets
    )


def _contributions(
    compiled: CompiledCatalog, answers: dict[str, str], weights: dict[str, int], lang: str
) -> tuple[dict[str, int], dict[str, list[Reason]], dict[str, list[ExclusionReason]]]:
    """Each pattern's score, the reasons behind it and its exclusions, for checked answers."""
    scores = dict.fromkeys(compiled.patterns, 0)
    reasons: dict[str, list[Reason]] = {p: [] for p in compiled.patterns}
    exclusions: dict[str, list[ExclusionReason]] = {p: [] for p in compiled.patterns}
    for question, choice in answers.items():
        for effect in compiled.effects[(question, choice)]:
            value = effect.weight * weights[effect.criterion]
            scores[effect.pattern] += value
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
            text = compiled.statements[exclusion.statement][lang]
            exclusions[exclusion.pattern].append(
                ExclusionReason(question, choice, exclusion.reason[lang], exclusion.statement, text)
            )
    return scores, reasons, exclusions


def _verdict(
    ordered: list[str], scores: dict[str, int], excluded: set[str]
) -> tuple[bool, bool, str | None]:
    """(tie, narrow, winner): a tie for first has no winner; a lead under NARROW_LEAD of the
    winner's score is narrow."""
    eligible = [p for p in ordered if p not in excluded]
    tie = len(eligible) > 1 and scores[eligible[0]] == scores[eligible[1]]
    if not eligible or tie:
        return tie, False, None
    winner = eligible[0]
    lead = scores[winner] - scores[eligible[1]] if len(eligible) > 1 else None
    return False, lead is not None and lead < NARROW_LEAD * abs(scores[winner]), winner


def rank(
    catalog: dict[str, Any] | CompiledCatalog,
    answers: Any,
    weights: Any = None,
    lang: str = "en",
    *,
    with_sensitivity: bool = True,
) -> Recommendation:
    """Rank every pattern for `answers`; `.to_json()` is the `recommend` JSON of product.md.

    `with_sensitivity=False` skips the sensitivity analysis (nearly all of the cost), for pages
    that do not show it (the wizard's live panel)."""
    compiled = catalog if isinstance(catalog, CompiledCatalog) else compile_catalog(catalog)
    if lang not in LANGS:
        raise AnswerError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    clean = check_answers(compiled, answers)
    crit_weights = check_weights(compiled, weights)
    scores, reasons, exclusions = _contributions(compiled, clean, crit_weights, lang)
    excluded = {p for p, found in exclusions.items() if found}
    ordered, ranks = _order(compiled.patterns, scores, excluded)
    tie, narrow, winner = _verdict(ordered, scores, excluded)
    ranking = tuple(
        RankedPattern(
            pattern=p,
            rank=ranks[p],
            score=scores[p],
            excluded=p in excluded,
            exclusions=tuple(exclusions[p]),
            # biggest contributions first, then question order (a stable sort)
            reasons=tuple(sorted(reasons[p], key=lambda r: -abs(r.effect))),
        )
        for p in ordered
    )
    return Recommendation(
        catalog=compiled.slug,
        catalog_version=compiled.version,
        answers=clean,
        weights=crit_weights,
        tie=tie,
        narrow=narrow,
        ranking=ranking,
        sensitivity=sensitivity(compiled, clean, crit_weights, winner) if with_sensitivity else (),
    )
