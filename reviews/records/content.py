"""The decision record's content (product.md, "The decision record") as frozen dataclasses.

`reviews.records.sections.record_content(review)` builds it from the live rows. Each
dataclass's `to_json()` is its part of the record as plain JSON data, under the keys stored
records have always had (`canonical.record_json` hashes it); `from_json()` loads a stored record
back, so exports of an approved review read the frozen content, never the live rows. The cost
estimate stays an opaque JSON mapping: its shape belongs to the catalog's kind.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Self, Union, get_args, get_origin, get_type_hints

if TYPE_CHECKING:
    from ..models import Review

FORMAT = "hakari-decision-record/1"


def review_lang(review: Review) -> str:
    """The language of the review's record: "en" or "ja"."""
    return "en" if (review.language or "ja").startswith("en") else "ja"


@dataclass(frozen=True)
class _Json:
    """`to_json()` and `from_json()` for the record's dataclasses: one JSON key per field (the
    field's name, or its metadata "json" where the key is a Python keyword), nested dataclasses
    as objects, tuples as arrays; anything else is already JSON data."""

    def to_json(self) -> dict[str, Any]:
        return {
            f.metadata.get("json", f.name): _dump(getattr(self, f.name))
            for f in fields(self)
            if not (f.metadata.get("added") and getattr(self, f.name) == f.default)
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        hints = get_type_hints(cls)
        values = {
            f.name: _load(hints[f.name], data[f.metadata.get("json", f.name)])
            for f in fields(cls)
            if not (f.metadata.get("added") and f.metadata.get("json", f.name) not in data)
        }
        return cls(**values)


def added(default: Any) -> Any:
    """A field added after records were first stored: absent from a stored record (which then
    loads with `default`), and left out of the JSON while it has `default`, so a record stored
    before keeps its exact bytes."""
    return field(default=default, metadata={"added": True})


def _dump(value: object) -> object:
    if isinstance(value, _Json):
        return value.to_json()
    if isinstance(value, tuple):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return dict(value)
    return value


def _load(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if value is None:
        return None
    if origin in (Union, types.UnionType):  # `X | None`
        (inner,) = (arg for arg in get_args(hint) if arg is not type(None))
        return _load(inner, value)
    if origin is tuple:
        return tuple(_load(get_args(hint)[0], item) for item in value)
    if isinstance(hint, type) and issubclass(hint, _Json):
        return hint.from_json(value)
    if origin is dict:
        return dict(value)
    return value


# --- the dataclasses, in the order of the record ----------------------------------------------


@dataclass(frozen=True)
class TeamInfo(_Json):
    slug: str
    name: str


@dataclass(frozen=True)
class ReviewInfo(_Json):
    id: int
    title: str
    status: str
    team: TeamInfo
    owner: str
    created_at: str | None
    approved_at: str | None
    revision_of: int | None

    @property
    def date(self) -> str:
        """The record's date (YYYY-MM-DD): approved, else created."""
        return (self.approved_at or self.created_at or "")[:10]


@dataclass(frozen=True)
class SourceInfo(_Json):
    title: str
    publisher: str
    url: str
    as_of: str
    series: str = added("")  # e.g. パターン実践ガイド (catalog format 2)


@dataclass(frozen=True)
class CatalogInfo(_Json):
    slug: str
    version: str
    title: str
    source: SourceInfo

    @property
    def release(self) -> str:
        """Slug and version, as the Markdown's front matter names the catalog."""
        return f"{self.slug} {self.version}"


@dataclass(frozen=True)
class AnswerRow(_Json):
    step: str
    question: str
    question_text: str
    choice: str | None
    choice_label: str | None
    note: str
    answered_by: str | None
    answered_at: str | None


@dataclass(frozen=True)
class ContextInfo(_Json):
    description: str
    answers: tuple[AnswerRow, ...]

    @property
    def answered(self) -> tuple[AnswerRow, ...]:
        """The questions with a choice or a note."""
        return tuple(row for row in self.answers if row.choice or row.note)


@dataclass(frozen=True)
class CriterionInfo(_Json):
    key: str
    name: str
    weight: int


@dataclass(frozen=True)
class Driver(_Json):
    """An answer that moved the ranking: its total effect and the options it excludes."""

    question: str
    question_text: str
    choice: str
    choice_label: str
    impact: int
    effects: dict[str, int]
    excludes: tuple[str, ...]


@dataclass(frozen=True)
class OptionExclusion(_Json):
    question: str
    question_text: str
    choice: str
    choice_label: str
    text: str
    statement_text: str


@dataclass(frozen=True)
class OptionReason(_Json):
    question: str
    question_text: str
    choice: str
    choice_label: str
    criterion: str
    criterion_name: str
    effect: int
    text: str
    statement: str
    statement_text: str
    basis_label: str = added("")  # what the statement rests on (guide / kintone help / inference)
    basis_type: str = added("")


@dataclass(frozen=True)
class StatementRow(_Json):
    key: str
    criterion: str
    kind: str
    text: str
    source_section: str
    basis_label: str = added("")
    basis_type: str = added("")


@dataclass(frozen=True)
class Option(_Json):
    """One considered option; also a `patterns.charts.ChartEntry` for the score chart."""

    pattern: str
    name: str
    summary: str
    rank: int
    score: int
    excluded: bool
    exclusions: tuple[OptionExclusion, ...]
    reasons: tuple[OptionReason, ...]
    by_criterion: dict[str, int]
    statements: tuple[StatementRow, ...]
    # the fit's parts (score = earned / possible, 0-100; catalog format 2 engines)
    earned: int | None = added(None)
    possible: int | None = added(None)


@dataclass(frozen=True)
class RecommendationInfo(_Json):
    tie: bool
    narrow: bool
    winner: str | None
    runner_up: str | None
    tied: tuple[str, ...]
    ranking: tuple[str, ...]
    weak: bool = added(False)  # even the first option fits poorly: "no option fits well"
    guidance: str = added("")  # the guide's closing guidance and its summary-table caveat


@dataclass(frozen=True)
class SensitivityChange(_Json):
    question: str
    from_choice: str | None = field(metadata={"json": "from"})
    to_choice: str = field(metadata={"json": "to"})


@dataclass(frozen=True)
class SensitivityItem(_Json):
    pattern: str
    changes: tuple[SensitivityChange, ...]
    sentence: str


@dataclass(frozen=True)
class DecisionInfo(_Json):
    pattern: str
    name: str
    recommended: bool
    excluded: bool
    justification: str
    consequences_good: str
    consequences_bad: str
    confirmation: str
    decided_by: str
    decided_at: str | None


@dataclass(frozen=True)
class RiskRow(_Json):
    description: str
    owner: str
    mitigation: str
    review_on: str | None


@dataclass(frozen=True)
class SignoffRow(_Json):
    name: str
    username: str
    role: str
    state: str
    requested_at: str | None
    signed_at: str | None
    comment: str


@dataclass(frozen=True)
class AuditRow(_Json):
    at: str | None
    actor: str
    action: str
    from_status: str = field(metadata={"json": "from"})
    to_status: str = field(metadata={"json": "to"})
    comment: str


@dataclass(frozen=True)
class RecordContent(_Json):
    """The whole record; the properties are lookups the PDF and the Markdown share."""

    format: str
    language: str
    review: ReviewInfo
    catalog: CatalogInfo
    context: ContextInfo
    criteria: tuple[CriterionInfo, ...]
    decision_drivers: tuple[Driver, ...]
    options: tuple[Option, ...]
    recommendation: RecommendationInfo
    sensitivity: tuple[SensitivityItem, ...]
    decision: DecisionInfo | None
    risks: tuple[RiskRow, ...]
    cost: dict[str, Any] | None
    signoffs: tuple[SignoffRow, ...]
    audit: tuple[AuditRow, ...]

    @property
    def names(self) -> dict[str, str]:
        """Option names by pattern key."""
        return {option.pattern: option.name for option in self.options}

    @property
    def ranked(self) -> tuple[Option, ...]:
        by_key = {option.pattern: option for option in self.options}
        return tuple(by_key[key] for key in self.recommendation.ranking if key in by_key)

    @property
    def winner_name(self) -> str:
        return self.names.get(self.recommendation.winner or "", "")

    @property
    def runner_up_name(self) -> str:
        return self.names.get(self.recommendation.runner_up or "", "")

    @property
    def tied_names(self) -> tuple[str, ...]:
        names = self.names
        return tuple(names[key] for key in self.recommendation.tied if key in names)

    @property
    def decision_makers(self) -> tuple[str, ...]:
        """Who signed; before anyone has, everyone asked to."""
        signed = [s.name for s in self.signoffs if s.state == "signed"]
        return tuple(signed or [s.name for s in self.signoffs])
