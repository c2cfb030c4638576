"""The canonical JSON of a record and its hash (reviews/records/canonical.py)."""

import hashlib
import json

import pytest

from reviews.models import DecisionRecord
from reviews.records.canonical import record_json, record_sha256, stored_or_live
from reviews.records.content import RecordContent
from reviews.records.sections import record_content
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import approved, fake_pdf, ready
from tests.reviews.records import scenarios

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_same_record_gives_the_same_json_and_hash(review, alice, carol):
    ready(review, alice, [carol])
    first, second = record_content(review), record_content(review)
    assert first == second
    assert record_json(first) == record_json(second)
    assert record_sha256(first) == hashlib.sha256(record_json(first)).hexdigest()


def test_the_canonical_json_is_sorted_compact_utf8(review, alice, carol):
    ready(review, alice, [carol])
    data = record_json(record_content(review))
    text = data.decode("utf-8")
    assert "組織間のアクセス権を有効にする" in text  # ensure_ascii=False: real characters

    parsed = json.loads(text)
    assert text == json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_the_stored_record_is_the_hash_of_its_content(review, alice, carol, dave, fake_pdf):
    approved(review, alice, [carol, dave])
    record = DecisionRecord.objects.get(review=review)
    assert hashlib.sha256(record.canonical_json.encode()).hexdigest() == record.sha256
    assert hashlib.sha256(bytes(record.pdf)).hexdigest() == record.pdf_sha256
    # it is the content frozen when sign-off was requested: what both approvers signed
    request = record.request
    assert request.canonical_json == record.canonical_json and request.sha256 == record.sha256
    assert json.loads(record.canonical_json)["review"]["status"] == "in_review"


# --- pinned bytes (golden/) ---------------------------------------------------------------------
# approved.json / draft.json: what the engine before catalog format 2 wrote (scores as sums).
# A record stored then must load and serialize to the very same bytes: it is never recomputed.
# *.live.json: what today's engine writes for the same review (its live content).


@pytest.mark.parametrize("name", ["approved", "draft"])
def test_a_record_stored_by_the_old_engine_keeps_its_bytes(name):
    golden = (scenarios.GOLDEN / f"{name}.json").read_bytes()
    assert record_json(RecordContent.from_json(json.loads(golden))) == golden


def test_it_keeps_the_pinned_bytes_of_an_approved_record(
    monkeypatch, catalog, team, alice, carol, dave
):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    review = scenarios.approved_review(
        monkeypatch, catalog=catalog, team=team, alice=alice, carol=carol, dave=dave
    )
    golden = (scenarios.GOLDEN / "approved.live.json").read_bytes()
    record = DecisionRecord.objects.get(review=review)
    assert record.canonical_json.encode() == golden
    assert record.sha256 == hashlib.sha256(golden).hexdigest()


def test_it_keeps_the_pinned_bytes_of_an_empty_draft(monkeypatch, catalog, team, alice):
    review = scenarios.draft_review(monkeypatch, catalog=catalog, team=team, alice=alice)
    golden = (scenarios.GOLDEN / "draft.live.json").read_bytes()
    assert record_json(record_content(review)) == golden


# --- which content an export shows --------------------------------------------------------------


def test_an_approved_review_exports_its_stored_content(review, alice, carol, fake_pdf):
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    content, stored = stored_or_live(review)
    assert stored == record
    assert record_json(content).decode() == record.canonical_json


def test_a_review_without_a_record_exports_its_live_content(review, alice, carol):
    ready(review, alice, [carol])
    content, stored = stored_or_live(review)
    assert stored is None
    assert content == record_content(review)
