"""Points and fit: the numeric core of the engine (docs/engine.md).

Pure Python, no Django. The catalog is indexed once (`_Index`, kept on the compiled catalog);
an `Evaluator` scores answer sets for one set of stated weights and memoises each question's
contribution by (weights, question, answer, the answers its conditions read), so that the
sensitivity analysis re-scores a changed answer set by redoing only the questions the change
touches. `patterns.sensitivity` searches the answer changes that would change the winner.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compiled import CompiledCatalog, Condition, holds
from .recommendation import Flip

NARROW_LEAD = 10  # a lead under 10 points of fit (0-100) is "no clear winner"
WEAK_FIT = 50  # a winner fitting under 50 / 100 is a weak one: "no option fits well"
DEFAULT_WEIGHT = 1
MEMO_LIMIT = 100_000  # contributions kept per catalog version before the memo starts afresh

Vector = tuple[int, ...]  # one number per pattern, in catalog order
Contribution = tuple[Vector, Vector, Vector]  # earned, possible, excluded (0/1 per pattern)
Slot = tuple[str, str]


def fit(earned: int, possible: int) -> int:
    """The share of `possible` earned, 0-100, rounded half up; 0 when nothing could be earned."""
    if possible <= 0 or earned <= 0:
        return 0
    return min(100, (200 * earned + possible) // (2 * possible))


class _Index:
    """The catalog in numbers: pattern indices, effects per slot, condition dependencies."""

    def __init__(self, compiled: CompiledCatalog):
        self.patterns = compiled.patterns
        self.size = len(compiled.patterns)
        position = {p: i for i, p in enumerate(compiled.patterns)}
        self.criteria = compiled.criteria
        self.choices = compiled.questions
        self.effects: dict[Slot, tuple[tuple[int, str, int, Condition], ...]] = {
            slot: tuple((position[e.pattern], e.criterion, e.weight, e.when) for e in effects)
            for slot, effects in compiled.effects.items()
        }
        self.exclusions: dict[Slot, tuple[tuple[int, Condition], ...]] = {
            slot: tuple((position[x.pattern], x.when) for x in items)
            for slot, items in compiled.exclusions.items()
        }
        reads: dict[str, set[str]] = {q: set() for q in compiled.questions}
        for (question, _), effects in compiled.effects.items():
            reads[question].update(q for e in effects for q, _ in e.when)
        for (question, _), items in compiled.exclusions.items():
            reads[question].update(q for x in items for q, _ in x.when)
        self.reads = {q: tuple(sorted(qs)) for q, qs in reads.items()}
        # question -> the questions whose contribution depends on its answer (itself first)
        self.touches = {
            q: (q, *(other for other, qs in self.reads.items() if q in qs and other != q))
            for q in compiled.questions
        }
        self.choice_weights = compiled.choice_weights
        self.setters = frozenset(q for q, _ in compiled.choice_weights)
        # question -> ((choice, its effects), ...); questions that move nothing are left out
        self.by_question = {
            q: tuple((c, self.effects[(q, c)]) for c in cs)
            for q, cs in compiled.questions.items()
            if any(self.effects[(q, c)] or self.exclusions[(q, c)] for c in cs)
        }
        # apart[q1][q2]: no contribution depends on both answers, so their changes add up
        self.common = {
            q1: {q2: tuple(q for q in t1 if q in t2) for q2, t2 in self.touches.items()}
            for q1, t1 in self.touches.items()
        }
        self.apart = {
            q1: {q2: not both for q2, both in row.items()} for q1, row in self.common.items()
        }
        self.zero: Contribution = ((0,) * self.size,) * 3
        self._touched: dict[tuple[str, ...], tuple[str, ...]] = {}
        # contributions by (weights, question, answer, answers its conditions read); shared by
        # every answer set scored against this catalog version, bounded
        self.memo: dict[tuple[object, ...], Contribution] = {}
        # the sensitivity (immutable Flips) by (answers, stated weights, winner), bounded
        self.flips: dict[tuple[object, ...], tuple[Flip, ...]] = {}

    def touched(self, changed: tuple[str, ...]) -> tuple[str, ...]:
        """The questions whose contribution depends on any of the `changed` questions."""
        found = self._touched.get(changed)
        if found is None:
            found = tuple(dict.fromkeys(q for c in changed for q in self.touches[c]))
            self._touched[changed] = found
        return found


def index_of(compiled: CompiledCatalog) -> _Index:
    if compiled.index is None:
        compiled.index = _Index(compiled)
    index: _Index = compiled.index
    return index


def effective_weights(
    compiled: CompiledCatalog, answers: dict[str, str], stated: dict[str, int]
) -> tuple[dict[str, int], dict[str, Slot]]:
    """Each criterion's weight: the stated one; else the highest an answer sets (e.g. the
    cost priority sets the cost weight); else 1. Also which answer set a weight."""
    weights = dict.fromkeys(compiled.criteria, DEFAULT_WEIGHT)
    source: dict[str, Slot] = {}
    for slot in answers.items():
        for criterion, weight in compiled.choice_weights.get(slot, {}).items():
            if criterion not in stated and (criterion not in source or weight > weights[criterion]):
                weights[criterion] = weight
                source[criterion] = slot
    weights.update(stated)
    return weights, source


@dataclass(frozen=True)
class Totals:
    """One answer set scored: weights used, points earned and possible, exclusions."""

    answers: dict[str, str]
    weights: dict[str, int]
    weight_from: dict[str, Slot]
    parts: dict[str, Contribution]  # per answered question
    earned: Vector
    possible: Vector
    counts: Vector  # per pattern: how many answers exclude it
    wkey: Vector = ()  # the weights in criterion order (the memo's key)

    @property
    def vectors(self) -> Vectors:
        return self.earned, self.possible, self.counts

    def fits(self) -> list[int]:
        return [fit(e, p) for e, p in zip(self.earned, self.possible, strict=True)]

    def excluded(self, patterns: list[str]) -> frozenset[str]:
        return frozenset(p for p, n in zip(patterns, self.counts, strict=True) if n)


Vectors = tuple[Vector, Vector, Vector]  # earned, possible, exclusion counts


def plus(first: Vectors, second: Vectors) -> Vectors:
    """Two vector triples added (the sensitivity's hot path: a single change plus another)."""
    return (
        tuple([x + y for x, y in zip(first[0], second[0], strict=True)]),
        tuple([x + y for x, y in zip(first[1], second[1], strict=True)]),
        tuple([x + y for x, y in zip(first[2], second[2], strict=True)]),
    )


def add_up(first: Vectors, *more: Vectors) -> Vectors:
    earned, possible, counts = list(first[0]), list(first[1]), list(first[2])
    size = len(earned)
    for e, p, n in more:
        for i in range(size):
            earned[i] += e[i]
            possible[i] += p[i]
            counts[i] += n[i]
    return tuple(earned), tuple(possible), tuple(counts)


class Evaluator:
    """Scores answer sets (already checked) under one set of stated weights, with a memo."""

    def __init__(self, compiled: CompiledCatalog, stated: dict[str, int]):
        self.compiled = compiled
        self.index = index_of(compiled)
        self.stated = stated
        self.memo = self.index.memo
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()

    def contribution(
        self, question: str, answers: dict[str, str], weights: dict[str, int], wkey: Vector
    ) -> Contribution:
        """What answering `question` gives each pattern (earned: merits minus demerits), the
        most merit points any of its choices would give (possible) and the patterns it
        excludes (0/1 each)."""
        index = self.index
        if question not in index.by_question:
            return index.zero
        chosen = answers[question]
        key = (wkey, question, chosen, *[answers.get(q) for q in index.reads[question]])
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        size = index.size
        best = [0] * size
        earned = best
        for choice, effects in index.by_question[question]:
            points = [0] * size
            gains = [0] * size  # the merits alone: a demerit every choice carries still counts
            for pattern, criterion, weight, when in effects:
                if not when or holds(when, answers):
                    value = weight * weights[criterion]
                    points[pattern] += value
                    if value > 0:
                        gains[pattern] += value
            for i in range(size):
                if gains[i] > best[i]:
                    best[i] = gains[i]
            if choice == chosen:
                earned = points
        excluded = [0] * size
        for pattern, when in index.exclusions[(question, chosen)]:
            if not when or holds(when, answers):
                excluded[pattern] = 1
        result = (tuple(earned), tuple(best), tuple(excluded))
        self.memo[key] = result
        return result

    def totals(self, answers: dict[str, str]) -> Totals:
        weights, weight_from = effective_weights(self.compiled, answers, self.stated)
        wkey = tuple(weights[c] for c in self.index.criteria)
        parts = {q: self.contribution(q, answers, weights, wkey) for q in answers}
        earned, possible, counts = add_up(self.index.zero, *parts.values())
        return Totals(answers, weights, weight_from, parts, earned, possible, counts, wkey)

    def weights_for(self, base: Totals, changes: dict[str, str]) -> dict[str, int]:
        """The weights `base` would have with `changes`; cheap when no change sets one."""
        if self.index.setters.isdisjoint(changes):
            return base.weights
        return effective_weights(self.compiled, {**base.answers, **changes}, self.stated)[0]

    def delta(
        self,
        base: Totals,
        changes: dict[str, str],
        parts: dict[str, Contribution] | None = None,
    ) -> Vectors:
        """What `changes` add to `base`'s vectors, redoing only the questions they touch
        (their new contributions go into `parts` when given); the changes must leave the
        weights as they are (see `weights_for`)."""
        answers = {**base.answers, **changes}
        index = self.index
        wkey = base.wkey
        earned, possible, counts = index.zero
        for question in index.touched(tuple(changes)):
            if question not in answers or question not in index.by_question:
                continue
            new = self.contribution(question, answers, base.weights, wkey)
            if parts is not None:
                parts[question] = new
            old = base.parts.get(question, index.zero)
            if new is old:  # the memo hands back the same contribution: nothing moved
                continue
            earned = tuple([d + n - o for d, n, o in zip(earned, new[0], old[0], strict=True)])
            possible = tuple([d + n - o for d, n, o in zip(possible, new[1], old[1], strict=True)])
            counts = tuple([d + n - o for d, n, o in zip(counts, new[2], old[2], strict=True)])
        return earned, possible, counts
