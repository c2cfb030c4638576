"""The record as a PDF: WeasyPrint renders templates/reviews/pdf/record.html to bytes.

The record under sign-off is PDF/A-3b, tagged, in the record's language, with the canonical
JSON embedded as its associated file (AFRelationship Data: the record itself, whose SHA-256 is
printed on page 1) and the Markdown as an alternative (AFRelationship Alternative). Page 1 is
the summary with the 承認欄 (`summary.record_summary`), whose approver boxes carry the ids the
signature fields are placed by (`reviews.signing.pdf`). A draft preview is the same document
watermarked DRAFT, with no record inside.

WeasyPrint fetches nothing but the app's own static files: `StaticOnlyURLFetcher` resolves
`/static/...` through the staticfiles finders and refuses every other URL.
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..signing.pdf import STAMP_HEIGHT_MM, STAMP_WIDTH_MM
from .canonical import record_json, record_sha256
from .content import CriterionInfo, RecordContent, StatementRow
from .sections import record_content
from .signoff import box_labels
from .summary import record_date, record_summary

if TYPE_CHECKING:
    from ..models import Review

logger = logging.getLogger(__name__)

# Relative URLs in the PDF template resolve against this made-up origin; the fetcher serves
# only its /static/ files and refuses everything else.
PDF_BASE_URL = "https://hakari.invalid/"
PDF_STATIC_PREFIX = PDF_BASE_URL + "static/"
PDF_ASSET_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
FONT_FAMILY = "Noto Sans JP"


class RecordRenderError(Exception):
    """The PDF could not be rendered; nothing was frozen, signing can be retried."""


@dataclass(frozen=True)
class CriterionRow:
    """One row of the options table: a criterion and, per option, its statements on it."""

    criterion: CriterionInfo
    cells: tuple[tuple[StatementRow, ...], ...]


def _rows(content: RecordContent) -> tuple[CriterionRow, ...]:
    return tuple(
        CriterionRow(
            criterion=criterion,
            cells=tuple(
                tuple(s for s in option.statements if s.criterion == criterion.key)
                for option in content.options
            ),
        )
        for criterion in content.criteria
    )


def _chart(content: RecordContent) -> SafeString:
    from patterns.charts import score_chart_svg

    return score_chart_svg(
        content.options,
        [(c.key, c.name) for c in content.criteria],
        title=_("Scores by criterion"),
        description=_(
            "Each option's score split by criterion: contributions in its favour to the right "
            "of zero, against it to the left. The numbers are in the table below."
        ),
        font_family=f"{FONT_FAMILY}, sans-serif",
        chart_id="record-chart",
    )


def verify_link(verify_url: str, sha256: str | None) -> str:
    """The verify page for this record's hash (what the QR code on page 1 opens)."""
    if not verify_url or not sha256:
        return verify_url
    return f"{verify_url}?{urlencode({'sha256': sha256})}"


