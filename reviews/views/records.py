"""The decision record's exports (PDF, Markdown, JSON) and the verify page."""

from __future__ import annotations

import hashlib
import re
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.records import VerifyForm
from ..http import HtmxHttpRequest, review_view, site_url
from ..models import DecisionRecord, Review
from ..records import (
    RecordRenderError,
    record_json,
    record_markdown,
    record_pdf,
    stored_or_live,
)

RECORD_FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
CLAIMED_HASH_RE = re.compile(rb"hakari-record-sha256:([0-9a-f]{64})")


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


def _claimed_hash(data: bytes) -> str | None:
    """The record hash a PDF says it carries (its metadata), if any; never trusted alone."""
    match = CLAIMED_HASH_RE.search(data)
    if match:
        return match.group(1).decode("ascii")
    try:
        from pypdf import PdfReader

        subject = (PdfReader(BytesIO(data)).metadata or {}).get("/Subject") or ""
    except Exception:  # not a PDF, or a broken one: it simply claims nothing
        return None
    found = re.search(r"hakari-record-sha256:([0-9a-f]{64})", str(subject))
    return found.group(1) if found else None


def _match(user: Any, upload, sha256: str) -> dict:
    """What the verify page says: which record (of those `user` may see) matches, and how."""
    visible = (
        DecisionRecord.objects.filter(review__in=Review.objects.visible_to(user).values("pk"))
        .select_related("review", "review__team")
        .defer("pdf", "canonical_json")
    )
    result: dict = {"kind": "none"}
    if upload:
        data = upload.read()
        digest = hashlib.sha256(data).hexdigest()
        result["digest"] = digest
        record = visible.filter(pdf_sha256=digest).first()
        if record is not None:
            result.update(kind="pdf", record=record)
        else:
            claimed = _claimed_hash(data)
            record = visible.filter(sha256=claimed).first() if claimed else None
            if record is not None:
                result.update(kind="altered", record=record)
    else:
        result["digest"] = sha256
        record = visible.filter(Q(sha256=sha256) | Q(pdf_sha256=sha256)).first()
        if record is not None:
            kind = "content" if record.sha256 == sha256 else "pdf"
            result.update(kind=kind, record=record)
    return result


@require_http_methods(["GET", "POST"])
def verify(request: HtmxHttpRequest) -> HttpResponse:
    """Which record is this PDF (or hash), and does it match? Only records of reviews the
    user may see are ever named; anything else is "no record you can see matches"."""
    action = reverse("reviews:verify")
    form = VerifyForm(request.POST or None, request.FILES or None, action=action)
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            result = _match(request.user, form.cleaned_data["file"], form.cleaned_data["sha256"])
        else:
            status = 400
    return render(request, "reviews/verify.html", {"form": form, "result": result}, status=status)
