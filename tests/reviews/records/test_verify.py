"""Which stored record an uploaded PDF or a hash is (reviews/records/verify.py)."""

import hashlib

import pytest

from reviews.models import DecisionRecord
from reviews.records.verify import Verification, claimed_hash, verify_digest, verify_upload
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import approved

pytestmark = pytest.mark.django_db


def fake_pdf(review, *, draft, content=None, sha256=None, verify_url=""):
    return b"%PDF-1.7\n/Subject (hakari-record-sha256:" + sha256.encode() + b")\n%%EOF"


@pytest.fixture
def record(monkeypatch, review, alice, carol):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    approved(review, alice, [carol])
    return DecisionRecord.objects.get(review=review)


def test_it_knows_the_stored_pdf_byte_for_byte(record):
    data = bytes(record.pdf)
    result = verify_upload(data, DecisionRecord.objects.all())
    assert result == Verification("pdf", hashlib.sha256(data).hexdigest(), record)


def test_a_changed_pdf_that_claims_a_record_is_altered(record):
    data = bytes(record.pdf) + b"\n% one more line"
    result = verify_upload(data, DecisionRecord.objects.all())
    assert result.kind == "altered" and result.record == record
    assert result.digest == hashlib.sha256(data).hexdigest()


def test_any_other_file_matches_nothing(record):
    result = verify_upload(b"not a pdf", DecisionRecord.objects.all())
    assert result == Verification("none", hashlib.sha256(b"not a pdf").hexdigest())


def test_only_the_records_passed_in_are_ever_named(record):
    nothing = DecisionRecord.objects.none()
    assert verify_upload(bytes(record.pdf), nothing).kind == "none"
    assert verify_digest(record.sha256, nothing) == Verification("none", record.sha256)


def test_a_hash_is_the_content_hash_or_the_pdf_hash(record):
    records = DecisionRecord.objects.all()
    assert verify_digest(record.sha256, records) == Verification("content", record.sha256, record)
    assert verify_digest(record.pdf_sha256, records) == Verification(
        "pdf", record.pdf_sha256, record
    )
    assert verify_digest("0" * 64, records) == Verification("none", "0" * 64)


def test_the_claimed_hash_is_read_from_the_metadata():
    digest = "ab" * 32
    assert claimed_hash(b"%PDF /Subject (hakari-record-sha256:" + digest.encode() + b")") == digest
    assert claimed_hash(b"%PDF-1.7 broken") is None
    assert claimed_hash(b"") is None
