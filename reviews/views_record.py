"""Pages of the decision record: the decision and risks, sign-off, revising, exports, verify.

Every view under /reviews/<pk>/ first asks `reviews.access` for the review (404 for anyone
outside the team, before anything else, the method included), then for the action (403, or
a message when the review's status does not allow it now), then calls `reviews.lifecycle`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from patterns.explanation import Explanation

from .access import Action, can, check, check_signer, get_review_for_user
from .forms_record import (
    DecisionForm,
    RiskForm,
    SendBackForm,
    SignForm,
    SignoffRequestForm,
    VerifyForm,
    WithdrawForm,
)
from .models import Decision, DecisionRecord, Review, ReviewStateError
from .records.canonical import record_json, stored_or_live
from .records.markdown import record_markdown
from .records.pdf import RecordRenderError, record_pdf
from .records.verify import verify_digest, verify_upload
from .selectors import review_answers, review_recommendation
from .services import decisions, revisions, signoff

RECORD_FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- on the review page ---------------------------------------------------------------------


def record_panel(user, review: Review) -> dict:
    """What the review page shows of the decision record: the decision, risks, sign-offs,
    the audit trail, the stored record, and which lifecycle buttons this user gets."""
    signatures = list(review.signatures.select_related("approver"))
    role = getattr(review, "viewer_role", None)
    pending = next(
        (s for s in signatures if s.approver_id == user.pk and s.state == s.State.PENDING), None
    )
    revisions = []
    if review.status in (Review.Status.APPROVED, Review.Status.SUPERSEDED):
        revisions = list(review.revisions.order_by("-pk"))
    return {
        "decision": Decision.objects.filter(review=review).first(),
        "risks": list(review.risks.select_related("owner_user")),
        "signatures": signatures,
        "events": list(review.events.select_related("actor")),
        "record": DecisionRecord.objects.filter(review=review)
        .defer("pdf", "canonical_json")
        .first(),
        "revisions": revisions,
        "can_decide": can(user, review, Action.DECIDE, role=role),
        "can_sign": pending is not None and can(user, review, Action.SIGN, role=role),
        "can_revise": can(user, review, Action.REVISE, role=role),
        "can_withdraw": can(user, review, Action.WITHDRAW, role=role),
        "withdraw_form": WithdrawForm(action=reverse("reviews:withdraw", args=[review.pk])),
    }


# --- the decision and the risk register -------------------------------------------------------


def _decision_choices(explained: Explanation) -> list[tuple[str, str]]:
    recommended = explained.recommended()
    choices = []
    for entry in sorted(explained.entries, key=lambda e: e.rank):
        label = f"{entry.rank}. {entry.name} ({entry.score})"
        if entry.excluded:
            label += " · " + _("excluded")
        elif entry.pattern in recommended:
            label += " · " + _("recommended")
        choices.append((entry.pattern, label))
    return choices


def _decision_page(request, review, *, form=None, risk_form=None, status=200):
    answers = review_answers(review)
    explained = review_recommendation(review, answers)
    decision = Decision.objects.filter(review=review).first()
    can_decide = can(request.user, review, Action.DECIDE, role=review.viewer_role)
    action = reverse("reviews:decision", args=[review.pk])
    if form is None and can_decide:
        if decision is not None:
            initial = {
                "pattern": decision.pattern,
                "justification": decision.justification,
                "consequences_good": decision.consequences_good,
                "consequences_bad": decision.consequences_bad,
                "confirmation": decision.confirmation,
            }
        else:
            winner = explained.winner or (explained.tied or (None,))[0]
            initial = {}
            if winner:
                good, bad = decisions.decision_prefill(review, winner.pattern)
                initial = {
                    "pattern": winner.pattern,
                    "consequences_good": good,
                    "consequences_bad": bad,
                }
        form = DecisionForm(initial=initial, choices=_decision_choices(explained), action=action)
    if risk_form is None and can_decide:
        risk_form = RiskForm(team=review.team, action=reverse("reviews:risk_add", args=[review.pk]))
    return render(
        request,
        "reviews/decision.html",
        {
            "review": review,
            "recommendation": explained,
            "decision": decision,
            "decision_name": next(
                (e.name for e in explained.entries if decision and e.pattern == decision.pattern),
                "",
            ),
            "risks": list(review.risks.select_related("owner_user")),
            "form": form,
            "risk_form": risk_form,
            "can_decide": can_decide,
        },
        status=status,
    )


def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision: read by every member; written by the team's reviewers while a draft."""
    review = get_review_for_user(request.user, pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        return _decision_page(request, review)
    try:
        check(request.user, review, Action.DECIDE)
    except ReviewStateError as exc:
        messages.error(request, str(exc))
        return redirect("reviews:decision", review.pk)
    explained = review_recommendation(review, review_answers(review))
    action = reverse("reviews:decision", args=[review.pk])
    form = DecisionForm(request.POST, choices=_decision_choices(explained), action=action)
    if "prefill" in request.POST:
        data = request.POST.copy()
        pattern = data.get("pattern", "")
        if pattern in dict(form.fields["pattern"].choices):
            good, bad = decisions.decision_prefill(review, pattern)
            data["consequences_good"], data["consequences_bad"] = good, bad
        form = DecisionForm(data, choices=_decision_choices(explained), action=action)
        form.is_valid()
        return _decision_page(request, review, form=form)
    if form.is_valid():
        try:
            decisions.decision_save(review=review, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ReviewStateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Decision saved."))
            return redirect("reviews:decision", review.pk)
    return _decision_page(request, review, form=form, status=400)


def risk_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        check(request.user, review, Action.DECIDE)
    except ReviewStateError as exc:
        messages.error(request, str(exc))
        return redirect("reviews:decision", review.pk)
    form = RiskForm(
        request.POST, team=review.team, action=reverse("reviews:risk_add", args=[review.pk])
    )
    if form.is_valid():
        try:
            decisions.risk_add(review=review, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ReviewStateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Risk added."))
            return redirect(reverse("reviews:decision", args=[review.pk]) + "#risks")
    return _decision_page(request, review, risk_form=form, status=400)


def risk_remove(request: HttpRequest, pk: int, risk: int) -> HttpResponse:
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        check(request.user, review, Action.DECIDE)
        decisions.risk_remove(review=review, user=request.user, risk_id=risk)
    except (ValidationError, ReviewStateError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Risk removed."))
    return redirect(reverse("reviews:decision", args=[review.pk]) + "#risks")


# --- sign-off ---------------------------------------------------------------------------------


def signoff_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer names the approvers: draft -> in_review."""
    review = get_review_for_user(request.user, pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        check(request.user, review, Action.DECIDE)
    except ReviewStateError as exc:
        messages.error(request, str(exc))
        return redirect("reviews:detail", review.pk)
    action = reverse("reviews:signoff", args=[review.pk])
    form = SignoffRequestForm(request.POST or None, team=review.team, action=action)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signoff.review_request_signoff(
                    review=review,
                    user=request.user,
                    approvers=form.cleaned_data["approvers"],
                    message=form.cleaned_data["message"],
                    site_url=_site_url(request),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except ReviewStateError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Sign-off requested. The approvers were notified."))
                return redirect("reviews:detail", review.pk)
        status = 400
    decision = Decision.objects.filter(review=review).first()
    return render(
        request,
        "reviews/signoff_request.html",
        {"review": review, "form": form, "decision": decision},
        status=status,
    )


def _sign_page(request, review, *, sign_form=None, send_back_form=None, error="", status=200):
    sign_form = sign_form or SignForm(action=reverse("reviews:sign", args=[review.pk]))
    send_back_form = send_back_form or SendBackForm(
        action=reverse("reviews:send_back", args=[review.pk])
    )
    explained = review_recommendation(review, review_answers(review))
    decision = Decision.objects.filter(review=review).first()
    return render(
        request,
        "reviews/sign.html",
        {
            "review": review,
            "decision": decision,
            "decision_entry": explained.entry(decision.pattern) if decision else None,
            "recommendation": explained,
            "risks": list(review.risks.select_related("owner_user")),
            "signatures": list(review.signatures.select_related("approver")),
            "sign_form": sign_form,
            "send_back_form": send_back_form,
            "render_error": error,
        },
        status=status,
    )


def _signer_or_redirect(request, review):
    """The pending signature, or a redirect with a message when the status does not allow it;
    PermissionDenied when the user is not a named approver."""
    try:
        return check_signer(request.user, review), None
    except ReviewStateError as exc:
        messages.error(request, str(exc))
        return None, redirect("reviews:detail", review.pk)


def signoff_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """A named approver reads the decision and signs with a comment and their password."""
    review = get_review_for_user(request.user, pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    _signature, response = _signer_or_redirect(request, review)
    if response is not None:
        return response
    if request.method == "GET":
        return _sign_page(request, review)
    form = SignForm(request.POST, action=reverse("reviews:sign", args=[review.pk]))
    if form.is_valid():
        try:
            signed = signoff.review_sign(
                review=review,
                user=request.user,
                password=form.cleaned_data["password"],
                comment=form.cleaned_data["comment"],
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ReviewStateError as exc:
            form.add_error(None, str(exc))
        except RecordRenderError:
            error = _(
                "The decision record could not be rendered, so nothing was signed or frozen. "
                "Try again; if it keeps failing, tell the administrators."
            )
            return _sign_page(request, review, sign_form=form, error=error, status=503)
        else:
            if signed.status == Review.Status.APPROVED:
                messages.success(request, _("Signed. Every approver has signed: approved."))
            else:
                messages.success(request, _("Signed."))
            return redirect("reviews:detail", review.pk)
    return _sign_page(request, review, sign_form=form, status=400)


def signoff_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    """A named approver sends the review back to draft with a reason."""
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _signature, response = _signer_or_redirect(request, review)
    if response is not None:
        return response
    form = SendBackForm(request.POST, action=reverse("reviews:send_back", args=[review.pk]))
    if form.is_valid():
        try:
            signoff.review_send_back(
                review=review,
                user=request.user,
                reason=form.cleaned_data["reason"],
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except ReviewStateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sent back to draft. The reviewers were notified."))
            return redirect("reviews:detail", review.pk)
    return _sign_page(request, review, send_back_form=form, status=400)


def signoff_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A reviewer takes the sign-off request back to draft, with a reason."""
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = WithdrawForm(request.POST, action=reverse("reviews:withdraw", args=[review.pk]))
    if form.is_valid():
        try:
            signoff.review_withdraw(
                review=review,
                user=request.user,
                reason=form.cleaned_data["reason"],
                site_url=_site_url(request),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ReviewStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Sign-off request withdrawn: the review is a draft again."))
            return redirect("reviews:detail", review.pk)
    else:
        messages.error(request, _("Say why you withdraw the request."))
    return redirect("reviews:detail", review.pk)


def review_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or reopen) the revision of an approved review."""
    review = get_review_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        new = revisions.review_revise(review=review, user=request.user)
    except ReviewStateError as exc:
        messages.error(request, str(exc))
        return redirect("reviews:detail", review.pk)
    messages.success(request, _("This is a new draft revising #%(id)s.") % {"id": review.pk})
    return redirect("reviews:detail", new.pk)


# --- exports ---------------------------------------------------------------------------------


def _filename(review: Review, record: DecisionRecord | None, ext: str) -> str:
    day = timezone.localtime(record.created_at if record else timezone.now()).strftime("%Y%m%d")
    suffix = "" if record else "-draft"
    return f"hakari-{review.team.slug}-{review.pk}-{day}{suffix}.{ext}"


def record_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The record as PDF, Markdown or JSON. An approved review's PDF is the stored one, byte
    for byte; before approval the PDF is a preview watermarked DRAFT, rendered on demand."""
    review = get_review_for_user(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if fmt not in RECORD_FORMATS:
        raise Http404("No such format")
    if fmt == "pdf":
        record = DecisionRecord.objects.filter(review=review).first()
        if record is not None:
            body = bytes(record.pdf)
        else:
            try:
                body = record_pdf(review, draft=True, verify_url=_site_url(request))
            except RecordRenderError:
                messages.error(request, _("The preview could not be rendered. Try again."))
                return redirect("reviews:detail", review.pk)
    else:
        content, record = stored_or_live(review)
        if fmt == "json":
            body = record.canonical_json.encode("utf-8") if record else record_json(content)
        else:
            verify_url = _site_url(request) + reverse("reviews:verify")
            body = record_markdown(
                content, sha256=record.sha256 if record else None, verify_url=verify_url
            ).encode("utf-8")
    response = HttpResponse(body, content_type=RECORD_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, record, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    if record is not None:
        response["X-Record-SHA256"] = record.sha256
    return response


# --- verify ---------------------------------------------------------------------------------


def verify(request: HttpRequest) -> HttpResponse:
    """Which record is this PDF (or hash), and does it match? Only records of reviews the
    user may see are ever named; anything else is "no record you can see matches"."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    action = reverse("reviews:verify")
    form = VerifyForm(request.POST or None, request.FILES or None, action=action)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            visible = (
                DecisionRecord.objects.filter(
                    review__in=Review.objects.visible_to(request.user).values("pk")
                )
                .select_related("review", "review__team")
                .defer("pdf", "canonical_json")
            )
            upload = form.cleaned_data["file"]
            if upload:
                result = verify_upload(upload.read(), visible)
            else:
                result = verify_digest(form.cleaned_data["sha256"], visible)
        else:
            status = 400
    return render(request, "reviews/verify.html", {"form": form, "result": result}, status=status)
