"""The contract between generic code and a catalog kind (patterns/kinds/<kind>/).

A kind is the code that belongs to one kind of catalog: its price-table schema, its cost
formulas and the form of their inputs, and the story its demo reviews tell. Generic code
(reviews/, the other patterns/ modules) reaches it only through these types, so that it names
no pattern, question or course key.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms


class CostInputsForm(forms.Form):
    """The form of a review's cost inputs (stored in `Review.cost_inputs`) for one price table.

    A kind's form subclasses it: `Form(data, price_table=table)`, then `form.inputs()` once it
    is valid, and `Form.initial_for(table, stored)` for an unbound form.
    """

    def __init__(self, *args: Any, price_table: dict, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.price_table = price_table

    @classmethod
    def initial_for(cls, price_table: dict, stored: Any, answers: Any = None) -> dict[str, Any]:
        """The form's initial values: the stored inputs over the kind's defaults, which may
        start from the review's `answers` ({question: choice})."""
        raise NotImplementedError

    def inputs(self) -> dict[str, Any]:
        """The cleaned inputs in the shape stored in `Review.cost_inputs`."""
        raise NotImplementedError


@dataclass(frozen=True)
class DemoDecision:
    """A demo review's decision: the chosen pattern and the texts beside it."""

    pattern: str
    justification: str = ""
    confirmation: str = ""


@dataclass(frozen=True)
class DemoRisk:
    """An accepted risk of a demo review; the reviewer owns it unless `owner_name` is given."""

    description: str
    mitigation: str = ""
    owner_name: str = ""
    review_on: datetime.date | None = None


@dataclass(frozen=True)
class DemoReview:
    """What one demo review says: answers (question -> choice) with notes, cost inputs, the
    decision and its risks, and the comments of the approvers who sign, in order (fewer
    comments than approvers leave the others pending)."""

    title: str
    context: str
    answers: Mapping[str, str]
    notes: Mapping[str, str] = field(default_factory=dict)
    cost_inputs: Mapping[str, Any] | None = None
    decision: DemoDecision | None = None
    risks: tuple[DemoRisk, ...] = ()
    sign_comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoRevision:
    """The second version of the approved demo review: changed answers, its own decision."""

    answers: Mapping[str, str]
    notes: Mapping[str, str]
    decision: DemoDecision
    sign_comments: tuple[str, ...]


@dataclass(frozen=True)
class DemoStory:
    """The demo team's reviews (reviews/demo.py builds them): one draft, one awaiting the
    second sign-off, and one approved in two versions (`approved`, then `revision`)."""

    draft: DemoReview
    in_review: DemoReview
    approved: DemoReview
    revision: DemoRevision


@dataclass(frozen=True)
class CatalogKind:
    """Everything kind-specific that generic code may call; `key` is what catalogs name.

    validate_price_table(table) -> every problem as "path: reason", the path relative to the
        table (".courses[1].min_users"; "" for the table itself).
    validate_cost_inputs(table, inputs) -> {field: message}; {} when the inputs can be saved.
    cost_estimate(table, inputs, answers=None) -> the estimate the cost templates render
        (empty inputs start from the review's answers, {question: choice}): {"currency",
        "as_of", "tax_included", "source", "course", "inputs", "patterns": {pattern key:
        {"monthly", "yearly", "lines", "notes", ...}}, "warnings", "assumptions"}.
    cost_inputs_form: the form class of the inputs (a `CostInputsForm`).
    demo: the story of the demo reviews.
    """

    key: str
    validate_price_table: Callable[[Any], list[str]]
    validate_cost_inputs: Callable[[dict, Any], dict[str, str]]
    cost_estimate: Callable[..., dict[str, Any]]
    cost_inputs_form: type[CostInputsForm]
    demo: DemoStory
