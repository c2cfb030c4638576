"""Reads that span a review, its answers and its catalog version, and the pages built from
them: the comparison (with the cost estimate), the record panel, the decision page's values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from patterns.charts import score_breakdown, score_chart_svg
from patterns.compare import Selection, select_patterns
from patterns.explanation import Explanation, explain
from patterns.kinds import for_catalog
from patterns.kinds.base import CostInputsForm
from patterns.models import QuestionGroup, Statement, pick
from patterns.scoring import rank
from patterns.selectors import catalog_grid
from patterns.services import compiled_catalog

from .access import Action, can
from .models import Answer, Decision, DecisionRecord, Review
from .records.content import review_lang
from .records.signoff import approval_boxes, returned_request


def current_lang() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def review_answers(review: Review) -> dict[str, Answer]:
    """The review's answers by question key, with who answered (one query)."""
    return {
        a.question: a for a in Answer.objects.filter(review=review).select_related("answered_by")
    }


def review_steps(review: Review) -> list[QuestionGroup]:
    """The wizard's steps with their questions and choices (three queries)."""
    return list(review.catalog.steps.prefetch_related("questions__choices"))


@dataclass
class Progress:
    step_number: int | None  # None outside the wizard's steps
    step_count: int
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def review_progress(steps, answers: dict[str, Answer], step_index: int | None = None) -> Progress:
    total = sum(len(step.questions.all()) for step in steps)
    answered = sum(
        1
        for step in steps
        for q in step.questions.all()
        if answers.get(q.key) and answers[q.key].choice
    )
    step_number = None if step_index is None else step_index + 1
    return Progress(step_number, len(steps), answered, total)


def review_recommendation(
    review: Review, answers: dict[str, Answer], lang: str | None = None
) -> Explanation:
    """The explained ranking for the review's current answers and weights."""
    compiled = compiled_catalog(review.catalog)
    chosen = {key: a.choice for key, a in answers.items() if a.choice}
    lang = lang or current_lang()
    return explain(
        compiled, rank(compiled, chosen, weights=review.weights or None, lang=lang), lang
    )


def review_overview(review: Review) -> dict:
    """What the review page and the recommendation page both show: the review with its steps,
    answers, progress and live recommendation (a page context)."""
    answers = review_answers(review)
    steps = review_steps(review)
    return {
        "review": review,
        "steps": steps,
        "answers": answers,
        "progress": review_progress(steps, answers),
        "recommendation": review_recommendation(review, answers),
    }


# --- the comparison page ----------------------------------------------------------------------


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


# --- the decision record ----------------------------------------------------------------------


def review_record_panel(user: Any, review: Review) -> dict:
    """What the review page shows of the decision record: the decision, risks, sign-offs,
    the audit trail, the stored record, and which lifecycle buttons this user gets."""
    signatures = list(review.signatures.select_related("approver"))
    role = getattr(review, "viewer_role", None)
    pending = next(
        (s for s in signatures if s.approver_id == user.pk and s.state == s.State.PENDING), None
    )
    revisions = []
    if review.status in (Review.Status.APPROVED, Review.Status.SUPERSEDED):
        revisions = list(review.revisions.order_by("-pk"))
    return {
        "decision": Decision.objects.filter(review=review).first(),
        "risks": list(review.risks.select_related("owner_user")),
        "signatures": signatures,
        "approval_boxes": approval_boxes(review, signatures),
        "returned": returned_request(review),
        "events": list(review.events.select_related("actor")),
        "record": DecisionRecord.objects.filter(review=review)
        .defer("pdf", "canonical_json")
        .first(),
        "revisions": revisions,
        "can_decide": can(user, review, Action.DECIDE, role=role),
        "can_sign": pending is not None and can(user, review, Action.SIGN, role=role),
        "can_revise": can(user, review, Action.REVISE, role=role),
        "can_withdraw": can(user, review, Action.WITHDRAW, role=role),
    }


def review_decision_page(review: Review, user: Any) -> dict:
    """The decision page without its forms: the ranking, the decision, the risk register."""
    explained = review_recommendation(review, review_answers(review))
    decision = Decision.objects.filter(review=review).first()
    return {
        "review": review,
        "recommendation": explained,
        "decision": decision,
        "decision_name": next(
            (e.name for e in explained.entries if decision and e.pattern == decision.pattern),
            "",
        ),
        "risks": list(review.risks.select_related("owner_user")),
        "can_decide": can(user, review, Action.DECIDE, role=review.viewer_role),
    }


def decision_prefill(review: Review, pattern: str) -> tuple[str, str]:
    """The catalog's merits (good) and demerits (bad) of `pattern`, one per line, in the
    review's language: where the consequences start before the team edits them."""
    return decision_prefills(review, [pattern]).get(pattern, ("", ""))


def decision_prefills(
    review: Review, patterns: list[str] | None = None
) -> dict[str, tuple[str, str]]:
    """`decision_prefill` for every option (or `patterns`) in one query: pattern -> (good,
    bad). The decision page refills the consequences from it when the choice changes."""
    lang = review_lang(review)
    statements = Statement.objects.filter(pattern__catalog_id=review.catalog_id)
    if patterns is not None:
        statements = statements.filter(pattern__key__in=patterns)
    found: dict[str, tuple[list[str], list[str]]] = {}
    ordered = statements.select_related("pattern").order_by("criterion__order", "order", "pk")
    for s in ordered:
        good, bad = found.setdefault(s.pattern.key, ([], []))
        if s.kind == Statement.Kind.MERIT:
            good.append(f"- {pick(s, 'text', lang)}")
        elif s.kind == Statement.Kind.DEMERIT:
            bad.append(f"- {pick(s, 'text', lang)}")
    return {key: ("\n".join(good), "\n".join(bad)) for key, (good, bad) in found.items()}


def decision_choices(explained: Explanation) -> list[tuple[str, str]]:
    """The decision form's options, by rank, marked recommended or excluded."""
    recommended = explained.recommended()
    choices = []
    for entry in sorted(explained.entries, key=lambda e: e.rank):
        label = f"{entry.rank}. {entry.name} ({entry.score})"
        if entry.excluded:
            label += " · " + _("excluded")
        elif entry.pattern in recommended:
            label += " · " + _("recommended")
        choices.append((entry.pattern, label))
    return choices


def decision_initial(review: Review, explained: Explanation, decision: Decision | None) -> dict:
    """The decision form's first values: the saved decision, else the recommended option with
    the consequences from the catalog (nothing when no option is recommended)."""
    if decision is not None:
        return {
            "pattern": decision.pattern,
            "justification": decision.justification,
            "consequences_good": decision.consequences_good,
            "consequences_bad": decision.consequences_bad,
            "confirmation": decision.confirmation,
        }
    winner = explained.winner or (explained.tied or (None,))[0]
    if not winner:
        return {}
    good, bad = decision_prefill(review, winner.pattern)
    return {"pattern": winner.pattern, "consequences_good": good, "consequences_bad": bad}
