"""The assessment wizard: one page per step, autosave of one answer, the recommendation.

A plain POST of a step saves the whole step and redirects (the no-JavaScript path); htmx
saves one answer at a time and gets its status, the panel and the progress back.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import retarget

from patterns.models import QuestionGroup

from ..access import Action, can
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Answer, Review, ReviewStateError
from ..selectors import (
    review_answers,
    review_overview,
    review_progress,
    review_recommendation,
    review_steps,
)
from ..services.answers import review_answer_save, review_answers_save


def _step_context(request, review, steps, step_index, answers, *, errors=None, posted=None):
    """The step page's context; after a refused POST, `posted` keeps what the user entered."""
    chosen = {key: a.choice for key, a in answers.items()}
    notes = {key: a.note for key, a in answers.items()}
    for key, (choice, note) in (posted or {}).items():
        if choice is not None:
            chosen[key] = choice
        if note is not None:
            notes[key] = note
    return {
        "review": review,
        "steps": steps,
        "step": steps[step_index],
        "step_index": step_index,
        "previous_step": steps[step_index - 1] if step_index > 0 else None,
        "next_step": steps[step_index + 1] if step_index + 1 < len(steps) else None,
        "answers": answers,
        "progress": review_progress(steps, answers, step_index),
        "recommendation": review_recommendation(review, answers),
        "can_answer": can(request.user, review, Action.ANSWER, role=review.viewer_role),
        "errors": errors or {},
        "chosen": chosen,
        "notes": notes,
    }


def _find_step(steps: list[QuestionGroup], key: str) -> int:
    for index, step in enumerate(steps):
        if step.key == key:
            return index
    raise Http404("No such step")


def _step_url(review: Review, step: str) -> str:
    return reverse("reviews:step", args=[review.pk, step])


def _posted_answers(request: HtmxHttpRequest, step: QuestionGroup) -> dict:
    """Question key -> (choice, note) as posted, for the step's questions that were."""
    posted: dict[str, tuple[str | None, str | None]] = {}
    for question in step.questions.all():
        choice = request.POST.get(question.key)
        note = request.POST.get(f"note-{question.key}")
        if choice is not None or note is not None:
            posted[question.key] = (choice, note)
    return posted


@review_view(("GET", "POST"), post_action=Action.ANSWER, on_state_error=_step_url)
def review_step(request: HtmxHttpRequest, review: Review, step: str) -> HttpResponse:
    """One wizard step. A plain POST saves the whole step (the no-JavaScript path)."""
    steps = review_steps(review)
    index = _find_step(steps, step)
    if request.method == "GET":
        context = _step_context(request, review, steps, index, review_answers(review))
        return render(request, "reviews/step.html", context)
    posted = _posted_answers(request, steps[index])
    with service_errors(request, quiet=True) as outcome:
        review_answers_save(review=review, user=request.user, answers=posted)
    if outcome.status == 400:
        errors, answers = outcome.field_errors, review_answers(review)
        context = _step_context(
            request, review, steps, index, answers, errors=errors, posted=posted
        )
        return render(request, "reviews/step.html", context, status=400)
    if outcome.failed:
        messages.error(request, outcome.message)
        return redirect(_step_url(review, step))
    messages.success(request, _("Answers saved."))
    if request.POST.get("go") == "back" and index > 0:
        return redirect(_step_url(review, steps[index - 1].key))
    if index + 1 < len(steps):
        return redirect(_step_url(review, steps[index + 1].key))
    return redirect("reviews:recommendation", review.pk)


def _question_step(steps: list[QuestionGroup], question: str) -> int | None:
    """The index of the step that asks `question` (None: no step does)."""
    return next(
        (i for i, s in enumerate(steps) if any(q.key == question for q in s.questions.all())), None
    )


def _question_url(review: Review, question: str) -> str:
    """Where a plain POST of an answer goes back to: its step, else the review."""
    steps = review_steps(review)
    index = _question_step(steps, question)
    if index is None:
        return reverse("reviews:detail", args=[review.pk])
    return _step_url(review, steps[index].key)


def _answer_status(request, review, question, *, answer=None, error=None, status=200):
    """The answer's status area (htmx), with the panel and progress out of band when saved;
    a question no step asks has no status area: the page's form errors instead."""
    steps = review_steps(review)
    step_index = _question_step(steps, question)
    if step_index is None:
        response = render(request, "reviews/_form_error.html", {"error": error}, status=status)
        return retarget(response, "#form-errors")
    answers = review_answers(review)
    context = {
        "review": review,
        "question_key": question,
        "answer": answer or answers.get(question),
        "error": error,
        "oob": error is None,
        "progress": review_progress(steps, answers, step_index),
        "recommendation": review_recommendation(review, answers),
    }
    return render(request, "reviews/_answer_saved.html", context, status=status)


def _answer_conflict(request, review: Review, exc: ReviewStateError, question: str):
    return _answer_status(request, review, question, error=str(exc), status=409)


@review_view(
    ("POST",), action=Action.ANSWER, on_state_error=_question_url, htmx_conflict=_answer_conflict
)
def answer_save(request: HtmxHttpRequest, review: Review, question: str) -> HttpResponse:
    """Autosave of one answer (htmx): returns its status, and the panel and progress out of band.

    A plain POST (no JavaScript) saves and redirects back to the step.
    """
    choice = request.POST.get(question)
    note = request.POST.get(f"note-{question}")
    answer: Answer | None = None
    error: str | None
    if choice is None and note is None:
        error, status = _("Nothing to save: choose an answer or write a note."), 400
    else:
        with service_errors(request, quiet=True) as outcome:
            answer = review_answer_save(
                review=review, user=request.user, question=question, choice=choice, note=note
            )
        error, status = outcome.message or None, outcome.status
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_question_url(review, question))
    return _answer_status(request, review, question, answer=answer, error=error, status=status)


@review_view(("GET",))
def review_recommendation_page(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """The wizard's last step: the ranked, explained recommendation."""
    context = {**review_overview(review), "on_recommendation": True}
    return render(request, "reviews/recommendation.html", context)
