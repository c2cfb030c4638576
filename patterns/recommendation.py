"""The engine's result: typed, frozen; `Recommendation.to_json()` is the `recommend` JSON.

The JSON contract of product.md ("Machine interfaces") is these classes' `to_json()`, key
order included; `patterns.scoring.rank` builds them, `patterns.explanation` adds names.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Reason:
    """One contribution to a pattern's score: an answered choice's effect on one criterion."""

    question: str
    choice: str
    criterion: str
    effect: int
    text: str
    statement: str
    statement_text: str

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(Reason)}


@dataclass(frozen=True)
class ExclusionReason:
    """Why an answered choice rules a pattern out (a hard requirement it cannot meet)."""

    question: str
    choice: str
    text: str
    statement: str
    statement_text: str

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(ExclusionReason)}


@dataclass(frozen=True)
class RankedPattern:
    """`score` is the fit (0-100): `earned` as a share of `possible` (see docs/engine.md)."""

    pattern: str
    rank: int
    score: int
    excluded: bool
    exclusions: tuple[ExclusionReason, ...]
    reasons: tuple[Reason, ...]
    earned: int = 0
    possible: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "rank": self.rank,
            "score": self.score,
            "excluded": self.excluded,
            "exclusions": [x.to_json() for x in self.exclusions],
            "reasons": [r.to_json() for r in self.reasons],
            "points": {"earned": self.earned, "possible": self.possible},
        }


@dataclass(frozen=True)
class Change:
    """One answer changed: `from_` is the current choice (None when unanswered)."""

    question: str
    from_: str | None
    to: str

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question, "from": self.from_, "to": self.to}


@dataclass(frozen=True)
class Flip:
    """The fewest answer changes that would put `pattern` first (empty: none of 1 or 2 does).

    `by_exclusion`: it comes first only because the changes exclude the current leader (its
    own fit would not beat the leader's); `weak`: even then it would fit poorly; `score`: its
    fit after the changes.
    """

    pattern: str
    changes: tuple[Change, ...]
    by_exclusion: bool = False
    weak: bool = False
    score: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "changes": [c.to_json() for c in self.changes],
            "by_exclusion": self.by_exclusion,
            "weak": self.weak,
            "score": self.score,
        }


@dataclass(frozen=True)
class Recommendation:
    """The ranking of every pattern for one answer set, with reasons and sensitivity."""

    catalog: str
    catalog_version: str
    answers: dict[str, str]
    weights: dict[str, int]
    tie: bool
    narrow: bool
    ranking: tuple[RankedPattern, ...]
    sensitivity: tuple[Flip, ...]
    weak: bool = False  # even the first eligible option fits under WEAK_FIT, or none is eligible
    # criterion -> (question, choice) of the answer that set its weight (not stated by the caller)
    weight_from: dict[str, tuple[str, str]] = field(default_factory=dict)

    def entry(self, pattern: str) -> RankedPattern | None:
        return next((e for e in self.ranking if e.pattern == pattern), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "catalog": self.catalog,
            "catalog_version": self.catalog_version,
            "answers": dict(self.answers),
            "weights": dict(self.weights),
            "tie": self.tie,
            "narrow": self.narrow,
            "ranking": [e.to_json() for e in self.ranking],
            "sensitivity": [f.to_json() for f in self.sensitivity],
            # added with catalog format 2 (after the original keys, which keep their order)
            "weak": self.weak,
            "weights_from": {
                c: {"question": q, "choice": ch} for c, (q, ch) in self.weight_from.items()
            },
        }
