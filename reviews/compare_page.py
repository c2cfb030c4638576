"""The comparison page's context, as HTML rendered once per state and kept in
`caches["fragments"]` for a published (immutable) catalog version: the body (the chooser, the
summary, the chart and the grid) as a function of the catalog version, the language, the
review, its weights and choices and the options asked for; the cost section around its form's
CSRF token also of the review's status, its cost inputs and whether the viewer may change them.
Only the token, the review's header and base.html are rendered on every request, after two
queries (the review, its answers); a refused save's form (with its errors) is never cached."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from patterns.compare import Selection
from patterns.explanation import Explanation
from patterns.kinds.base import CostInputsForm

from .access import Action, can
from .comparison import comparison_body, comparison_selection, review_cost_context
from .fragments import cached_html
from .models import Answer, Review
from .selectors import engine_answers, review_recommendation

Ranked = tuple[Explanation, Selection]

BODY_TEMPLATE = "reviews/compare.html#compare-body"
COST_OPEN_TEMPLATE = "reviews/_compare_costs_open.html"
COST_REST_TEMPLATE = "reviews/_compare_costs.html"


def compare_page_context(
    review: Review, user: Any, params: QueryDict, form: CostInputsForm | None = None
) -> dict[str, Any]:
    """What reviews/compare.html shows: `compare_body` (HTML) and the cost section, with the
    inputs `form` when given (a refused save) else the stored inputs. The ranking is worked
    out only for what is not cached."""
    answers = _answers(review)
    state = page_state(review, answers, params)

    @functools.cache
    def ranked() -> Ranked:
        rec = review_recommendation(review, answers, with_sensitivity=False)
        return rec, comparison_selection(review, rec, params)

    return {
        "review": review,
        "price_table": review.catalog.price_table,
        "compare_body": _compare_body(review, state, ranked),
        **_cost_section(review, user, state, ranked, form),
    }


def page_state(review: Review, answers: dict[str, Answer], params: QueryDict) -> tuple | None:
    """What the page's body is a function of: the catalog version, the language, the review,
    its weights and real choices (the ranking follows from them), the options asked for;
    None for a draft catalog version, which is still editable."""
    catalog = review.catalog
    if not catalog.is_published:
        return None
    return (
        (catalog.pk, catalog.version, str(catalog.published_at), get_language(), review.pk),
        review.weights,
        sorted(engine_answers(answers).items()),
        params.getlist("p"),
        params.get("order", "catalog"),
    )


def _cost_key(review: Review, state: tuple | None, can_estimate: bool) -> tuple | None:
    """The cost section's key: the estimate and the form's values also follow from the price
    table and the stored inputs, its note from the status and `can_estimate`."""
    if state is None:
        return None
    return ("compare-costs", state, review.catalog.price_table, review.status, can_estimate,
            review.cost_inputs)  # fmt: skip


def _answers(review: Review) -> dict[str, Answer]:
    """The review's answers as the ranking reads them (one query, without who answered)."""
    rows = Answer.objects.filter(review=review).values_list("question", "choice", "not_applicable")
    return {q: Answer(question=q, choice=c, not_applicable=na) for q, c, na in rows}


def _compare_body(review: Review, state: tuple | None, ranked: Callable[[], Ranked]) -> SafeString:
    # rendered without the request: no context processor, nothing of the viewer gets in
    return cached_html(
        state and ("compare-body", state),
        lambda: render_to_string(BODY_TEMPLATE, comparison_body(review, *ranked())),
    )


def _cost_section(
    review: Review, user: Any, state: tuple | None, ranked: Callable[[], Ranked], form: Any
) -> dict[str, SafeString]:
    """`cost_open` and `cost_rest`: the cost section before and after its form's CSRF token
    (which the page renders between them), with the inputs `form` when given (never cached:
    a refused save's errors)."""
    can_estimate = can(user, review, Action.ESTIMATE, role=review.viewer_role)
    key = None if form is not None else _cost_key(review, state, can_estimate)

    @functools.cache
    def context() -> dict[str, Any]:
        rec, selection = ranked()
        answers = rec.result.answers
        return {
            "review": review,
            "selection": selection,
            **review_cost_context(review, user, selection, form=form, answers=answers),
        }

    return {
        "cost_open": cached_html(
            key and (*key, "open"), lambda: render_to_string(COST_OPEN_TEMPLATE, context())
        ),
        "cost_rest": cached_html(
            key and (*key, "rest"), lambda: render_to_string(COST_REST_TEMPLATE, context())
        ),
    }
