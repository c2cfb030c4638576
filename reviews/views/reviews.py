"""A review itself: starting one, its page, its settings, revising an approved one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import Action, can, can_start_review
from ..catalog_view import StepText, catalog_steps
from ..forms.reviews import ReviewCreateForm, ReviewEditForm
from ..forms.signoff import WithdrawForm
from ..fragments import answers_stamp, cached_template, page_stamp
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Review
from ..record_panel import record_panel
from ..selectors import lazy_recommendation, review_answers, review_progress
from ..services import revisions
from ..services.reviews import review_update
from ..services.templates import review_start


@require_http_methods(["GET", "POST"])
def review_new(request: HtmxHttpRequest) -> HttpResponse:
    """A blank review or one from a team template; for the reviewers of some team only."""
    if not can_start_review(request.user):
        raise PermissionDenied
    form = ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form) as outcome:
            review = review_start(owner=request.user, **form.cleaned_data)
        if not outcome.failed:
            first = review.catalog.steps.first()
            assert first is not None  # a published catalog has steps
            return redirect("reviews:step", review.pk, first.key)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/review_new.html", {"form": form}, status=status)


def _answers_html(review: Review, steps: tuple[StepText, ...], answers: dict) -> SafeString:
    """Every question with its answer (who, note), cached per catalog version, language,
    review and the answers shown."""
    stamp = page_stamp(review)
    keys = [q.key for s in steps for q in s.questions]
    key = stamp and ("review-answers", stamp, review.pk, answers_stamp(answers, keys))
    context = {"review": review, "steps": steps, "answers": answers}
    return cached_template(key, "reviews/_review_answers.html", lambda: context)


@review_view(("GET",))
def review_detail(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    answers = review_answers(review)
    steps = catalog_steps(review.catalog)
    context = {
        "review": review,
        "steps": steps,
        "answers": answers,
        "answers_html": _answers_html(review, steps, answers),
        "progress": review_progress(steps, answers),
        **lazy_recommendation(review, answers),
        "can_answer": can(request.user, review, Action.ANSWER, role=review.viewer_role),
        "can_copy": can(request.user, review, Action.CLONE, role=review.viewer_role),
        **record_panel(request.user, review),
        "withdraw_form": WithdrawForm(action=reverse("reviews:withdraw", args=[review.pk])),
    }
    return render(request, "reviews/review_detail.html", context)


@review_view(("GET", "POST"), action=Action.ANSWER)  # not a draft: 403, as for a role
def review_edit(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    criteria = list(review.catalog.criteria.all())
    form = ReviewEditForm(request.POST or None, instance=review, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form) as outcome:
            review_update(
                review=review,
                title=form.cleaned_data["title"],
                context=form.cleaned_data["context"],
                language=form.cleaned_data["language"],
                weights=form.cleaned_data["weights"],
                user=request.user,
            )
        if not outcome.failed:
            messages.success(request, _("Saved."))
            return redirect("reviews:detail", review.pk)
    status = 400 if request.method == "POST" else 200
    context = {"review": review, "form": form}
    return render(request, "reviews/review_edit.html", context, status=status)


@review_view(("POST",), action=Action.REVISE, on_state_error="reviews:detail")
def review_revise(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """Start (or reopen) the revision of an approved review."""
    with service_errors(request) as outcome:
        new = revisions.review_revise(review=review, user=request.user)
    if outcome.failed:
        return redirect("reviews:detail", review.pk)
    messages.success(request, _("This is a new draft revising #%(id)s.") % {"id": review.pk})
    return redirect("reviews:detail", new.pk)
