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
from ..models import Review
from ..selectors import review_answers, review_recommendation
from ..services.weights import review_weights_save


@review_view(("POST",), action=Action.ANSWER, on_state_error="reviews:recommendation")
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


def _weights_panel(request, review: Review, form: WeightsForm, saved: bool) -> HttpResponse:
    on_step = request.POST.get("page") == "step"
    context = {
        "review": review,
        "weights_form": form,
        "weights_set": bool(review.weights),
        "weights_saved": saved,
        "weights_page": "step" if on_step else "recommendation",
        "can_answer": True,
        "oob_panel": saved,
    }
    if saved:
        answers = review_answers(review)
        context["recommendation"] = review_recommendation(
            review, answers, with_sensitivity=not on_step
        )
    return render(request, "reviews/_weights.html", context, status=200 if saved else 400)
