"""The weights panel of the wizard: how much each criterion matters, saved (and recorded in
the audit trail) before or after reading the ranking."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import Action
from ..forms.reviews import WeightsForm
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Review, ReviewStateError
from ..selectors import engine_answers, review_answers, review_recommendation
from ..services.weights import review_weights_save


def _weights_conflict(request, review: Review, exc: ReviewStateError) -> HttpResponse:
    """htmx, the review no longer a draft: the panel with the reason, nothing saved."""
    form = WeightsForm(request.POST, criteria=list(review.catalog.criteria.all()), weights={})
    form.is_valid()
    form.add_error(None, str(exc))
    return _weights_panel(request, review, form, saved=False, status=409)


@review_view(
    ("POST",),
    action=Action.ANSWER,
    on_state_error="reviews:recommendation",
    htmx_conflict=_weights_conflict,
)
def review_weights(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """Save the weights; htmx gets the panel back and the ranking out of band."""
    criteria = list(review.catalog.criteria.all())
    form = WeightsForm(request.POST, criteria=criteria, weights=review.weights)
    saved = False
    if form.is_valid():
        with service_errors(request, form) as outcome:
            review_weights_save(
                review=review, user=request.user, weights=form.cleaned_data["weights"]
            )
        saved = not outcome.failed
    if not request.htmx:
        if saved:
            messages.success(request, _("Weights saved; the ranking uses them."))
        else:
            messages.error(request, _("The weights were not saved: %(errors)s") % {
                "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)
            })  # fmt: skip
        return redirect("reviews:recommendation", review.pk)
    return _weights_panel(request, review, form, saved)


def _weights_panel(
    request, review: Review, form: WeightsForm, saved: bool, status: int | None = None
) -> HttpResponse:
    on_step = request.POST.get("page") == "step"
    context = {
        "review": review,
        "weights_form": form,
        "weights_set": bool(review.weights),
        "weights_saved": saved,
        "weights_page": "step" if on_step else "recommendation",
        "weights_open": True,
        "can_answer": True,
        "oob_panel": saved,
    }
    if saved:
        answers = review_answers(review)
        context["recommendation"] = review_recommendation(
            review, answers, with_sensitivity=not on_step
        )
        context["answered_any"] = bool(engine_answers(answers))
    status = status or (200 if saved else 400)
    return render(request, "reviews/_weights.html", context, status=status)
