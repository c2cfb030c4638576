"""What an uploaded PDF or a hash is (reviews/records/verify.py, reviews/signing/check.py).

The record PDFs are the fast stand-in renderer's, signed for real by the test CA."""

import hashlib
import json

import pytest

from reviews.models import DecisionRecord, Signature, SignoffRequest
from reviews.records.verify import verify_digest, verify_upload
from reviews.signing.check import check_pdf
from tests.reviews.lifecycle_helpers import approved, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_pdf")]


@pytest.fixture
def record(review, alice, carol, dave):
    approved(review, alice, [carol, dave])
    return DecisionRecord.objects.get(review=review)


def test_the_record_proves_itself(record):
    check = check_pdf(bytes(record.pdf))
    assert check.genuine and check.closed
    assert [s.kind for s in check.signatures] == ["signature", "signature", "timestamp"]
    assert [s.signer for s in check.approvals] == ["Carol Chiba", "Dave Doi"]
    assert all(s.ok and s.status == "valid" for s in check.signatures)
    assert check.record_json.decode() == record.canonical_json
    assert check.record_sha256 == check.claimed_sha256 == record.sha256


def test_an_approved_upload_is_genuine_and_says_so(record, alice):
    result = verify_upload(bytes(record.pdf), alice)
    assert result.verdict == "genuine" and result.genuine and result.matches_stored
    assert result.state.state == "approved" and result.state.visible
    assert result.state.title == record.review.title
    assert result.digest == hashlib.sha256(bytes(record.pdf)).hexdigest()


def test_outsiders_get_the_state_but_not_the_title(record, charlie):
    result = verify_upload(bytes(record.pdf), charlie)
    assert result.verdict == "genuine" and not result.state.visible and result.state.title == ""
    assert result.file_title == record.review.title  # the file says it, not the database


@pytest.mark.parametrize("where", [0.05, 0.25, 0.5, 0.75, 0.999])
def test_any_flipped_byte_breaks_it(record, alice, where):
    data = bytearray(record.pdf)
    data[int(len(data) * where)] ^= 0x20
    assert not check_pdf(bytes(data)).genuine
    assert verify_upload(bytes(data), alice).verdict in ("altered", "unreadable")


def test_a_changed_record_inside_is_not_genuine(record):
    """The stored JSON swapped for another (the hash printed no longer matches)."""
    data = bytes(record.pdf)
    check = check_pdf(data)
    assert check.record_matches
    tampered = check.__class__(**{**check.__dict__, "record_json": b'{"forged":true}'})
    assert not tampered.genuine


def test_a_copy_from_before_the_last_signature_is_incomplete(review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    partly = bytes(SignoffRequest.objects.get(review=review).pdf)
    check = check_pdf(partly)
    assert check.genuine and not check.closed and len(check.approvals) == 1
    assert verify_upload(partly, alice).verdict == "incomplete"
    assert verify_upload(partly, alice).state.state == "in_review"
    sign(review, dave)
    assert verify_upload(partly, alice).verdict == "incomplete"  # the approved one has both


def test_a_hash_is_the_records_or_the_pdfs(record, alice):
    assert verify_digest(record.sha256, alice).verdict == "genuine"
    assert verify_digest(record.pdf_sha256, alice).verdict == "genuine"
    unknown = verify_digest("0" * 64, alice)
    assert unknown.verdict == "unknown" and unknown.state is None


def test_a_file_that_is_no_pdf_is_unreadable(alice):
    assert verify_upload(b"not a pdf", alice).verdict == "unreadable"


def test_the_stored_json_is_the_embedded_one(record):
    assert json.loads(check_pdf(bytes(record.pdf)).record_json)["review"]["id"] == (
        record.review.pk
    )


def test_a_record_from_before_signed_records_is_still_known(record, alice):
    """Stored before sign-off requests existed (no request, no signature): matched by hash.
    Such rows are made here the only way frozen rows change, in raw SQL."""
    from django.db import connection

    tables = {
        "record": DecisionRecord._meta.db_table,
        "signature": Signature._meta.db_table,
        "request": SignoffRequest._meta.db_table,
    }
    with connection.cursor() as cursor:
        for statement in (
            "UPDATE {record} SET request_id = NULL WHERE review_id = %s",
            "UPDATE {signature} SET request_id = NULL WHERE review_id = %s",
            "DELETE FROM {request} WHERE review_id = %s",
        ):
            cursor.execute(statement.format(**tables), [record.review_id])
    result = verify_digest(record.sha256, alice)
    assert result.verdict == "legacy" and result.state.state == "approved"
    assert verify_digest(record.pdf_sha256, alice).verdict == "legacy"
