"""The canonical JSON of a record and its hash (reviews/records/canonical.py)."""

import hashlib

import pytest

from reviews import lifecycle, records
from reviews.models import DecisionRecord
from tests.reviews.records import scenarios

pytestmark = pytest.mark.django_db


def test_it_keeps_the_pinned_bytes_of_an_approved_record(
    monkeypatch, catalog, team, alice, carol, dave
):
    monkeypatch.setattr(lifecycle, "record_pdf", lambda review, **kw: b"%PDF-1.7 fake")
    review = scenarios.approved_review(
        monkeypatch, catalog=catalog, team=team, alice=alice, carol=carol, dave=dave
    )
    golden = (scenarios.GOLDEN / "approved.json").read_bytes()
    record = DecisionRecord.objects.get(review=review)
    assert record.canonical_json.encode() == golden
    assert record.sha256 == hashlib.sha256(golden).hexdigest()
    assert records.record_json(records.record_content(review)) == golden


def test_it_keeps_the_pinned_bytes_of_an_empty_draft(monkeypatch, catalog, team, alice):
    review = scenarios.draft_review(monkeypatch, catalog=catalog, team=team, alice=alice)
    golden = (scenarios.GOLDEN / "draft.json").read_bytes()
    assert records.record_json(records.record_content(review)) == golden
