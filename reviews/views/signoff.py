"""Sign-off: the reviewer requests it (or withdraws the request); each named approver signs
or sends the review back to draft. The last signature freezes the decision record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..access import Action
from ..forms.signoff import SendBackForm, SignForm, SignoffRequestForm, WithdrawForm
from ..http import HtmxHttpRequest, review_view, service_errors, site_url
from ..models import Decision, Review
from ..records.pdf import RecordRenderError
from ..selectors import review_answers, review_recommendation
from ..services import signoff

RENDER_FAILED = gettext_lazy(
    "The decision record could not be rendered, so nothing was signed or frozen. "
    "Try again; if it keeps failing, tell the administrators."
)


@review_view(("GET", "POST"), action=Action.DECIDE, on_state_error="reviews:detail")
def signoff_request(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """The reviewer names the approvers: draft -> in_review."""
    action = reverse("reviews:signoff", args=[review.pk])
    form = SignoffRequestForm(request.POST or None, team=review.team, action=action)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form) as outcome:
            signoff.review_request_signoff(
                review=review, user=request.user, site_url=site_url(request), **form.cleaned_data
            )
        if not outcome.failed:
            messages.success(request, _("Sign-off requested. The approvers were notified."))
            return redirect("reviews:detail", review.pk)
    context = {"review": review, "form": form, "decision": _decision(review)}
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/signoff_request.html", context, status=status)


def _decision(review: Review) -> Decision | None:
    return Decision.objects.filter(review=review).first()


def _sign_page(request, review, *, sign_form=None, send_back_form=None, error="", status=200):
    explained = review_recommendation(review, review_answers(review))
    decision = _decision(review)
    context = {
        "review": review,
        "decision": decision,
        "decision_entry": explained.entry(decision.pattern) if decision else None,
        "recommendation": explained,
        "risks": list(review.risks.select_related("owner_user")),
        "signatures": list(review.signatures.select_related("approver")),
        "sign_form": sign_form or SignForm(action=reverse("reviews:sign", args=[review.pk])),
        "send_back_form": send_back_form
        or SendBackForm(action=reverse("reviews:send_back", args=[review.pk])),
        "render_error": error,
    }
    return render(request, "reviews/sign.html", context, status=status)


# Action.SIGN: a named approver whose sign-off is pending (else 403), while in review.
@review_view(("GET", "POST"), action=Action.SIGN, on_state_error="reviews:detail")
def signoff_sign(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """A named approver reads the decision and signs with a comment and their password."""
    if request.method == "GET":
        return _sign_page(request, review)
    form = SignForm(request.POST, action=reverse("reviews:sign", args=[review.pk]))
    if not form.is_valid():
        return _sign_page(request, review, sign_form=form, status=400)
    try:
        with service_errors(request, form) as outcome:
            signed = signoff.review_sign(
                review=review, user=request.user, site_url=site_url(request), **form.cleaned_data
            )
    except RecordRenderError:
        return _sign_page(request, review, sign_form=form, error=RENDER_FAILED, status=503)
    if outcome.failed:
        return _sign_page(request, review, sign_form=form, status=400)
    if signed.status == Review.Status.APPROVED:
        messages.success(request, _("Signed. Every approver has signed: approved."))
    else:
        messages.success(request, _("Signed."))
    return redirect("reviews:detail", review.pk)


@review_view(("POST",), action=Action.SIGN, on_state_error="reviews:detail")
def signoff_send_back(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """A named approver sends the review back to draft with a reason."""
    form = SendBackForm(request.POST, action=reverse("reviews:send_back", args=[review.pk]))
    if form.is_valid():
        with service_errors(request, form) as outcome:
            signoff.review_send_back(
                review=review, user=request.user, site_url=site_url(request), **form.cleaned_data
            )
        if not outcome.failed:
            messages.success(request, _("Sent back to draft. The reviewers were notified."))
            return redirect("reviews:detail", review.pk)
    return _sign_page(request, review, send_back_form=form, status=400)


@review_view(("POST",), action=Action.WITHDRAW, on_state_error="reviews:detail")
def signoff_withdraw(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """A reviewer takes the sign-off request back to draft, with a reason."""
    form = WithdrawForm(request.POST, action=reverse("reviews:withdraw", args=[review.pk]))
    if not form.is_valid():
        messages.error(request, _("Say why you withdraw the request."))
        return redirect("reviews:detail", review.pk)
    with service_errors(request) as outcome:
        signoff.review_withdraw(
            review=review, user=request.user, site_url=site_url(request), **form.cleaned_data
        )
    if not outcome.failed:
        messages.success(request, _("Sign-off request withdrawn: the review is a draft again."))
    return redirect("reviews:detail", review.pk)
