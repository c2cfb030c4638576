"""The engine's result: typed, frozen; `Recommendation.to_json()` is the `recommend` JSON.

The JSON contract of product.md ("Machine interfaces") is these classes' `to_json()`, key
order included; `patterns.scoring.rank` builds them, `patterns.explanation` adds names.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
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
    pattern: str
    rank: int
    score: int
    excluded: bool
    exclusions: tuple[ExclusionReason, ...]
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "rank": self.rank,
            "score": self.score,
            "excluded": self.excluded,
            "exclusions": [x.to_json() for x in self.exclusions],
            "reasons": [r.to_json() for r in self.reasons],
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
    """The fewest answer changes that would put `pattern` first (empty: none of 1 or 2 does)."""

    pattern: str
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "changes": [c.to_json() for c in self.changes]}


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
        }
