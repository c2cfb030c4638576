"""The decision page: the decision and the risk register. Every member reads it; the team's
reviewers write it while the review is a draft (`Action.DECIDE`)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..access import Action
from ..forms.decision import DecisionForm, RiskForm
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Review
from ..selectors import (
    decision_choices,
    decision_initial,
    decision_prefill,
    decision_prefills,
    review_answers,
    review_decision_page,
    review_recommendation,
)
from ..services import decisions


def _risks_url(review: Review, **_kwargs) -> str:
    return reverse("reviews:decision", args=[review.pk]) + "#risks"


def _decision_page(request, review, *, form=None, risk_form=None, status=200) -> HttpResponse:
    """The page; the forms not given start from the saved decision (or the recommendation)."""
    context = review_decision_page(review, request.user)
    if form is None and context["can_decide"]:
        explained, decision = context["recommendation"], context["decision"]
        form = DecisionForm(
            initial=decision_initial(review, explained, decision),
            choices=decision_choices(explained),
            action=reverse("reviews:decision", args=[review.pk]),
        )
    if risk_form is None and context["can_decide"]:
        risk_form = RiskForm(team=review.team, action=reverse("reviews:risk_add", args=[review.pk]))
    context.update(form=form, risk_form=risk_form)
    if context["can_decide"]:
        # the page refills the consequences when the choice changes (static/js/decision.js)
        prefills = decision_prefills(review)
        context["prefills_json"] = json.dumps(
            {key: {"good": good, "bad": bad} for key, (good, bad) in prefills.items()},
            ensure_ascii=False,
        )
    return render(request, "reviews/decision.html", context, status=status)


def _prefilled(review: Review, data: QueryDict, choices, action: str) -> DecisionForm:
    """The posted form with the consequences replaced by the catalog's, for the chosen option."""
    data = data.copy()
    pattern = data.get("pattern", "")
    if pattern in dict(choices):
        data["consequences_good"], data["consequences_bad"] = decision_prefill(review, pattern)
    form = DecisionForm(data, choices=choices, action=action)
    form.is_valid()
    return form


@review_view(("GET", "POST"), post_action=Action.DECIDE, on_state_error="reviews:decision")
def decision_edit(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """The decision: read by every member; written by the team's reviewers while a draft."""
    if request.method == "GET":
        return _decision_page(request, review)
    choices = decision_choices(review_recommendation(review, review_answers(review)))
    action = reverse("reviews:decision", args=[review.pk])
    if "prefill" in request.POST:
        form = _prefilled(review, request.POST, choices, action)
        return _decision_page(request, review, form=form)
    form = DecisionForm(request.POST, choices=choices, action=action)
    if form.is_valid():
        with service_errors(request, form) as outcome:
            decisions.decision_save(review=review, user=request.user, **form.cleaned_data)
        if not outcome.failed:
            messages.success(request, _("Decision saved."))
            return redirect("reviews:decision", review.pk)
    return _decision_page(request, review, form=form, status=400)


@review_view(("POST",), action=Action.DECIDE, on_state_error="reviews:decision")
def risk_add(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """Add a risk; one without an owner is refused by the service (a form error, 400)."""
    action = reverse("reviews:risk_add", args=[review.pk])
    form = RiskForm(request.POST, team=review.team, action=action)
    if form.is_valid():
        with service_errors(request, form) as outcome:
            decisions.risk_add(review=review, user=request.user, **form.cleaned_data)
        if not outcome.failed:
            messages.success(request, _("Risk added."))
            return redirect(_risks_url(review))
    return _decision_page(request, review, risk_form=form, status=400)


@review_view(("POST",), action=Action.DECIDE, on_state_error=_risks_url)
def risk_remove(request: HtmxHttpRequest, review: Review, risk: int) -> HttpResponse:
    with service_errors(request) as outcome:
        decisions.risk_remove(review=review, user=request.user, risk_id=risk)
    if not outcome.failed:
        messages.success(request, _("Risk removed."))
    return redirect(_risks_url(review))
