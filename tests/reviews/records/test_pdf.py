"""The record as a PDF (reviews/records/pdf.py), rendered and signed for real here: PDF/A-3
with the record inside, one signature per approver and the closing timestamp (checked with
poppler's pdfsig and pdfdetach too), page 1, text, fonts, escaping, the URL fetcher, a failed
render."""

import hashlib
import io
import re
import subprocess
from typing import Any

import pytest
from pypdf import PdfReader

from reviews.models import DecisionRecord, Review, ReviewEvent, Signature, SignoffRequest
from reviews.records import pdf as records_pdf
from reviews.records.pdf import PDF_STATIC_PREFIX, RecordRenderError, record_pdf, static_path_for
from reviews.services import signoff
from reviews.services.answers import review_answer_save
from reviews.signing.check import check_pdf
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
    assert check_pdf(pdf).claimed_sha256 == record.sha256  # what the verify page reads

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
    assert "Carol Chiba" in text and "Dave Doi" in text  # their boxes and their stamps
    assert record.sha256 in text.replace("\n", "").replace(" ", "")
    assert re.search(rf"1\s*/\s*{len(reader.pages)}", text)  # page numbers in the footer
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


def test_a_failed_render_is_taken_back_and_signing_renders_nothing(
    review, alice, carol, dave, monkeypatch
):
    from tests.reviews.lifecycle_helpers import answer, decide

    answer(review, alice)
    decide(review, alice)
    import weasyprint

    real = weasyprint.HTML.write_pdf

    def broken(self, *args, **kwargs):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(RecordRenderError):
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    # taken back at once (the render runs after the request's commit, outside every lock)
    assert not SignoffRequest.objects.filter(state=SignoffRequest.State.PENDING).exists()
    assert not Signature.objects.exists()
    trail = list(ReviewEvent.objects.filter(review=review).values_list("action", flat=True))
    assert trail == [ReviewEvent.Action.REQUEST_SIGNOFF, ReviewEvent.Action.WITHDRAW]

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", real)
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)  # signing never renders
    sign(review, carol)
    sign(review, dave)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert bytes(DecisionRecord.objects.get(review=review).pdf).startswith(b"%PDF")


# --- PDF/A-3, the record inside, the signatures, as other tools see them -----------------------


