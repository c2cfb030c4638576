"""The record as a PDF: WeasyPrint renders templates/reviews/pdf/record.html to bytes.

WeasyPrint fetches nothing but the app's own static files: `StaticOnlyURLFetcher` resolves
`/static/...` through the staticfiles finders and refuses every other URL.
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .canonical import record_sha256
from .content import CriterionInfo, RecordContent, StatementRow
from .sections import record_content

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


def record_pdf(
    review: Review,
    *,
    draft: bool,
    content: RecordContent | None = None,
    sha256: str | None = None,
    verify_url: str = "",
) -> bytes:
    """The record as an A4 PDF, in the review's language.

    `draft=True` is a preview, watermarked DRAFT and never stored. The frozen record passes
    the `content` it hashed and its `sha256`, so the PDF shows exactly what was hashed.
    Raises RecordRenderError when WeasyPrint fails.
    """
    if content is None:
        content = record_content(review)
    if sha256 is None and not draft:
        sha256 = record_sha256(content)
    with translation.override(content.language):
        context = {
            "content": content,
            "rows": _rows(content),
            "draft": draft,
            "sha256": sha256,
            "verify_url": verify_url,
            "chart": _chart(content),
            "font_family": FONT_FAMILY,
            "lang": content.language,
        }
        html = render_to_string("reviews/pdf/record.html", context)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # not its 7 steps
    try:
        import weasyprint

        document = weasyprint.HTML(
            string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher_class()()
        )
        pdf: bytes = document.write_pdf()
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
