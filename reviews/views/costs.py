"""Saving a review's cost-estimate inputs (the comparison page's cost section).

Reviewers and stakeholders, while the review is a draft (`Action.ESTIMATE`). htmx gets the
figures section back; a plain POST is redirected to the comparison, or on invalid inputs gets
the whole page again (400). Invalid inputs save nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.kinds import for_catalog

from ..access import Action
from ..compare_page import compare_page_context
from ..comparison import comparison_selection, review_cost_context
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Review, ReviewStateError
from ..selectors import review_answers, review_recommendation
from ..services.reviews import review_cost_inputs_save


def _cost_results(
    request, review, params: QueryDict, *, form=None, error=None, saved=False, status=200
) -> HttpResponse:
    """The figures section alone (htmx), with a status line swapped out of band."""
    rec = review_recommendation(review, review_answers(review))
    selection = comparison_selection(review, rec, params)
    context = {
        "review": review,
        **review_cost_context(
            review, request.user, selection, form=form, answers=rec.result.answers
        ),
        "cost_error": error,
        "cost_errors": form.errors if form is not None else None,
        "cost_saved_at": timezone.localtime() if saved else None,
        "oob": True,
    }
    return render(request, "reviews/_compare_costs.html#cost-results", context, status=status)


def _cost_conflict(request, review: Review, exc: ReviewStateError) -> HttpResponse:
    return _cost_results(request, review, request.POST, error=str(exc), status=409)


@review_view(
    ("POST",),
    action=Action.ESTIMATE,
    on_state_error="reviews:compare",
    htmx_conflict=_cost_conflict,
)
def review_costs_save(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """Save the cost-estimate inputs: htmx gets the figures back, a plain POST is redirected."""
    compare_url = reverse("reviews:compare", args=[review.pk])
    price_table = review.catalog.price_table
    if not price_table:
        message = _("This catalog version has no price table to estimate costs with.")
        if not request.htmx:
            messages.error(request, message)
            return redirect(compare_url)
        return _cost_results(request, review, request.POST, error=message, status=400)
    form = for_catalog(review.catalog).cost_inputs_form(request.POST, price_table=price_table)
    if form.is_valid():
        with service_errors(request, form):
            review_cost_inputs_save(review=review, inputs=form.inputs())
    if form.is_valid():
        if request.htmx:
            return _cost_results(request, review, request.POST, saved=True)
        messages.success(request, _("Cost inputs saved."))
        rec = review_recommendation(review, review_answers(review))
        query = comparison_selection(review, rec, request.POST).query()
        return redirect(f"{compare_url}?{query}#costs")
    if request.htmx:
        return _cost_results(request, review, request.POST, form=form, status=400)
    context = compare_page_context(review, request.user, request.POST, form=form)
    return render(request, "reviews/compare.html", context, status=400)
