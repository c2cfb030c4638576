"""A review's comparison page: 2-4 options side by side, the score chart, the cost estimate.

Everyone in the review's team (and site staff) may look and export; the cost-estimate inputs
are changed by the team's reviewers and stakeholders while the review is a draft
(`Action.ESTIMATE`). Access is checked before the method, so an outsider gets 404 on every URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.charts import score_breakdown, score_chart_svg
from patterns.compare import Selection, csv_response, select_patterns, statements_text
from patterns.explanation import ExplainedPattern, Explanation
from patterns.kinds import for_catalog
from patterns.selectors import catalog_grid
from patterns.services import compiled_catalog

from .access import Action, can, check, get_review_for_user
from .models import Review, ReviewStateError
from .selectors import current_lang, review_answers, review_recommendation
from .services.reviews import review_cost_inputs_save


def _selection(review: Review, rec: Explanation, params: QueryDict) -> Selection:
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


def _decisive(rec: Explanation) -> dict[str, list[str]]:
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


def _cost_context(request: HttpRequest, review: Review, selection: Selection, form=None) -> dict:
    """The cost-estimate section: the inputs form and, per chosen option, the figures."""
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
        "can_estimate": can(request.user, review, Action.ESTIMATE, role=review.viewer_role),
    }


def _comparison(request: HttpRequest, review: Review, params: QueryDict) -> dict:
    """Everything the comparison page shows, for the options chosen in `params`."""
    answers = review_answers(review)
    rec = review_recommendation(review, answers)
    entries = {e.pattern: e for e in rec.entries}
    selection = _selection(review, rec, params)
    grid = catalog_grid(review.catalog, selection.keys)
    criteria = [(c.key, c.name()) for c in grid["criteria"]]

    chosen = [entries[key] for key in selection.keys]
    by_pattern = {row["pattern"]: row for row in score_breakdown(rec.entries, criteria)}
    moved = {(e.pattern, r.criterion) for e in rec.entries for r in e.reasons}
    because = _decisive(rec)
    for cell in (cell for _criterion, cells in grid["rows"] for cell in cells):
        for statement in cell:
            statement.decisive = statement.key in because
            statement.because = because.get(statement.key, [])

    columns = [
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
    rows = [
        {"criterion": criterion, "cells": [column["cells"][i] for column in columns]}
        for i, criterion in enumerate(grid["criteria"])
    ]
    options = [
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
    chart = score_chart_svg(
        chosen,
        criteria,
        title=_("Score by criterion"),
        description=_(
            "For each option, what the answers contribute on each criterion: in its favour to "
            "the right of zero, against it to the left, with the total at the end of the bar. "
            "Excluded options are faded and marked."
        ),
    )
    return {
        "review": review,
        "recommendation": rec,
        "selection": selection,
        "options": options,
        "columns": columns,
        "rows": rows,
        "chart": chart,
        "chart_criteria": criteria,
        "breakdown": [by_pattern[key] for key in selection.keys],
        "decisive_count": len(because),
        **_cost_context(request, review, selection),
    }


def review_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """2-4 options side by side (`?p=KEY&p=KEY`, `?order=score`): shareable by its URL."""
    review = get_review_for_user(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "reviews/compare.html", _comparison(request, review, request.GET))


def review_compare_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The comparison as CSV (UTF-8 with BOM): one row per option x criterion, both languages."""
    review = get_review_for_user(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    context = _comparison(request, review, request.GET)
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

    cost = context.get("cost")
    header = [
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
    rows = []
    for column in context["columns"]:
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
                    cost["currency"] if pattern_cost else "",
                ]
            )
    return csv_response(f"hakari-review-{review.pk}-comparison.csv", header, rows)


def review_costs_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the cost-estimate inputs: htmx gets the figures back, a plain POST is redirected.

    Invalid inputs save nothing: 400 with the messages (the figures section for htmx, the whole
    page otherwise). Reviewers and stakeholders, while the review is a draft.
    """
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    compare_url = reverse("reviews:compare", args=[review.pk])
    try:
        check(request.user, review, Action.ESTIMATE)
    except ReviewStateError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect(compare_url)
        return _cost_results(request, review, request.POST, error=str(exc), status=409)
    price_table = review.catalog.price_table
    if not price_table:
        message = _("This catalog version has no price table to estimate costs with.")
        if not request.htmx:
            messages.error(request, message)
            return redirect(compare_url)
        return _cost_results(request, review, request.POST, error=message, status=400)

    form = for_catalog(review.catalog).cost_inputs_form(request.POST, price_table=price_table)
    if form.is_valid():
        try:
            review_cost_inputs_save(review=review, inputs=form.inputs())
        except ValidationError as exc:
            form.add_error(None, exc)
        except ReviewStateError as exc:
            form.add_error(None, str(exc))
    if form.is_valid():
        if request.htmx:
            return _cost_results(request, review, request.POST, saved=True)
        messages.success(request, _("Cost inputs saved."))
        rec = review_recommendation(review, review_answers(review))
        query = _selection(review, rec, request.POST).query()
        return redirect(f"{compare_url}?{query}#costs")
    if request.htmx:
        return _cost_results(request, review, request.POST, form=form, status=400)
    context = _comparison(request, review, request.POST)
    context.update(_cost_context(request, review, context["selection"], form=form))
    return render(request, "reviews/compare.html", context, status=400)


def _cost_results(request, review, params, *, form=None, error=None, saved=False, status=200):
    """The figures section alone (htmx), with a status line swapped out of band."""
    rec = review_recommendation(review, review_answers(review))
    selection = _selection(review, rec, params)
    context = {
        "review": review,
        **_cost_context(request, review, selection, form=form),
        "cost_error": error,
        "cost_errors": form.errors if form is not None else None,
        "cost_saved_at": timezone.localtime() if saved else None,
        "oob": True,
    }
    return render(request, "reviews/compare.html#cost-results", context, status=status)
