"""The wizard's fragments and page contexts: an answer's status (with what changed out of
band), one question ("keep theirs", "clear"), the live recommendation bar, the weights
panel and the recommendation page with what to do next."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.http import retarget

from patterns.services import compiled_catalog

from ..access import Action, can, pending_signature
from ..forms.reviews import WeightsForm
from ..http import HtmxHttpRequest
from ..models import Decision, Review
from ..selectors import (
    current_lang,
    engine_answers,
    first_unanswered,
    review_answers,
    review_overview,
    review_progress,
    review_recommendation,
    review_steps,
    wizard_outline,
    wizard_questions,
)
from ..services.answers import NOT_APPLICABLE, Base, SaveResult


def rec_bar(review: Review, answers: dict, *, with_sensitivity: bool = False) -> dict:
    """The live recommendation (and whether any answer counts yet) for the panel and the
    phone's summary bar; the wizard does not show the sensitivity, so it skips it."""
    return {
        "recommendation": review_recommendation(review, answers, with_sensitivity=with_sensitivity),
        "answered_any": bool(engine_answers(answers)),
    }


def choice_label(review: Review, question: str, token: str) -> str:
    if token == NOT_APPLICABLE:
        return _("Not applicable")
    if not token:
        return _("no answer")
    return compiled_catalog(review.catalog).label(current_lang(), "choice", question, token)


def unknown_question(request, error: str, status: int) -> HttpResponse:
    """A question no step asks has no status area: the page's error area instead."""
    response = render(request, "reviews/_form_error.html", {"error": error}, status=status)
    return retarget(response, "#form-errors")


def answer_fragment(
    request: HtmxHttpRequest,
    review: Review,
    question: str,
    result: SaveResult | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The answer's status after an htmx save: saved (with its new base, the progress and,
    when a choice changed, the recommendation out of band), refused, or in conflict."""
    outline = wizard_outline(review)
    index = next((i for i, s in enumerate(outline) if question in s.question_keys), None)
    if index is None:
        return unknown_question(request, error or _("Unknown question."), status)
    if result is None:
        context = {"review": review, "question_key": question, "error": error}
        return render(request, "reviews/_answer_saved.html", context, status=status)
    if request.htmx.target == f"q-{question}":  # "clear": the whole question again
        return question_fragment(request, review, question, result=result)
    conflict = result.conflicts.get(question)
    answer = result.answers.get(question)
    context = {
        "review": review,
        "question_key": question,
        "answer": answer,
        "conflict": conflict,
        "theirs_label": choice_label(review, question, conflict.base.choice) if conflict else "",
        "base": None if conflict else str(Base.of(answer)),
        "saved": question in result.saved,
        "oob": True,
        "progress": review_progress(outline, result.answers, index),
        "oob_panel": result.choices_changed,
    }
    if result.choices_changed:
        context.update(rec_bar(review, result.answers))
    return render(request, "reviews/_answer_saved.html", context, status=409 if conflict else 200)


def question_fragment(
    request: HtmxHttpRequest, review: Review, question: str, *, result: SaveResult | None = None
) -> HttpResponse:
    """One question as stored (with the progress and panel out of band after a save)."""
    steps = review_steps(review)
    step = next((s for s in steps if any(q.key == question for q in s.questions.all())), None)
    if step is None:
        return unknown_question(request, _("Unknown question."), 404)
    answers = result.answers if result is not None else review_answers(review)
    state = next(s for s in wizard_questions(step, answers) if s.question.key == question)
    context = {
        "review": review,
        "q": state,
        "can_answer": can(request.user, review, Action.ANSWER, role=review.viewer_role),
        "oob": result is not None,
        "progress": review_progress(steps, answers, steps.index(step)),
        "oob_panel": result is not None and result.choices_changed,
        "saved": result is not None and question in result.saved,
        "answer": state.answer,
    }
    if context["oob_panel"]:
        context.update(rec_bar(review, answers))
    return render(request, "reviews/_question.html", context)


def weights_context(review: Review, form: WeightsForm | None = None) -> dict:
    criteria = list(review.catalog.criteria.all())
    return {
        "weights_form": form or WeightsForm(criteria=criteria, weights=review.weights),
        "weights_set": bool(review.weights),
    }


def next_actions(request, review: Review, progress) -> list[dict]:
    """The buttons after the last step: only what this user may do now."""
    role = review.viewer_role
    actions = []
    if progress.open and can(request.user, review, Action.ANSWER, role=role):
        actions.append({"name": "continue", "label": _("Answer the open questions")})
    actions.append({"name": "compare", "label": _("Compare the options side by side")})
    if can(request.user, review, Action.DECIDE, role=role):
        actions.append({"name": "decision", "label": _("Write the decision and its risks")})
        if Decision.objects.filter(review=review).exists():
            actions.append({"name": "signoff", "label": _("Request sign-off")})
    if can(request.user, review, Action.SIGN, role=role) and pending_signature(
        request.user, review
    ):
        actions.append({"name": "sign", "label": _("Sign off or send back")})
    return actions


def recommendation_context(request, review: Review) -> dict:
    """The recommendation page: the weights first, then the ranking, then what next."""
    context = review_overview(review)
    context.update(weights_context(review))
    context["can_answer"] = can(request.user, review, Action.ANSWER, role=review.viewer_role)
    context["on_recommendation"] = True
    context["answered_any"] = bool(engine_answers(context["answers"]))
    context["next_actions"] = next_actions(request, review, context["progress"])
    first = first_unanswered(context["steps"], context["answers"])
    context["first_open"] = first
    return context
