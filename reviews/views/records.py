"""The decision record's exports (PDF, Markdown, JSON) and the verify page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.records import VerifyForm
from ..http import HtmxHttpRequest, review_view, site_url
from ..models import DecisionRecord, Review
from ..records.canonical import record_json, stored_or_live
from ..records.markdown import record_markdown
from ..records.pdf import RecordRenderError, record_pdf
from ..records.verify import verify_digest, verify_upload

RECORD_FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def _filename(review: Review, record: DecisionRecord | None, ext: str) -> str:
    day = timezone.localtime(record.created_at if record else timezone.now()).strftime("%Y%m%d")
    suffix = "" if record else "-draft"
    return f"hakari-{review.team.slug}-{review.pk}-{day}{suffix}.{ext}"


def _record_body(request, review: Review, fmt: str) -> tuple[bytes, DecisionRecord | None]:
    """The export's bytes and the stored record they come from (None: live, a draft)."""
    if fmt == "pdf":
        record = DecisionRecord.objects.filter(review=review).first()
        if record is not None:
            return bytes(record.pdf), record
        return record_pdf(review, draft=True, verify_url=site_url(request)), None
    content, record = stored_or_live(review)
    if fmt == "json":
        body = record.canonical_json.encode("utf-8") if record else record_json(content)
        return body, record
    verify_url = site_url(request) + reverse("reviews:verify")
    markdown = record_markdown(
        content, sha256=record.sha256 if record else None, verify_url=verify_url
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


def _visible_records(user: Any) -> QuerySet[DecisionRecord]:
    """The records `verify` may name: those of reviews `user` may see (no PDF bytes)."""
    return (
        DecisionRecord.objects.filter(review__in=Review.objects.visible_to(user).values("pk"))
        .select_related("review", "review__team")
        .defer("pdf", "canonical_json")
    )


@require_http_methods(["GET", "POST"])
def verify(request: HtmxHttpRequest) -> HttpResponse:
    """Which record is this PDF (or hash), and does it match? Only records of reviews the
    user may see are ever named; anything else is "no record you can see matches"."""
    action = reverse("reviews:verify")
    form = VerifyForm(request.POST or None, request.FILES or None, action=action)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            upload, records = form.cleaned_data["file"], _visible_records(request.user)
            if upload:
                result = verify_upload(upload.read(), records)
            else:
                result = verify_digest(form.cleaned_data["sha256"], records)
        else:
            status = 400
    return render(request, "reviews/verify.html", {"form": form, "result": result}, status=status)
