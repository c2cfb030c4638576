"""Sign-off: the reviewer requests it (or withdraws the request); each named approver signs
the frozen record or sends the review back to draft. The last signature approves it."""

from __future__ import annotations

import logging

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
from ..records.signoff import approval_boxes, request_page, sign_page
from ..services import signoff
from ..signing.pdf import warm_up
from ..signing.pki import PkiError

logger = logging.getLogger(__name__)

NOTHING_FROZEN = gettext_lazy(
    "This sign-off request has no frozen record to sign. The reviewer has to withdraw it and "
    "request sign-off again."
)
RENDER_FAILED = gettext_lazy(
    "The decision record could not be rendered, so sign-off was not requested. "
    "Try again; if it keeps failing, tell the administrators."
)
KEYS_MISSING = gettext_lazy(
    "The signing keys of this installation are not set up, so nothing was signed or requested. "
    "Tell the administrators (manage.py pki init)."
)


@review_view(("GET", "POST"), action=Action.DECIDE, on_state_error="reviews:detail")
def signoff_request(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """The reviewer names the approvers, in order, and sees what will be signed."""
    action = reverse("reviews:signoff", args=[review.pk])
    page = request_page(review)
    form = SignoffRequestForm(
        request.POST or None,
        team=review.team,
        action=action,
        initial_approvers=page.last_approvers,
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            with service_errors(request, form) as outcome:
                signoff.review_request_signoff(
                    review=review,
                    user=request.user,
                    site_url=site_url(request),
                    **form.service_data,
                )
        except signoff.RecordRenderError:
            error = str(RENDER_FAILED)
        except PkiError:
            error = str(KEYS_MISSING)
        else:
            if not outcome.failed:
                messages.success(request, _("Sign-off requested. The approvers were notified."))
                return redirect("reviews:detail", review.pk)
    context = {
        "review": review,
        "form": form,
        "decision": Decision.objects.filter(review=review).first(),
        "page": page,
        "render_error": error,
    }
    status = 503 if error else 400 if request.method == "POST" else 200
    return render(request, "reviews/signoff_request.html", context, status=status)


def _sign_page(
    request, review, *, sign_form=None, send_back_form=None, error="", stale="", status=200
):
    """The page; after a refusal for a changed record (`stale`, the comment they wrote), a new
    form for the record as it is now, so that they read it again and sign that."""
    page = sign_page(review)
    if page is None:  # in review since before records were signed: nothing frozen to sign
        messages.error(request, str(NOTHING_FROZEN))
        return redirect("reviews:detail", review.pk)
    sign_action = reverse("reviews:sign", args=[review.pk])
    if sign_form is None or stale:
        initial = {"sha256": page.request.sha256, "comment": stale if stale is not True else ""}
        sign_form = SignForm(initial=initial, action=sign_action)
    signatures = list(review.signatures.select_related("approver"))
    context = {
        "review": review,
        "page": page,
        "content": page.content,
        "decision": page.content.decision,
        "approval_boxes": approval_boxes(review, signatures),
        "signatures": signatures,
        "sign_form": sign_form,
        "send_back_form": send_back_form
        or SendBackForm(action=reverse("reviews:send_back", args=[review.pk])),
        "render_error": error,
        "stale": bool(stale),
        "stale_message": signoff.STALE_RECORD,
    }
    return render(request, "reviews/sign.html", context, status=status)


# Action.SIGN: a named approver whose sign-off is pending (else 403), while in review.
@review_view(("GET", "POST"), action=Action.SIGN, on_state_error="reviews:detail")
def signoff_sign(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """A named approver reads the frozen record and signs it with a comment and their
    password; the form carries the record's hash, and another hash is refused."""
    if request.method == "GET":
        try:
            warm_up()  # so that signing, in a moment, only signs
        except Exception:  # a missing CA, an unreachable TSA: said when they sign
            logger.warning("could not prepare signing", exc_info=True)
        return _sign_page(request, review)
    form = SignForm(request.POST, action=reverse("reviews:sign", args=[review.pk]))
    if not form.is_valid():
        return _sign_page(request, review, sign_form=form, status=400)
    try:
        with service_errors(request, form) as outcome:
            signed = signoff.review_sign(
                review=review, user=request.user, site_url=site_url(request), **form.cleaned_data
            )
    except PkiError:
        return _sign_page(request, review, sign_form=form, error=KEYS_MISSING, status=503)
    if outcome.failed:
        if outcome.status == 409:  # it left review meanwhile (withdrawn, sent back)
            return redirect("reviews:detail", review.pk)
        if str(signoff.STALE_RECORD) in outcome.message:
            comment = form.cleaned_data["comment"] or True
            return _sign_page(request, review, stale=comment, status=409)
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
