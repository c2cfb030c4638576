"""The record as a PDF (reviews/records/pdf.py), rendered for real here: text, fonts, hash,
escaping, the URL fetcher, a failed render."""

import io
import re
import subprocess
from typing import Any

import pytest
from pypdf import PdfReader

from reviews.models import DecisionRecord, Review, ReviewEvent, Signature
from reviews.records import pdf as records_pdf
from reviews.records.pdf import PDF_STATIC_PREFIX, RecordRenderError, record_pdf, static_path_for
from reviews.records.verify import claimed_hash
from reviews.services.answers import review_answer_save
from tests.reviews.lifecycle_helpers import approved, ready, sign
from tests.reviews.records.helpers import EVIL_NOTE, XSS_TITLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_fonts(data: bytes) -> set[tuple[str, bool]]:
    reader = PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            embedded = descriptor and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.add((str(font["/BaseFont"]), bool(embedded)))
    return fonts


def test_the_approved_pdf_has_the_record_with_real_japanese_glyphs(
    review, alice, carol, dave, monkeypatch
):
    fetched = []
    original = records_pdf.static_path_for

    def spy(url):
        fetched.append(url)
        return original(url)

    monkeypatch.setattr(records_pdf, "static_path_for", spy)
    review.title = XSS_TITLE
    review.save()
    review_answer_save(
        review=review, user=alice, question="confidentiality", choice="high", note=EVIL_NOTE
    )
    approved(review, alice, [carol, dave])
    record = DecisionRecord.objects.get(review=review)
    pdf = bytes(record.pdf)
    assert pdf.startswith(b"%PDF")

    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 portrait cover
    assert reader.metadata["/Subject"] == f"hakari-record-sha256:{record.sha256}"
    assert claimed_hash(pdf) == record.sha256  # what the verify page reads from an upload

    fonts = pdf_fonts(pdf)
    assert any("Noto-Sans-JP" in name and embedded for name, embedded in fonts), fonts
    assert all(re.match(r"/[A-Z]{6}\+", name) for name, _ in fonts)  # subsets only

    text = pdf_text(pdf)
    for name in [
        "組織間のアクセス権を有効にする",
        "ゲストスペースでの運用",
        "別ドメインを用意する",
    ]:
        assert name in text
    assert "Carol Chiba" in text and "Dave Doi" in text
    assert record.sha256 in text.replace("\n", "").replace(" ", "")
    assert f"1 / {len(reader.pages)}" in text  # page numbers in the footer
    flat = re.sub(r"\s", "", text)
    assert "<imgsrc=x" in flat and "file:///etc/passwd" in flat  # shown as text, escaped
    # the renderer fetched nothing but the bundled fonts: user text makes it fetch nothing
    assert fetched and all(url.startswith(PDF_STATIC_PREFIX + "fonts/") for url in fetched)


def test_the_html_behind_the_pdf_escapes_what_users_typed(review, alice, carol, monkeypatch):
    review.title = XSS_TITLE
    review.save()
    review_answer_save(
        review=review, user=alice, question="confidentiality", choice="high", note=EVIL_NOTE
    )
    ready(review, alice, [carol])
    seen = {}

    class Stop(Exception):
        pass

    def capture(template, context):
        from django.template.loader import render_to_string as real

        seen["html"] = real(template, context)
        raise Stop

    monkeypatch.setattr(records_pdf, "render_to_string", capture)
    with pytest.raises(Stop):
        record_pdf(review, draft=True)
    html = seen["html"]
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert '<a href="file:' not in html and "<link rel=stylesheet href=http" not in html


def test_a_draft_preview_is_watermarked_and_never_stored(review, alice, carol):
    ready(review, alice, [carol])
    pdf = record_pdf(review, draft=True)
    text = pdf_text(pdf)
    assert "DRAFT" in text and "SHA-256" not in text
    assert PdfReader(io.BytesIO(pdf)).metadata["/Subject"] == "hakari-draft-preview"
    assert not DecisionRecord.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://hakari.invalid/static/../../etc/passwd",
        "https://hakari.invalid/static/fonts/%2e%2e/%2e%2e/settings.py",
        "https://hakari.invalid/static/js/hakari.js",
        "https://hakari.invalid/media/x.ttf",
        "https://hakari.invalid/static/fonts/noto-sans-jp/NotoSansJP-Regular.ttf?x=1",
        "data:font/ttf;base64,AAAA",
        "https://example.com/static/fonts/noto-sans-jp/NotoSansJP-Regular.ttf",
    ],
)
def test_the_url_fetcher_refuses_everything_but_static_assets(url):
    from weasyprint.urls import URLFetchingError

    assert static_path_for(url) is None
    with pytest.raises(URLFetchingError):
        records_pdf._fetcher_class()().fetch(url)


def test_the_url_fetcher_serves_the_bundled_fonts():
    fetcher = records_pdf._fetcher_class()()
    response = fetcher.fetch(PDF_STATIC_PREFIX + "fonts/noto-sans-jp/NotoSansJP-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


# --- failure and retry ----------------------------------------------------------------------


def test_a_failed_render_freezes_nothing_and_signing_can_be_retried(
    review, alice, carol, dave, monkeypatch
):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    events_before = ReviewEvent.objects.count()

    import weasyprint

    def broken(self, *args, **kwargs):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(RecordRenderError):
        sign(review, dave)
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW
    assert Signature.objects.get(approver=dave).state == Signature.State.PENDING
    assert ReviewEvent.objects.count() == events_before
    assert not DecisionRecord.objects.exists()

    monkeypatch.undo()
    sign(review, dave)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert bytes(DecisionRecord.objects.get(review=review).pdf).startswith(b"%PDF")
