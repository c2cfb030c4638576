"""The record in Markdown, MADR style (reviews/records/markdown.py, templates/reviews/record.md)
and the escaping filters it uses (reviews/templatetags/record_tags.py)."""

import hashlib
import json
import re

import pytest

from reviews.models import DecisionRecord
from reviews.records.content import RecordContent
from reviews.records.markdown import record_markdown
from reviews.records.sections import signoff_rows
from reviews.services.answers import review_answer_save
from reviews.templatetags.record_tags import md_inline, md_text, yaml
from tests.reviews.lifecycle_helpers import approved
from tests.reviews.records import scenarios
from tests.reviews.records.helpers import EVIL_NOTE, XSS_TITLE

pytestmark = pytest.mark.usefixtures("english")

SHA256 = hashlib.sha256((scenarios.GOLDEN / "approved.json").read_bytes()).hexdigest()


def stored(record):
    return RecordContent.from_json(json.loads(record.canonical_json))


@pytest.mark.django_db
def test_the_markdown_is_madr(review, alice, carol, dave, fake_pdf):
    review.title = XSS_TITLE
    review.language = "en"  # MADR's own headings; a Japanese review gets them in Japanese
    review.save()
    review_answer_save(
        review=review, user=alice, question="confidentiality", choice="high", note=EVIL_NOTE
    )
    approved(review, alice, [carol, dave])
    record = DecisionRecord.objects.get(review=review)
    review.refresh_from_db()
    text = record_markdown(
        stored(record),
        sha256=record.sha256,
        verify_url="https://h/verify/",
        status=review.status,
        signoffs=signoff_rows(review),
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
    assert md_inline("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert md_text("1. not a list\n---") == "1\\. not a list\n\\---"
    assert md_inline("**bold** _it_ `code` <b>") == ("\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\<b\\>")


def test_front_matter_values_are_quoted_yaml_scalars():
    assert yaml('a: "b"\n- c') == '"a: \\"b\\"\\n- c"'
    assert yaml("取引先") == '"取引先"'
    # no markup character passes raw, and no line break of any kind
    assert yaml('<img src=x onerror="alert(1)"> & co') == (
        '"\\u003cimg src=x onerror=\\"alert(1)\\"\\u003e \\u0026 co"'
    )
    assert yaml("a\u2028b\u2029c\r\nd") == '"a\\u2028b\\u2029c\\r\\nd"'
    assert json.loads(yaml("<b>\n</b>")) == "<b>\n</b>"  # still the same string, as JSON


@pytest.mark.django_db
def test_a_japanese_review_gets_a_japanese_record(review, alice, carol, fake_pdf):
    assert review.language == "ja"
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    review.refresh_from_db()
    text = record_markdown(
        stored(record),
        sha256=record.sha256,
        verify_url="https://h/verify/",
        status=review.status,
        signoffs=signoff_rows(review),
    )
    assert "## 背景と課題" in text and "## 決定内容" in text
    assert "組織間のアクセス権を有効にする" in text
    assert "Context and Problem Statement" not in text


# --- the Markdown the code before the package split wrote (golden/) ----------------------------


def golden_content(name):
    return json.loads((scenarios.GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name, source, options",
    [
        ("approved", "approved", {"sha256": SHA256, "verify_url": "https://h/verify/"}),
        ("draft", "draft", {}),
        ("narrow", "approved", {}),
    ],
)
def test_it_keeps_the_pinned_markdown(name, source, options):
    content = golden_content(source)
    if name == "narrow":
        content["recommendation"].update(narrow=True, runner_up="external_service")
    expected = (scenarios.GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    assert record_markdown(RecordContent.from_json(content), **options) == expected
