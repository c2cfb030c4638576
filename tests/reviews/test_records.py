"""The decision record (reviews/records.py): canonical content and hash, the PDF (rendered for
real here: text, fonts, hash, escaping, the URL fetcher), the Markdown, the commands."""

import hashlib
import io
import json
import re
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from reviews import records
from reviews.models import DecisionRecord, Review, ReviewEvent, Signature
from reviews.services import decisions, signoff
from reviews.services.answers import review_answer_save
from reviews.views.records import _claimed_hash
from tests.reviews.lifecycle_helpers import approved, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

XSS_TITLE = '<img src=x onerror="alert(1)"> 取引先ポータル'
EVIL_NOTE = (
    '<a href="file:///etc/passwd">passwd</a> <link rel=stylesheet href=http://169.254.169.254/x>'
)


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", lambda review, **kw: b"%PDF-1.7 fake")


def pdf_text(data: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            embedded = descriptor and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts.add((str(font["/BaseFont"]), bool(embedded)))
    return fonts


# --- content and hash ---------------------------------------------------------------------


def test_the_same_record_gives_the_same_json_and_hash(review, alice, carol):
    ready(review, alice, [carol])
    first, second = records.record_content(review), records.record_content(review)
    assert first == second
    assert records.record_json(first) == records.record_json(second)
    assert records.record_sha256(first) == hashlib.sha256(records.record_json(first)).hexdigest()


def test_the_canonical_json_is_sorted_compact_utf8(review, alice, carol):
    ready(review, alice, [carol])
    data = records.record_json(records.record_content(review))
    text = data.decode("utf-8")
    assert "組織間のアクセス権を有効にする" in text  # ensure_ascii=False: real characters

    parsed = json.loads(text)
    assert text == json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_the_stored_record_is_the_hash_of_its_content(review, alice, carol, dave, fake_pdf):
    approved(review, alice, [carol, dave])
    record = DecisionRecord.objects.get(review=review)
    assert hashlib.sha256(record.canonical_json.encode()).hexdigest() == record.sha256
    assert hashlib.sha256(bytes(record.pdf)).hexdigest() == record.pdf_sha256
    # nothing of it can change, so computing it again gives the very same bytes
    assert records.record_json(records.record_content(review)).decode() == record.canonical_json


def test_the_content_has_what_product_md_lists(review, alice, carol, dave, fake_pdf):
    review_answer_save(
        review=review, user=alice, question="partner_count", choice="many", note="30社"
    )
    decisions.risk_add(review=review, user=alice, description="設定ミス", owner_user=alice)
    approved(review, alice, [carol, dave], confirmation="3か月後に監査する")
    content = json.loads(DecisionRecord.objects.get(review=review).canonical_json)
    assert content["review"]["status"] == "approved" and content["review"]["approved_at"]
    assert content["review"]["team"] == {"slug": "acme", "name": "Acme IT"}
    assert content["catalog"]["slug"] == "kintone-external-collaboration"
    answers = {a["question"]: a for a in content["context"]["answers"]}
    assert len(answers) == 14 and answers["partner_count"]["note"] == "30社"
    assert content["decision_drivers"][0]["excludes"]
    assert [o["pattern"] for o in content["options"]] == [
        "guest_space",
        "inter_org_access",
        "external_service",
        "separate_domain",
    ]
    assert all(o["statements"] for o in content["options"])
    assert content["recommendation"]["winner"] == "inter_org_access"
    assert content["sensitivity"] and content["sensitivity"][0]["sentence"]
    assert content["decision"]["recommended"] and content["decision"]["confirmation"]
    assert content["risks"][0]["owner"] == "Alice Abe"
    assert [s["name"] for s in content["signoffs"]] == ["Carol Chiba", "Dave Doi"]
    assert all(s["signed_at"] and s["role"] == "approver" for s in content["signoffs"])
    assert [e["action"] for e in content["audit"]] == ["request_signoff", "sign", "sign"]


def test_an_english_review_is_recorded_in_english(review, alice, carol):
    review.language = "en"
    review.save()
    ready(review, alice, [carol])
    content = records.record_content(review)
    assert content["language"] == "en"
    names = {o["pattern"]: o["name"] for o in content["options"]}
    assert names["inter_org_access"].startswith("Limit access across departments")
    assert "組織" not in names["inter_org_access"]


# --- the PDF ------------------------------------------------------------------------------


def test_the_approved_pdf_has_the_record_with_real_japanese_glyphs(
    review, alice, carol, dave, monkeypatch
):
    fetched = []
    original = records.static_path_for

    def spy(url):
        fetched.append(url)
        return original(url)

    monkeypatch.setattr(records, "static_path_for", spy)
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
    assert _claimed_hash(pdf) == record.sha256  # what the verify page reads from an upload

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
    assert fetched and all(url.startswith(records.PDF_STATIC_PREFIX + "fonts/") for url in fetched)


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

    monkeypatch.setattr(records, "render_to_string", capture)
    with pytest.raises(Stop):
        records.record_pdf(review, draft=True)
    html = seen["html"]
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert '<a href="file:' not in html and "<link rel=stylesheet href=http" not in html


def test_a_draft_preview_is_watermarked_and_never_stored(review, alice, carol):
    ready(review, alice, [carol])
    pdf = records.record_pdf(review, draft=True)
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

    assert records.static_path_for(url) is None
    with pytest.raises(URLFetchingError):
        records._fetcher_class()().fetch(url)


def test_the_url_fetcher_serves_the_bundled_fonts():
    fetcher = records._fetcher_class()()
    response = fetcher.fetch(
        records.PDF_STATIC_PREFIX + "fonts/noto-sans-jp/NotoSansJP-Regular.ttf"
    )
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
    with pytest.raises(records.RecordRenderError):
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


# --- Markdown -------------------------------------------------------------------------------


def test_the_markdown_is_madr(review, alice, carol, dave, fake_pdf):
    review.title = XSS_TITLE
    review.language = "en"  # MADR's own headings; a Japanese review gets them in Japanese
    review.save()
    review_answer_save(
        review=review, user=alice, question="confidentiality", choice="high", note=EVIL_NOTE
    )
    approved(review, alice, [carol, dave])
    record = DecisionRecord.objects.get(review=review)
    text = records.record_markdown(
        json.loads(record.canonical_json), sha256=record.sha256, verify_url="https://h/verify/"
    )
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert 'status: "approved"' in front
    assert re.search(r'^date: "\d{4}-\d{2}-\d{2}"$', front, re.MULTILINE)
    assert 'decision-makers: "Carol Chiba, Dave Doi"' in front
    assert f'record-sha256: "{record.sha256}"' in front
    headings = re.findall(r"^(#{1,3}) (.+)$", body, re.MULTILINE)
    order = [h for level, h in headings if level == "##"]
    assert order[:6] == [
        "Context and Problem Statement",
        "Decision Drivers",
        "Considered Options",
        "Decision Outcome",
        "Pros and Cons of the Options",
        "More Information",
    ]
    assert {"Consequences", "Confirmation", "Risks", "Sign-offs", "Audit trail"} <= {
        h for level, h in headings if level == "###"
    }
    chosen = "Limit access across departments \\(Department Access Control\\)"
    assert f"Chosen option: “{chosen}”" in body
    assert "* Good, because" in body and "* Bad, because" in body
    # what users typed cannot become HTML or links
    assert not re.search(r"(?<!\\)[<>\[\]]", body)  # every < > [ ] is backslash-escaped
    assert "\\<img src=x" in body and "\\<a href" in body
    assert f"`{record.sha256}`" in body


def test_markdown_escaping():
    assert records.md_inline("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert records.md_text("1. not a list\n---") == "1\\. not a list\n\\---"
    assert records.md_inline("**bold** _it_ `code` <b>") == (
        "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\<b\\>"
    )


# --- commands -------------------------------------------------------------------------------


def test_review_report_writes_the_stored_record(review, alice, carol, tmp_path, fake_pdf):
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    for fmt in ("pdf", "json", "md"):
        out = tmp_path / f"r.{fmt}"
        call_command("review_report", str(review.pk), "--format", fmt, "-o", str(out), verbosity=0)
        data = out.read_bytes()
        if fmt == "pdf":
            assert data == bytes(record.pdf)
        elif fmt == "json":
            assert data.decode() == record.canonical_json
        else:
            assert data.decode().startswith('---\nstatus: "approved"')
    stdout = io.StringIO()
    call_command("review_report", str(review.pk), "--format", "json", stdout=stdout)
    assert stdout.getvalue() == record.canonical_json


@pytest.mark.parametrize(
    "args, message",
    [
        (["999999"], "no review with id 999999"),
        (["abc"], "review id must be a number"),
        (["1", "--format", "xml"], "unknown format 'xml'; allowed: pdf, md, json"),
    ],
)
def test_review_report_refuses_bad_input_with_exit_code_2(review, args, message):
    with pytest.raises(CommandError) as info:
        call_command("review_report", *args)
    assert info.value.returncode == 2
    assert message in str(info.value) and "\n" not in str(info.value)


def test_seed_demo_creates_every_state_and_a_signed_record(catalog, fake_pdf):
    def seed():
        out = io.StringIO()
        call_command("seed_demo", "--force", stdout=out)
        return out.getvalue().strip().splitlines()

    lines = seed()
    result = json.loads(lines[-1])
    assert set(result["reviews"]) == {"draft", "in_review", "approved", "superseded"}
    statuses = dict(Review.objects.values_list("pk", "status"))
    for status, pk in result["reviews"].items():
        assert statuses[pk] == status
    record = DecisionRecord.objects.get(review_id=result["reviews"]["approved"])
    assert record.sha256 in lines[-2] and lines[-2].startswith("Approved record:")
    approved_review = Review.objects.get(pk=result["reviews"]["approved"])
    assert approved_review.revision_of_id == result["reviews"]["superseded"]
    pending = Signature.objects.filter(review_id=result["reviews"]["in_review"])
    assert sorted(pending.values_list("state", flat=True)) == ["pending", "signed"]
    again = seed()
    assert json.loads(again[-1]) == result  # idempotent
    assert DecisionRecord.objects.count() == 2


def test_a_japanese_review_gets_a_japanese_record(review, alice, carol, fake_pdf):
    assert review.language == "ja"
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    text = records.record_markdown(
        json.loads(record.canonical_json), sha256=record.sha256, verify_url="https://h/verify/"
    )
    assert "## 背景と課題" in text and "## 決定内容" in text
    assert "組織間のアクセス権を有効にする" in text
    assert "Context and Problem Statement" not in text
