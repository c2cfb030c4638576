"""Points, fit and the sensitivity analysis: the numeric core of the engine (docs/engine.md).

Pure Python, no Django. The catalog is indexed once (`_Index`, kept on the compiled catalog);
an `Evaluator` scores answer sets for one set of stated weights and memoises each question's
contribution by (weights, question, answer, the answers its conditions read), so that the
sensitivity analysis re-scores a changed answer set by redoing only the questions the change
touches: a few hundred candidate answer sets cost about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from .compiled import CompiledCatalog, Condition, holds
from .recommendation import Change, Flip

NARROW_LEAD = 10  # a lead under 10 points of fit (0-100) is "no clear winner"
WEAK_FIT = 50  # a winner fitting under 50 / 100 is a weak one: "no option fits well"
DEFAULT_WEIGHT = 1

Vector = tuple[int, ...]  # one number per pattern, in catalog order
Contribution = tuple[Vector, Vector, int]  # earned, possible, excluded patterns as a bit mask
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
    excluded_mask: int

    def fits(self) -> list[int]:
        return [fit(e, p) for e, p in zip(self.earned, self.possible, strict=True)]

    def excluded(self, patterns: list[str]) -> frozenset[str]:
        return frozenset(p for i, p in enumerate(patterns) if self.excluded_mask >> i & 1)


class Evaluator:
    """Scores answer sets (already checked) under one set of stated weights, with a memo."""

    def __init__(self, compiled: CompiledCatalog, stated: dict[str, int]):
        self.compiled = compiled
        self.index = index_of(compiled)
        self.stated = stated
        self.memo: dict[tuple[object, ...], Contribution] = {}

    def contribution(
        self, question: str, answers: dict[str, str], weights: dict[str, int], wkey: Vector
    ) -> Contribution:
        """What answering `question` gives each pattern (earned), the most any of its choices
        would give (possible, never below 0) and the patterns it excludes."""
        index = self.index
        chosen = answers[question]
        key = (wkey, question, chosen, *(answers.get(q) for q in index.reads[question]))
        hit = self.memo.get(key)
        if hit is not None:
            return hit
        earned = best = (0,) * index.size
        for choice in index.choices[question]:
            points = [0] * index.size
            for pattern, criterion, weight, when in index.effects[(question, choice)]:
                if not when or holds(when, answers):
                    points[pattern] += weight * weights[criterion]
            best = tuple(max(b, p) for b, p in zip(best, points, strict=True))
            if choice == chosen:
                earned = tuple(points)
        mask = 0
        for pattern, when in index.exclusions[(question, chosen)]:
            if not when or holds(when, answers):
                mask |= 1 << pattern
        result = (earned, best, mask)
        self.memo[key] = result
        return result

    def totals(self, answers: dict[str, str]) -> Totals:
        weights, weight_from = effective_weights(self.compiled, answers, self.stated)
        wkey = tuple(weights[c] for c in self.index.criteria)
        parts = {q: self.contribution(q, answers, weights, wkey) for q in answers}
        earned = [0] * self.index.size
        possible = [0] * self.index.size
        mask = 0
        for e, p, m in parts.values():
            for i in range(self.index.size):
                earned[i] += e[i]
                possible[i] += p[i]
            mask |= m
        return Totals(
            answers, weights, weight_from, parts, tuple(earned), tuple(possible), mask
        )

    def changed(self, base: Totals, changes: dict[str, str]) -> Totals:
        """`base` with some answers changed, redoing only the questions the change touches."""
        answers = {**base.answers, **changes}
        if not self.index.setters.isdisjoint(changes):
            weights, _ = effective_weights(self.compiled, answers, self.stated)
            if weights != base.weights:
                return self.totals(answers)
        wkey = tuple(base.weights[c] for c in self.index.criteria)
        parts = dict(base.parts)
        earned = list(base.earned)
        possible = list(base.possible)
        for question in {q for changed in changes for q in self.index.touches[changed]}:
            if question not in answers:
                continue
            old = parts.get(question)
            new = self.contribution(question, answers, base.weights, wkey)
            parts[question] = new
            for i in range(self.index.size):
                earned[i] += new[0][i] - (old[0][i] if old else 0)
                possible[i] += new[1][i] - (old[1][i] if old else 0)
        mask = 0
        for _, _, m in parts.values():
            mask |= m
        return Totals(
            answers, base.weights, base.weight_from, parts, tuple(earned), tuple(possible), mask
        )


def leaders(totals: Totals) -> list[int]:
    """Indices of the eligible patterns with the highest fit (several on a tie)."""
    fits = totals.fits()
    eligible = [i for i in range(len(fits)) if not totals.excluded_mask >> i & 1]
    if not eligible:
        return []
    top = max(fits[i] for i in eligible)
    return [i for i in eligible if fits[i] == top]


_Key = tuple[bool, bool, int, int]
_Found = tuple[_Key, tuple[Slot, ...], bool, bool, int]


class _Search:
    """The best change set found so far for each target pattern (see `sensitivity`)."""

    def __init__(self, evaluator: Evaluator, base: Totals):
        self.evaluator = evaluator
        self.base = base
        self.fits_now = base.fits()
        self.leaders_now = leaders(base)
        self.found: dict[int, _Found] = {}

    def consider(self, changes: tuple[Slot, ...], pending: frozenset[int]) -> None:
        totals = self.evaluator.changed(self.base, dict(changes))
        top = leaders(totals)
        if len(top) != 1 or top[0] not in pending:
            return
        target = top[0]
        fits = totals.fits()
        score = fits[target]
        others = [
            f for i, f in enumerate(fits) if i != target and not totals.excluded_mask >> i & 1
        ]
        by_exclusion = any(
            leader != target and totals.excluded_mask >> leader & 1 and fits[leader] >= score
            for leader in self.leaders_now
        )
        weak = score < WEAK_FIT
        key = (not by_exclusion, not weak, score - self.fits_now[target], score - max(others, default=0))
        if target not in self.found or key > self.found[target][0]:
            self.found[target] = (key, changes, by_exclusion, weak, score)


def sensitivity(
    compiled: CompiledCatalog,
    evaluator: Evaluator,
    base: Totals,
    winner: str | None,
) -> tuple[Flip, ...]:
    """For each pattern but the sole winner: the fewest answer changes (1, else 2) making it
    the sole, non-excluded first.

    Among change sets of the same size, a flip the target earns on its own fit is preferred to
    one that works only by excluding the current leader, a flip leaving it fitting well to a
    weak one, then the larger gain in its own fit, the wider lead, catalog order. When the best
    single change only excludes the leader or leaves a weak winner, two changes that make the
    target win on its own fit are preferred.
    """
    answers = base.answers
    singles: list[Slot] = [
        (q, c) for q, cs in compiled.questions.items() for c in cs if answers.get(q) != c
    ]
    targets = frozenset(i for i, p in enumerate(compiled.patterns) if p != winner)
    search = _Search(evaluator, base)
    for slot in singles:
        search.consider((slot,), targets)
    found = search.found
    pending = frozenset(t for t in targets if t not in found or not all(found[t][0][:2]))
    if pending:
        singles_found = dict(found)
        for first, second in combinations(singles, 2):
            if first[0] != second[0]:
                search.consider((first, second), pending)
        for target in pending:  # a pair replaces a single only when it is a genuine flip
            if target in singles_found and not all(found[target][0][:2]):
                found[target] = singles_found[target]
    flips = []
    for i, pattern in enumerate(compiled.patterns):
        if i not in targets:
            continue
        if i not in found:
            flips.append(Flip(pattern=pattern, changes=()))
            continue
        _, changes, by_exclusion, weak, score = found[i]
        flips.append(
            Flip(
                pattern=pattern,
                changes=tuple(Change(question=q, from_=answers.get(q), to=c) for q, c in changes),
                by_exclusion=by_exclusion,
                weak=weak,
                score=score,
            )
        )
    return tuple(flips)