def poppler(*args: str) -> str:
    result = subprocess.run(list(args), capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def test_the_signed_record_as_other_tools_see_it(review, alice, carol, dave, tmp_path):
    """Rendered and signed once (a second and more), then checked as the issue's done-when
    says: pdfsig, pdfdetach, the XMP, page 1, the page fill."""
    review.language = "ja"
    review.save()
    approved(review, alice, [carol, dave])
    record = DecisionRecord.objects.get(review=review)
    path = tmp_path / "record.pdf"
    path.write_bytes(bytes(record.pdf))
    check_pdfsig(record, path)
    check_pdfdetach(record, path, tmp_path)
    check_pdfa(record, path)
    check_page_1(record, path)
    check_pages_are_full(record, path)


def check_pdfsig(record, path):
    """pdfsig: one valid signature per approver, and the closing timestamp."""
    out = poppler("pdfsig", str(path))
    assert out.count("Signature is Valid.") == 2, out
    assert "Carol Chiba" in out and "Dave Doi" in out
    assert out.count("ETSI.CAdES.detached") == 2
    assert re.search(r"Signer Certificate Common Name: .*time-stamping", out), out


def check_pdfdetach(record, path, tmp_path):
    """pdfdetach: the record inside, whose SHA-256 is the hash printed on page 1."""
    listing = poppler("pdfdetach", "-list", str(path))
    assert "record.json" in listing and "record.md" in listing
    saved = tmp_path / "record.json"
    subprocess.run(
        ["pdfdetach", "-savefile", "record.json", "-o", str(saved), str(path)], check=True
    )
    digest = hashlib.sha256(saved.read_bytes()).hexdigest()
    assert digest == record.sha256
    page_1 = poppler("pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-")
    assert digest in re.sub(r"\s", "", page_1)


def check_pdfa(record, path):
    """The XMP says PDF/A-3; tagged, in the record's language; the JSON is its Data."""
    meta = poppler("pdfinfo", "-meta", str(path))
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    info = poppler("pdfinfo", str(path))
    assert re.search(r"Tagged:\s+yes", info)
    reader = PdfReader(str(path))
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    relationships = {
        str(spec.get_object()["/F"]): str(spec.get_object()["/AFRelationship"])
        for spec in reader.trailer["/Root"]["/AF"]
    }
    assert relationships == {"record.json": "/Data", "record.md": "/Alternative"}


def check_page_1(record, path):
    """Page 1: the summary a board reads, with the 承認欄."""
    page_1 = poppler("pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-")
    assert "組織間のアクセス権を有効にする" in page_1  # the decision
    assert "承認" in page_1 and "確認" in page_1 and "担当" in page_1  # the 承認欄
    assert "Carol Chiba" in page_1 and "Dave Doi" in page_1 and "Alice Abe" in page_1
    assert re.search(r"\d{4}年（令和\d+年）\d+月\d+日", page_1)  # the era beside the year
    assert f"HKR-{record.review.pk}-{record.sha256[:8]}" in page_1
    reader = PdfReader(str(path))
    boxes = {
        str(annot.get_object().get("/T")): annot.get_object()
        for annot in reader.pages[0].get("/Annots", [])
    }
    assert {"approver-1", "approver-2"} <= set(boxes)  # the stamps are on page 1
    left = {
        name: float(box["/Rect"][0])
        for name, box in boxes.items()
        if name in ("approver-1", "approver-2")
    }
    assert left["approver-2"] < left["approver-1"]  # the most senior, last to sign, leftmost


def check_pages_are_full(record, path):
    """Every page but the last is at least half full; the last is no orphan of a line."""
    reader = PdfReader(str(path))
    height = float(reader.pages[0].mediabox[3])
    footer = 20 * 72 / 25.4
    for number, page in enumerate(reader.pages[1:], start=2):
        lowest = [height]

        def visit(text, cm, tm, font_dict, font_size, lowest=lowest):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and y > footer:
                lowest[0] = min(lowest[0], y)

        page.extract_text(visitor_text=visit)
        filled = (height - lowest[0]) / (height - 2 * footer)
        minimum = 0.15 if number == len(reader.pages) else 0.5
        assert filled >= minimum, f"page {number} is {filled:.0%} full"


def test_verify_record_says_genuine_and_then_not(review, alice, carol, dave, tmp_path, monkeypatch):
    from django.core.management import call_command

    from tests.reviews.lifecycle_helpers import fake_pdf

    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)  # the signatures are what counts here
    approved(review, alice, [carol, dave])
    path = tmp_path / "record.pdf"
    path.write_bytes(bytes(DecisionRecord.objects.get(review=review).pdf))
    out = io.StringIO()
    with pytest.raises(SystemExit) as done:
        call_command("verify_record", str(path), stdout=out)
        raise SystemExit(0)
    assert done.value.code == 0
    lines = out.getvalue().splitlines()
    assert sum(line.startswith("VALID      signature") for line in lines) == 2
    assert sum(line.startswith("VALID      timestamp") for line in lines) == 1
    assert "GENUINE" in lines[-1]

    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(data))
    out = io.StringIO()
    with pytest.raises(SystemExit) as done:
        call_command("verify_record", str(flipped), stdout=out)
    assert done.value.code == 1 and "NOT GENUINE" in out.getvalue()

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"hello")
    with pytest.raises(SystemExit) as done:
        call_command("verify_record", str(junk), stdout=io.StringIO())
    assert done.value.code == 2


def test_the_last_signature_takes_under_a_second(review, alice, carol):
    """Nothing renders at sign time: the last signature (with the closing timestamp and the
    validation data) is signing only, on the real record (the sign page warms up first)."""
    import time

    from reviews.signing.pdf import warm_up

    ready(review, alice, [carol])
    warm_up()
    start = time.perf_counter()
    sign(review, carol)
    elapsed = time.perf_counter() - start
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert elapsed < 1.0, f"the last signature took {elapsed:.2f} s"
