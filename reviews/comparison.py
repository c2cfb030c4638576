"""The comparison page of a review: 2-4 options side by side, condensed to what differs, with
the score chart and the cost estimate (`review_comparison`; the CSV export reads the same)."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from patterns.charts import score_breakdown, score_chart_svg
from patterns.compare import Selection, select_patterns
from patterns.explanation import Explanation
from patterns.kinds import for_catalog
from patterns.kinds.base import CostInputsForm
from patterns.selectors import catalog_grid
from patterns.services import compiled_catalog

from .access import Action, can
from .models import Review
from .selectors import current_lang, review_answers, review_recommendation


def comparison_selection(review: Review, rec: Explanation, params: QueryDict) -> Selection:
    """The options to show (`p`, 2-4; filled up from the ranking) and their order."""
    names = {e.pattern: e.name for e in rec.entries}
    ranking = [e.pattern for e in rec.entries]
    return select_patterns(
        compiled_catalog(review.catalog).patterns,
        params.getlist("p"),
        fallback=ranking,
        order=params.get("order", "catalog"),
        ranking=ranking,
        label=lambda key: names.get(key, key),
    )


def decisive_statements(rec: Explanation) -> dict[str, list[str]]:
    """Statement key -> why it is decisive: the answers whose reasons or exclusions cite it."""
    because: dict[str, list[str]] = {}
    for entry in rec.entries:
        for reason in entry.reasons:
            if reason.effect:  # a criterion weighted 0 moves nothing
                because.setdefault(reason.statement, []).append(
                    _("“%(question)s” → %(answer)s (%(effect)s)")
                    % {
                        "question": reason.question_text,
                        "answer": reason.choice_label,
                        "effect": f"{reason.effect:+d}",
                    }
                )
        for exclusion in entry.exclusions:
            because.setdefault(exclusion.statement, []).append(
                _("“%(question)s” → %(answer)s: rules this option out")
                % {"question": exclusion.question_text, "answer": exclusion.choice_label}
            )
    return because


def review_cost_context(
    review: Review, user: Any, selection: Selection, form: CostInputsForm | None = None
) -> dict[str, Any]:
    """The cost-estimate section: the inputs form (`form`, or one with the stored inputs) and,
    per chosen option, the figures."""
    price_table = review.catalog.price_table
    if not price_table:
        return {"price_table": None}
    kind = for_catalog(review.catalog)
    estimate = kind.cost_estimate(price_table, review.cost_inputs)
    if form is None:
        form = kind.cost_inputs_form(
            initial=kind.cost_inputs_form.initial_for(price_table, review.cost_inputs),
            price_table=price_table,
        )
    compiled = compiled_catalog(review.catalog)
    lang = current_lang()
    return {
        "price_table": price_table,
        "cost": estimate,
        "cost_form": form,
        "cost_columns": [
            {
                "key": key,
                "name": compiled.label(lang, "pattern", key),
                "cost": estimate["patterns"].get(key),
            }
            for key in selection.keys
        ],
        "can_estimate": can(user, review, Action.ESTIMATE, role=review.viewer_role),
    }


def review_comparison(review: Review, user: Any, params: QueryDict) -> dict:
    """Everything the comparison page shows, for the options chosen in `params`."""
    answers = review_answers(review)
    rec = review_recommendation(review, answers)
    entries = {e.pattern: e for e in rec.entries}
    selection = comparison_selection(review, rec, params)
    grid = catalog_grid(review.catalog, selection.keys)
    criteria = [(c.key, c.name()) for c in grid["criteria"]]
    by_pattern = {row["pattern"]: row for row in score_breakdown(rec.entries, criteria)}
    because = decisive_statements(rec)
    for cell in (cell for _criterion, cells in grid["rows"] for cell in cells):
        for statement in cell:
            statement.decisive = statement.key in because
            statement.because = because.get(statement.key, [])
    columns = _comparison_columns(rec, grid, by_pattern)
    return {
        "review": review,
        "recommendation": rec,
        "selection": selection,
        "options": _comparison_options(review, entries, selection),
        "columns": columns,
        "rows": [
            {"criterion": criterion, "cells": [column["cells"][i] for column in columns]}
            for i, criterion in enumerate(grid["criteria"])
        ],
        "chart": _score_chart([entries[key] for key in selection.keys], criteria),
        "chart_criteria": criteria,
        "breakdown": [by_pattern[key] for key in selection.keys],
        "decisive_count": len(because),
        **review_cost_context(review, user, selection),
    }


def _comparison_columns(rec: Explanation, grid: dict, by_pattern: dict) -> list[dict]:
    """One column per chosen option: its entry and, per criterion, statements and score."""
    entries = {e.pattern: e for e in rec.entries}
    moved = {(e.pattern, r.criterion) for e in rec.entries for r in e.reasons}
    return [
        {
            "key": pattern.key,
            "name": pattern.name(),
            "entry": entries[pattern.key],
            "cells": [
                {
                    "criterion": criterion,
                    "statements": cell,
                    "score": by_pattern[pattern.key]["by_criterion"][i],
                    "moved": (pattern.key, criterion.key) in moved,
                }
                for i, (criterion, cell) in enumerate(cells)
            ],
        }
        for pattern, cells in grid["columns"]
    ]


def _comparison_options(review: Review, entries: dict, selection: Selection) -> list[dict]:
    """Every option of the catalog, for the chooser, with whether it is shown."""
    return [
        {
            "key": key,
            "name": entries[key].name,
            "rank": entries[key].rank,
            "score": entries[key].score,
            "excluded": entries[key].excluded,
            "checked": key in selection.keys,
        }
        for key in compiled_catalog(review.catalog).patterns
    ]


def _score_chart(chosen: list, criteria: list[tuple[str, str]]) -> str:
    return score_chart_svg(
        chosen,
        criteria,
        title=_("Score by criterion"),
        description=_(
            "For each option, what the answers contribute on each criterion: in its favour to "
            "the right of zero, against it to the left, with the total at the end of the bar. "
            "Excluded options are faded and marked."
        ),
    )
