"""The assessment wizard: one page per step, the autosave of one field, "continue", the
recommendation page with the weights and what to do next, and their fragments.

htmx saves one field at a time (the radio group or the note touched, with the base it started
from) and gets its status back, with the progress and, when a choice changed, the live
recommendation out of band. A plain POST of a step (no JavaScript, or "save and continue")
saves the fields the user changed and redirects; a colleague's change to one of them is shown
(409) instead of being overwritten. See `reviews.services.answers`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import retarget

from patterns.services import compiled_catalog

from ..access import Action, can, pending_signature
from ..catalog_view import StepText, catalog_steps
from ..forms.reviews import WeightsForm
from ..fragments import recommendation_oob
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Decision, Review, ReviewStateError
from ..selectors import (
    current_lang,
    engine_answers,
    first_unanswered,
    lazy_recommendation,
    review_answers,
    review_overview,
    review_progress,
    review_steps,
    wizard_outline,
    wizard_questions,
)
from ..services.answers import NOT_APPLICABLE, Base, Edit, SaveResult, review_answers_save
from .step_page import questions_html, step_nav_html, weights_fields_html


def _step_context(request, review, steps, index, answers, **states) -> dict:
    """The step page's context; `states` (posted, conflicts, errors) after a refused save."""
    step = steps[index]
    can_answer = can(request.user, review, Action.ANSWER, role=review.viewer_role)
    questions = wizard_questions(step, answers, **states)
    return {
        "review": review,
        "steps": steps,
        "step": step,
        "questions": questions,
        "questions_html": questions_html(
            review, step, questions, answers, can_answer, cacheable=not states
        ),
        "step_nav_html": step_nav_html(review, steps, step, on_recommendation=False),
        "previous_step": steps[index - 1] if index > 0 else None,
        "next_step": steps[index + 1] if index + 1 < len(steps) else None,
        "progress": review_progress(steps, answers, index),
        **rec_bar(review, answers),
        "can_answer": can_answer,
        "weights_fields_html": weights_fields_html(review),
        "weights_set": bool(review.weights),
        "weights_page": "step",
        "weights_open": index == 0 and not review.weights,
        "has_conflicts": bool(states.get("conflicts")),
        "has_errors": bool(states.get("errors")),
    }


def _find_step(steps: tuple[StepText, ...], key: str) -> int:
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    raise Http404("No such step")


def _step_url(review: Review, step: str) -> str:
    return reverse("reviews:step", args=[review.pk, step])


def posted_edit(request: HtmxHttpRequest, question: str) -> Edit:
    """One question's fields as posted: its choice (or a "clear"), its note, its base."""
    choice = request.POST.get(question)
    if request.POST.get("clear") == question:
        choice = ""
    return Edit(
        choice,
        request.POST.get(f"note-{question}"),
        Base.parse(request.POST.get(f"base-{question}")),
    )


def _posted_edits(request: HtmxHttpRequest, step: StepText) -> dict[str, Edit]:
    """The step's questions that were posted."""
    edits = {q.key: posted_edit(request, q.key) for q in step.questions.all()}
    return {key: edit for key, edit in edits.items() if edit.fields()}


def _after_step_save(request, review: Review, steps, index: int) -> HttpResponse:
    go = request.POST.get("go")
    if go == "back" and index > 0:
        return redirect(_step_url(review, steps[index - 1].key))
    if go == "stay" or request.POST.get("clear") or (go == "back" and index == 0):
        return redirect(_step_url(review, steps[index].key))
    if index + 1 < len(steps):
        return redirect(_step_url(review, steps[index + 1].key))
    return redirect("reviews:recommendation", review.pk)


