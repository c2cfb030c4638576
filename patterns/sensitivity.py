"""The sensitivity analysis: which one or two answer changes would put each option first.

Built on `patterns.evaluation`: a single change is scored as a delta from the answer set's
totals; two changes that touch no common question add up; overlapping ones correct only
their common questions; a change that sets other criterion weights is scored whole.
"""

from __future__ import annotations

from itertools import combinations

from .compiled import CompiledCatalog
from .evaluation import (
    MEMO_LIMIT,
    WEAK_FIT,
    Contribution,
    Evaluator,
    Slot,
    Totals,
    Vectors,
    add_up,
    plus,
)
from .recommendation import Change, Flip


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
        self.changed[slot] = plus(base.vectors, self.singles[slot])
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
                return plus(self.changed[first], second_delta)
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
                return add_up(anchor.vectors, evaluator.delta(anchor, dict((other,))))
        return evaluator.totals({**base.answers, **changes}).vectors

    def _overlapping(self, first: Slot, second: Slot, second_delta: Vectors) -> Vectors:
        """Two changes whose touched questions overlap: both singles added, then each common
        question's contribution put right (with both changes, less each single's share)."""
        evaluator, base, index = self.evaluator, self.base, self.evaluator.index
        answers = {**base.answers, first[0]: first[1], second[0]: second[1]}
        earned, possible, counts = (list(v) for v in plus(self.changed[first], second_delta))
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
