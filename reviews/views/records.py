"""The decision record's exports (PDF, Markdown, JSON), the verify page and the CA certificate.

The verify page and the CA certificate need no login: anyone holding a record can check it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.records import VerifyForm
from ..http import HtmxHttpRequest, review_view, site_url
from ..models import DecisionRecord, Review, SignoffRequest
from ..records.canonical import record_json, stored_or_live
from ..records.markdown import record_markdown
from ..records.pdf import RecordRenderError, record_pdf
from ..records.sections import signoff_rows
from ..records.verify import verify_digest, verify_upload
from ..services.signoff import ensure_request_pdf
from ..signing.pki import PkiError, authority, pretty_fingerprint

RECORD_FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _filename(review: Review, record: DecisionRecord | None, ext: str) -> str:
    day = timezone.localtime(record.created_at if record else timezone.now()).strftime("%Y%m%d")
    in_review = review.status == Review.Status.IN_REVIEW
    suffix = "" if record else "-in-review" if in_review else "-draft"
    return f"hakari-{review.team.slug}-{review.pk}-{day}{suffix}.{ext}"


def _open_request(review: Review) -> SignoffRequest | None:
    if review.status != Review.Status.IN_REVIEW:
        return None
    return SignoffRequest.objects.filter(review=review, state=SignoffRequest.State.PENDING).first()


def _record_body(request, review: Review, fmt: str) -> tuple[bytes, DecisionRecord | None]:
    """The export's bytes and the stored record they come from (None: not approved). In review,
    the PDF is the one under sign-off (with the signatures so far) and the JSON its record."""
    pending = _open_request(review)
    if fmt == "pdf":
        record = DecisionRecord.objects.filter(review=review).first()
        if record is not None:
            return bytes(record.pdf), record
        if pending is not None:
            ensure_request_pdf(review, pending, base=site_url(request))
            return bytes(pending.pdf), None
        return record_pdf(review, draft=True, verify_url=site_url(request)), None
    content, record = stored_or_live(review)
    if fmt == "json":
        if record is not None:
            return record.canonical_json.encode("utf-8"), record
        if pending is not None:
            return pending.canonical_json.encode("utf-8"), None
        return record_json(content), None
    verify_url = site_url(request) + reverse("reviews:verify")
    signed = signoff_rows(review) if record else None
    markdown = record_markdown(
        content,
        sha256=record.sha256 if record else None,
        verify_url=verify_url,
        status=review.status if record else None,
        signoffs=signed,
    )
    return markdown.encode("utf-8"), record


@review_view(("GET",))
def record_download(request: HtmxHttpRequest, review: Review, fmt: str) -> HttpResponse:
    """The record as PDF, Markdown or JSON. An approved review's PDF is the stored one, byte
    for byte; before approval the PDF is a preview watermarked DRAFT, rendered on demand."""
    if fmt not in RECORD_FORMATS:
        raise Http404("No such format")
    try:
        body, record = _record_body(request, review, fmt)
    except RecordRenderError:
        messages.error(request, _("The preview could not be rendered. Try again."))
        return redirect("reviews:detail", review.pk)
    response = HttpResponse(body, content_type=RECORD_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(review, record, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    if record is not None:
        response["X-Record-SHA256"] = record.sha256
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request: HtmxHttpRequest) -> HttpResponse:
    """Is this PDF (or hash) a genuine decision record, and what became of it? Works without
    login for an uploaded file and for a hash (the QR code on page 1): it shows what the file
    itself proves and the record's current state; titles and links only to those who may see
    the review."""
    action = reverse("reviews:verify")
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "sha256" in request.GET else None)
    )
    form = VerifyForm(data, request.FILES or None, action=action)
    result, status = None, 200
    if data is not None:
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload:
                result = verify_upload(upload.read(), request.user)
            else:
                result = verify_digest(form.cleaned_data["sha256"], request.user)
        else:
            status = 400
    context = {"form": form, "result": result, "ca": _ca_fingerprint()}
    return render(request, "reviews/verify.html", context, status=status)


def _ca_fingerprint() -> str:
    try:
        return pretty_fingerprint(authority().ca_fingerprint)
    except PkiError:
        return ""


@login_not_required
@require_http_methods(["GET"])
def verify_ca(request: HtmxHttpRequest) -> HttpResponse:
    """The installation CA's certificate (PEM), to trust in a PDF reader or for pdfsig."""
    try:
        ca = authority()
    except PkiError as exc:
        raise Http404("No CA") from exc
    pem = (ca.directory / "ca.pem").read_bytes()
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="hakari-ca.pem"'
    return response
