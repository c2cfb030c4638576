"""Exports of a review's pages as tables: the comparison, one row per option x criterion.

The rows are built from the comparison page's context (`comparison.review_comparison`), so
the CSV says what the page shows; `patterns.compare.csv_response` writes them.
"""

from __future__ import annotations

from patterns.compare import statements_text
from patterns.explanation import ExplainedPattern
from patterns.services import compiled_catalog

from .models import Review

COMPARISON_HEADER = [
    "pattern",
    "pattern_name_ja",
    "pattern_name_en",
    "rank",
    "score",
    "excluded",
    "excluded_because_ja",
    "excluded_because_en",
    "criterion",
    "criterion_name_ja",
    "criterion_name_en",
    "criterion_score",
    "statements_ja",
    "statements_en",
    "decisive_statements",
    "cost_monthly",
    "cost_yearly",
    "currency",
]


def comparison_rows(review: Review, comparison: dict) -> list[list]:
    """The comparison's rows, both languages, in the order of COMPARISON_HEADER."""
    compiled = compiled_catalog(review.catalog)
    exclusions = {
        (question, choice): {x.pattern: x.reason for x in found}
        for (question, choice), found in compiled.exclusions.items()
        if found
    }

    def excluded_because(entry: ExplainedPattern, lang: str) -> str:
        return "\n".join(
            f"{compiled.label(lang, 'question', x.question)} → "
            f"{compiled.label(lang, 'choice', x.question, x.choice)}: "
            f"{exclusions[(x.question, x.choice)][entry.pattern][lang]}"
            for x in entry.exclusions
        )

    cost = comparison.get("cost")
    rows = []
    for column in comparison["columns"]:
        entry = column["entry"]
        pattern_cost = cost["patterns"].get(column["key"]) if cost else None
        pattern_names = [compiled.label(lang, "pattern", column["key"]) for lang in ("ja", "en")]
        for cell in column["cells"]:
            criterion = cell["criterion"]
            rows.append(
                [
                    column["key"],
                    *pattern_names,
                    entry.rank,
                    entry.score,
                    "yes" if entry.excluded else "no",
                    excluded_because(entry, "ja"),
                    excluded_because(entry, "en"),
                    criterion.key,
                    criterion.name_ja,
                    criterion.name_en,
                    cell["score"],
                    statements_text(cell["statements"], "ja"),
                    statements_text(cell["statements"], "en"),
                    " ".join(s.key for s in cell["statements"] if s.decisive),
                    pattern_cost["monthly"] if pattern_cost else "",
                    pattern_cost["yearly"] if pattern_cost else "",
                    cost["currency"] if cost and pattern_cost else "",
                ]
            )
    return rows
