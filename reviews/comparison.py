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


def decisive_statements(rec: Explanation) -> tuple[dict[str, list[str]], set[str]]:
    """(statement key -> the answers that cite it, the keys cited by an exclusion): a reason
    counts only when it moves the score (a criterion weighted 0 moves nothing)."""
    because: dict[str, list[str]] = {}
    excluding: set[str] = set()
    for entry in rec.entries:
        for reason in entry.reasons:
            if reason.effect:
                because.setdefault(reason.statement, []).append(
                    _("“%(question)s” → %(answer)s (%(effect)s)")
                    % {
                        "question": reason.question_text,
                        "answer": reason.choice_label,
                        "effect": f"{reason.effect:+d}",
                    }
                )
        for exclusion in entry.exclusions:
            excluding.add(exclusion.statement)
            because.setdefault(exclusion.statement, []).append(
                _("“%(question)s” → %(answer)s: rules this option out")
                % {"question": exclusion.question_text, "answer": exclusion.choice_label}
            )
    return because, excluding


def review_cost_context(
    review: Review,
    user: Any,
    selection: Selection,
    form: CostInputsForm | None = None,
    answers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The cost-estimate section: the inputs form (`form`, or one with the stored inputs) and,
    per chosen option, the figures; empty inputs start from `answers` ({question: choice})."""
    price_table = review.catalog.price_table
    if not price_table:
        return {"price_table": None}
    kind = for_catalog(review.catalog)
    estimate = kind.cost_estimate(price_table, review.cost_inputs, answers)
    if form is None:
        form = kind.cost_inputs_form(
            initial=kind.cost_inputs_form.initial_for(price_table, review.cost_inputs, answers),
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
    """Everything the comparison page shows, for the options chosen in `params` (what the
    CSV export and `comparison_body` read) with the cost estimate."""
    rec = review_recommendation(review, review_answers(review), with_sensitivity=False)
    selection = comparison_selection(review, rec, params)
    return {
        **comparison_body(review, rec, selection),
        **review_cost_context(review, user, selection, answers=rec.result.answers),
    }


def comparison_body(review: Review, rec: Explanation, selection: Selection) -> dict:
    """The page above the cost estimate: the chooser, the chart and the grid, whose rows
    where the chosen options really differ (a weighted criterion on which the answers score
    them differently) come first, the others apart."""
    entries = {e.pattern: e for e in rec.entries}
    grid = catalog_grid(review.catalog, selection.keys)
    criteria = [(c.key, c.name()) for c in grid["criteria"]]
    by_pattern = {row["pattern"]: row for row in score_breakdown(rec.entries, criteria)}
    columns = _comparison_columns(rec, grid, by_pattern)
    rows = _comparison_rows(review, grid["criteria"], columns)
    _mark_decisive(rows, *decisive_statements(rec))
    breakdown = [by_pattern[key] for key in selection.keys]
    return {
        "review": review,
        "recommendation": rec,
        "selection": selection,
        "options": _comparison_options(review, entries, selection),
        "columns": columns,
        "rows": rows,
        **_split_rows(rows),
        "chart": _score_chart([entries[key] for key in selection.keys], criteria),
        "chart_criteria": criteria,
        "breakdown": breakdown,
        "phone_chart": phone_chart(breakdown),
        "decisive_count": sum(1 for row in rows if row["differs"]),
    }


def _split_rows(rows: list[dict]) -> dict:
    """The rows shown first (where the options differ; all of them while nothing differs)
    and the rest, behind a disclosure."""
    differing = [row for row in rows if row["differs"]]
    if not differing:
        return {"main_rows": rows, "other_rows": [], "any_differ": False}
    return {
        "main_rows": differing,
        "other_rows": [row for row in rows if not row["differs"]],
        "any_differ": True,
    }


def _comparison_rows(review: Review, criteria: list, columns: list[dict]) -> list[dict]:
    """One row per criterion: its weight, its cells, whether the options differ on it."""
    weights = review.weights or {}
    rows = []
    for i, criterion in enumerate(criteria):
        cells = [column["cells"][i] for column in columns]
        scores = {cell["score"] for cell in cells}
        eligible = [
            cell["score"]
            for cell, column in zip(cells, columns, strict=True)
            if not column["entry"].excluded
        ]
        weight = weights.get(criterion.key, 1)
        differs = weight > 0 and len(scores) > 1
        best = max(eligible) if differs and len(set(eligible)) > 1 else None
        for cell, column in zip(cells, columns, strict=True):
            cell["best"] = differs and not column["entry"].excluded and cell["score"] == best
        rows.append({"criterion": criterion, "weight": weight, "differs": differs, "cells": cells})
    return rows


def _mark_decisive(rows: list[dict], because: dict[str, list[str]], excluding: set[str]):
    """A statement is decisive where it rules an option out, or where the answers cite it on
    a row on which the chosen options differ; elsewhere the marker would mean nothing."""
    for row in rows:
        for cell in row["cells"]:
            for statement in cell["statements"]:
                key = statement.key
                statement.decisive = key in excluding or (row["differs"] and key in because)
                statement.because = because.get(key, []) if statement.decisive else []
            cell["merits"] = sum(1 for s in cell["statements"] if s.kind == "merit")
            cell["demerits"] = sum(1 for s in cell["statements"] if s.kind == "demerit")
            cell["decisive"] = any(s.decisive for s in cell["statements"])


def phone_chart(breakdown: list[dict]) -> list[dict]:
    """The score chart for a narrow screen: per option, its contributions for and against as
    bar segments (criterion index, width in % of the widest side)."""
    widest = max(
        [sum(r["positive"]) for r in breakdown] + [-sum(r["negative"]) for r in breakdown] + [0]
    )
    if not widest:
        return []

    def segments(values: list[int]) -> list[dict]:
        found = [
            {"criterion": i, "width": max(1, round(100 * abs(v) / widest)), "value": v}
            for i, v in enumerate(values)
            if v
        ]
        return found

    return [
        {
            "name": row["name"],
            "excluded": row["excluded"],
            "score": row["score"],
            "for": segments(row["positive"]),
            "against": segments(row["negative"]),
        }
        for row in breakdown
    ]


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
