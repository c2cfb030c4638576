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


def _plus(first: Vectors, second: Vectors) -> Vectors:
    """Two vector triples added (the sensitivity's hot path: a single change plus another)."""
    return (
        tuple([x + y for x, y in zip(first[0], second[0], strict=True)]),
        tuple([x + y for x, y in zip(first[1], second[1], strict=True)]),
        tuple([x + y for x, y in zip(first[2], second[2], strict=True)]),
    )


def _add(first: Vectors, *more: Vectors) -> Vectors:
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
        earned, possible, counts = _add(self.index.zero, *parts.values())
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


def leaders(vectors: Vectors) -> tuple[list[int], list[int]]:
    """The fits, and the indices of the eligible patterns with the highest (several: a tie)."""
    earned, possible, counts = vectors
    fits = [
        0 if p <= 0 or e <= 0 else min(100, (200 * e + p) // (2 * p))
        for e, p in zip(earned, possible, strict=True)
    ]
    top = -1
    best: list[int] = []
    for i, n in enumerate(counts):
        if not n:
            if fits[i] > top:
                top, best = fits[i], [i]
            elif fits[i] == top:
                best.append(i)
    return fits, best


_Key = tuple[bool, bool, int, int]
_Found = tuple[_Key, tuple[Slot, ...], bool, bool, int]


class _Search:
    """The best change set found so far for each target pattern (see `sensitivity`)."""

    def __init__(self, evaluator: Evaluator, base: Totals):
        self.evaluator = evaluator
        self.base = base
        self.fits_now, self.leaders_now = leaders(base.vectors)
        self.found: dict[int, _Found] = {}
        self.singles: dict[Slot, Vectors] = {}  # a change's delta from base (same weights)
        self.changed: dict[Slot, Vectors] = {}  # base with that one change
        self.parts: dict[Slot, dict[str, Contribution]] = {}  # its touched questions' parts
        self.anchors: dict[Slot, Totals] = {}  # a change that sets other weights, scored whole

    def single(self, slot: Slot) -> Vectors:
        """The vectors with one answer changed; remembers how, for the pairs."""
        evaluator, base = self.evaluator, self.base
        change = dict((slot,))
        if evaluator.weights_for(base, change) != base.weights:
            self.anchors[slot] = evaluator.totals({**base.answers, **change})
            return self.anchors[slot].vectors
        self.parts[slot] = {}
        self.singles[slot] = evaluator.delta(base, change, self.parts[slot])
        self.changed[slot] = _plus(base.vectors, self.singles[slot])
        return self.changed[slot]

    def quick_pair(self, first: Slot, second: Slot, pending: frozenset[int]) -> bool | None:
        """For two changes that simply add up (no weight set, no common question): whether
        the sum can have a pending target as its sole first, decided without building the
        vectors (most pairs cannot); None when the pair needs the full path (`pair`)."""
        index = self.evaluator.index
        second_delta = self.singles.get(second)
        if (
            second_delta is None
            or first not in self.singles
            or first[0] in index.setters
            or second[0] in index.setters
            or not index.apart[first[0]][second[0]]
        ):
            return None
        e1, p1, n1 = self.changed[first]
        e2, p2, n2 = second_delta
        top, leader, tie = -1, -1, False
        for i in range(index.size):
            if n1[i] + n2[i]:
                continue
            e, p = e1[i] + e2[i], p1[i] + p2[i]
            f = 0 if p <= 0 or e <= 0 else min(100, (200 * e + p) // (2 * p))
            if f > top:
                top, leader, tie = f, i, False
            elif f == top:
                tie = True
        return not tie and leader in pending

    def pair(self, first: Slot, second: Slot) -> Vectors:
        evaluator, base, index = self.evaluator, self.base, self.evaluator.index
        second_delta = self.singles.get(second)
        if first in self.singles and second_delta is not None:
            setter = first[0] in index.setters or second[0] in index.setters
            if not setter and index.apart[first[0]][second[0]]:
                return _plus(self.changed[first], second_delta)
            changes = dict((first, second))
            if setter and evaluator.weights_for(base, changes) != base.weights:
                return evaluator.totals({**base.answers, **changes}).vectors
            return self._overlapping(first, second, second_delta)
        changes = dict((first, second))
        for anchor_slot, other in ((first, second), (second, first)):
            anchor = self.anchors.get(anchor_slot)
            if anchor is not None and evaluator.weights_for(anchor, dict((other,))) == (
                anchor.weights
            ):
                return _add(anchor.vectors, evaluator.delta(anchor, dict((other,))))
        return evaluator.totals({**base.answers, **changes}).vectors

    def _overlapping(self, first: Slot, second: Slot, second_delta: Vectors) -> Vectors:
        """Two changes whose touched questions overlap: both singles added, then each common
        question's contribution put right (with both changes, less each single's share)."""
        evaluator, base, index = self.evaluator, self.base, self.evaluator.index
        answers = {**base.answers, first[0]: first[1], second[0]: second[1]}
        earned, possible, counts = (list(v) for v in _plus(self.changed[first], second_delta))
        zero = index.zero
        for question in index.common[first[0]][second[0]]:
            if question not in answers or question not in index.by_question:
                continue
            both = evaluator.contribution(question, answers, base.weights, base.wkey)
            one = self.parts[first].get(question, zero)
            other = self.parts[second].get(question, zero)
            was = base.parts.get(question, zero)
            for i in range(index.size):
                earned[i] += both[0][i] - one[0][i] - other[0][i] + was[0][i]
                possible[i] += both[1][i] - one[1][i] - other[1][i] + was[1][i]
                counts[i] += both[2][i] - one[2][i] - other[2][i] + was[2][i]
        return tuple(earned), tuple(possible), tuple(counts)

    def consider(
        self, changes: tuple[Slot, ...], vectors: Vectors, pending: frozenset[int]
    ) -> None:
        fits, top = leaders(vectors)
        if len(top) != 1 or top[0] not in pending:
            return
        target = top[0]
        score = fits[target]
        counts = vectors[2]
        others = [f for i, f in enumerate(fits) if i != target and not counts[i]]
        by_exclusion = any(
            leader != target and counts[leader] and fits[leader] >= score
            for leader in self.leaders_now
        )
        weak = score < WEAK_FIT
        gain = score - self.fits_now[target]
        key = (not by_exclusion, not weak, gain, score - max(others, default=0))
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
    memo_key = (tuple(answers.items()), tuple(evaluator.stated.items()), winner)
    known = evaluator.index.flips.get(memo_key)
    if known is not None:
        return known
    singles: list[Slot] = [
        (q, c) for q, cs in compiled.questions.items() for c in cs if answers.get(q) != c
    ]
    targets = frozenset(i for i, p in enumerate(compiled.patterns) if p != winner)
    search = _Search(evaluator, base)
    for slot in singles:
        search.consider((slot,), search.single(slot), targets)
    found = search.found
    pending = frozenset(t for t in targets if t not in found or not all(found[t][0][:2]))
    if pending:
        singles_found = dict(found)
        for first, second in combinations(singles, 2):
            if first[0] != second[0] and search.quick_pair(first, second, pending) is not False:
                search.consider((first, second), search.pair(first, second), pending)
        for target in pending:  # a pair replaces a single only when it is a genuine flip
            if target in singles_found and not all(found[target][0][:2]):
                found[target] = singles_found[target]
    flips = tuple(_flips(compiled, answers, targets, found))
    if len(evaluator.index.flips) > MEMO_LIMIT // 100:
        evaluator.index.flips.clear()
    evaluator.index.flips[memo_key] = flips
    return flips


def _flips(
    compiled: CompiledCatalog, answers: dict[str, str], targets: frozenset[int], found: dict
) -> list[Flip]:
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
    return flips