@review_view(("GET", "POST"), post_action=Action.ANSWER, on_state_error=_step_url)
def review_step(request: HtmxHttpRequest, review: Review, step: str) -> HttpResponse:
    """One wizard step. A plain POST saves the fields the user changed, then moves on."""
    steps = catalog_steps(review.catalog)
    index = _find_step(steps, step)
    if request.method == "GET":
        context = _step_context(request, review, steps, index, review_answers(review))
        return render(request, "reviews/step.html", context)
    posted = _posted_edits(request, steps[index])
    with service_errors(request, quiet=True) as outcome:
        result = review_answers_save(review=review, user=request.user, edits=posted)
    if outcome.status == 400:
        context = _step_context(
            request, review, steps, index, review_answers(review),
            errors=outcome.field_errors, posted=posted,
        )  # fmt: skip
        return render(request, "reviews/step.html", context, status=400)
    if outcome.failed:
        messages.error(request, outcome.message)
        return redirect(_step_url(review, step))
    if result.conflicts:
        context = _step_context(
            request, review, steps, index, result.answers,
            conflicts=result.conflicts, posted=posted,
        )  # fmt: skip
        return render(request, "reviews/step.html", context, status=409)
    if result.saved:
        messages.success(request, _("Answers saved."))
    return _after_step_save(request, review, steps, index)


def _question_url(review: Review, question: str) -> str:
    """Where a plain request about an answer goes back to: its step, else the review."""
    for step in wizard_outline(review):
        if question in step.question_keys:
            return _step_url(review, step.key) + f"#q-{question}"
    return reverse("reviews:detail", args=[review.pk])


def _answer_conflict(request, review: Review, exc: ReviewStateError, question: str):
    return answer_fragment(request, review, question, None, error=str(exc), status=409)


@review_view(
    ("GET", "POST"),
    post_action=Action.ANSWER,
    on_state_error=_question_url,
    htmx_conflict=_answer_conflict,
)
def answer_save(request: HtmxHttpRequest, review: Review, question: str) -> HttpResponse:
    """Autosave of one field (htmx); GET: the question as stored ("keep theirs").

    A plain request (no JavaScript) saves and redirects back to the question's step.
    """
    if request.method == "GET":
        if not request.htmx:
            return redirect(_question_url(review, question))
        return question_fragment(request, review, question)
    edit = posted_edit(request, question)
    result: SaveResult | None = None
    error: str | None
    if not edit.fields():
        error, status = _("Nothing to save: choose an answer or write a note."), 400
    else:
        with service_errors(request, quiet=True) as outcome:
            result = review_answers_save(review=review, user=request.user, edits={question: edit})
        error, status = (outcome.message or None), outcome.status
    if not request.htmx:
        return _plain_answer_response(request, review, question, result, error)
    return answer_fragment(request, review, question, result, error=error, status=status)


def _plain_answer_response(request, review, question, result, error) -> HttpResponse:
    if error:
        messages.error(request, error)
    elif result is not None and result.conflicts:
        messages.error(request, _("Someone else changed this answer meanwhile: see it below."))
    return redirect(_question_url(review, question))


@review_view(("GET",))
def review_continue(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """Where the user left off: the first question neither answered nor not applicable (its
    step, at the question), else the recommendation."""
    found = first_unanswered(wizard_outline(review), review_answers(review))
    if found is None:
        return redirect("reviews:recommendation", review.pk)
    step, question = found
    return redirect(_step_url(review, step) + f"#q-{question}")


@review_view(("GET",))
def review_recommendation_page(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """The wizard's last step: the weights, the ranked, explained recommendation, what next."""
    context = recommendation_context(request, review)
    return render(request, "reviews/recommendation.html", context)


# --- fragments and page contexts -------------------------------------------------------------


def rec_bar(review: Review, answers: dict, *, with_sensitivity: bool = False) -> dict:
    """The live recommendation (and whether any answer counts yet) for the panel and the
    phone's summary bar; the wizard does not show the sensitivity, so it skips it."""
    return {
        **lazy_recommendation(review, answers, with_sensitivity=with_sensitivity),
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
        context["recommendation_oob"] = recommendation_oob(review, result.answers)
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
    conflicts = result.conflicts if result is not None else {}
    states = wizard_questions(step, answers, conflicts=conflicts)
    state = next(s for s in states if s.question.key == question)
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
        context["recommendation_oob"] = recommendation_oob(review, answers)
    return render(request, "reviews/_question.html", context)


def weights_context(review: Review, form: WeightsForm | None = None) -> dict:
    criteria = list(review.catalog.criteria.all())
    return {
        "weights_form": form or WeightsForm(criteria=criteria, weights=review.weights),
        "weights_set": bool(review.weights),
        "weights_open": not review.weights,
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