def _qr_svg(data: str) -> SafeString:
    """A QR code of `data` as inline SVG (vector, so it prints sharp)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*>", "", svg)
    svg = re.sub(r'width="[^"]*" height="[^"]*" ', 'class="qr" role="img" ', svg, count=1)
    return mark_safe(svg)  # noqa: S308 -- generated here from a URL, no user markup


def _context(
    content: RecordContent, *, draft: bool, sha256: str | None, verify_url: str, ca_fingerprint: str
) -> dict[str, Any]:
    """The template's context, in the active (the record's) language."""
    link = verify_link(verify_url, sha256)
    requested = next((s.requested_at for s in content.signoffs if s.requested_at), None)
    return {
        "content": content,
        "summary": record_summary(content, box_labels()),
        "rows": _rows(content),
        "draft": draft,
        "sha256": sha256,
        "record_id": f"HKR-{content.review.id}-{sha256[:8]}" if sha256 else "",
        "verify_url": verify_url,
        "verify_link": link,
        "qr": _qr_svg(link) if link and sha256 else "",
        "ca_fingerprint": ca_fingerprint,
        "requested_on": record_date(requested, content.language),
        "created_on": record_date(content.review.created_at, content.language),
        "chart": _chart(content),
        "font_family": FONT_FAMILY,
        "lang": content.language,
        "stamp_width": f"{STAMP_WIDTH_MM}mm",
        "stamp_height": f"{STAMP_HEIGHT_MM}mm",
    }


def _attachments(content: RecordContent, markdown: str) -> list[Any]:
    """The canonical JSON (the record, AFRelationship Data) and its Markdown (Alternative)."""
    import weasyprint

    when = timezone.localtime(timezone.now()).replace(tzinfo=None, microsecond=0)
    return [
        weasyprint.Attachment(
            string=record_json(content),
            name="record.json",
            description="Hakari decision record, canonical JSON (the signed record)",
            relationship="Data",
            created=when,
            modified=when,
        ),
        weasyprint.Attachment(
            string=markdown.encode("utf-8"),
            name="record.md",
            description="The same record in Markdown (MADR)",
            relationship="Alternative",
            created=when,
            modified=when,
        ),
    ]


def record_pdf(
    review: Review,
    *,
    draft: bool,
    content: RecordContent | None = None,
    sha256: str | None = None,
    verify_url: str = "",
    ca_fingerprint: str = "",
    markdown: str = "",
) -> bytes:
    """The record as an A4 PDF, in the review's language.

    `draft=True` is a preview, watermarked DRAFT and never stored. The record under sign-off
    passes the `content` it hashed and its `sha256` (so the PDF shows exactly what was
    hashed) and its `markdown`: it is PDF/A-3b with both embedded. Raises RecordRenderError
    when WeasyPrint fails.
    """
    if content is None:
        content = record_content(review)
    if sha256 is None and not draft:
        sha256 = record_sha256(content)
    with translation.override(content.language):
        context = _context(
            content,
            draft=draft,
            sha256=sha256,
            verify_url=verify_url,
            ca_fingerprint=ca_fingerprint,
        )
        html = render_to_string("reviews/pdf/record.html", context)
    return _render(review, html, content, markdown=None if draft else markdown)


def _render(review: Review, html: str, content: RecordContent, *, markdown: str | None) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # not its 7 steps
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    try:
        import weasyprint

        document = weasyprint.HTML(
            string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher_class()()
        )
        options: dict[str, Any] = {"pdf_tags": True}
        if markdown is not None:
            options.update(
                pdf_variant="pdf/a-3b",
                attachments=_attachments(content, markdown),
            )
        pdf: bytes = document.write_pdf(**options)
    except Exception as exc:  # WeasyPrint raises many kinds; the caller shows one message
        logger.exception("rendering the record of review %s failed", review.pk)
        raise RecordRenderError(str(exc)) from exc
    return pdf


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class StaticOnlyURLFetcher(URLFetcher):  # type: ignore[misc]
        """Serves the app's static files (fonts, CSS) to WeasyPrint; refuses every other URL.

        Under gunicorn there is no static server to fetch from, and refusing the rest keeps
        anything in a record from making the renderer fetch file://, internal hosts or data.
        """

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_path_for(url)
            if path is None:
                logger.warning("PDF renderer refused %s", url[:200])
                raise URLFetchingError(f"refused: {url[:200]}")
            found = finders.find(path)
            if not found:
                raise URLFetchingError(f"no such static file: {path}")
            with open(found, "rb") as handle:
                body = handle.read()
            content_type = PDF_ASSET_TYPES[posixpath.splitext(path)[1].lower()]
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyURLFetcher


def static_path_for(url: str) -> str | None:
    """The static file path a PDF URL may fetch (`fonts/x.ttf`), or None when refused."""
    if not url.startswith(PDF_STATIC_PREFIX):
        return None
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return None
    path = unquote(parts.path).removeprefix("/static/")
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    if any(segment in ("", ".", "..") for segment in path.split("/")):
        return None
    if posixpath.splitext(path)[1].lower() not in PDF_ASSET_TYPES:
        return None
    return path
