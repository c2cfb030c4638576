"""The record's exports and the verify page (reviews/views/records.py). The PDF renderer is
faked (tests/reviews/records/test_pdf.py renders real ones); the fake carries the record hash in
its metadata and the record inside like the real one does, and is signed for real."""

import hashlib
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reviews.models import DecisionRecord, ReviewEvent, SignoffRequest
from reviews.services import revisions, signoff
from reviews.views import records as record_views
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory
from tests.reviews.lifecycle_helpers import answer, approved, decide, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "fast_pdf")]


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


@pytest.fixture
def record(review, alice, carol):
    approved(review, alice, [carol])
    return DecisionRecord.objects.get(review=review)


def verify(client, **data):
    return client.post(reverse("reviews:verify"), data)


def result_of(response):
    match = re.search(r'data-result="(\w+)"', response.content.decode())
    return match.group(1) if match else None


def test_the_approved_pdf_downloads_as_stored(client, review, alice, carol, bob):
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    client.force_login(bob)
    response = client.get(url("record", review, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(record.pdf)
    day = timezone.localtime(record.created_at).strftime("%Y%m%d")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="hakari-acme-{review.pk}-{day}.pdf"'
    )
    assert client.post(url("record", review, "pdf")).status_code == 405


def test_the_stored_pdf_is_never_rendered_again(client, review, alice, carol, monkeypatch):
    approved(review, alice, [carol])

    def never(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(record_views, "record_pdf", never)
    client.force_login(alice)
    assert client.get(url("record", review, "pdf")).status_code == 200


def test_a_draft_downloads_a_preview(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.get(url("record", review, "pdf"))
    assert response.status_code == 200
    assert PdfReader(io.BytesIO(response.content)).metadata["/Subject"] == "hakari-draft-preview"
    assert response["Content-Disposition"].endswith('-draft.pdf"')
    assert not DecisionRecord.objects.exists()


def test_json_and_markdown_exports(client, review, alice, carol):
    approved(review, alice, [carol])
    record = DecisionRecord.objects.get(review=review)
    client.force_login(alice)
    response = client.get(url("record", review, "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content.decode() == record.canonical_json
    assert hashlib.sha256(response.content).hexdigest() == record.sha256
    response = client.get(url("record", review, "md"))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith('---\nstatus: "approved"') and record.sha256 in text
    assert "http://testserver/verify/" in text
    assert client.get(url("record", review, "docx")).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "md", "json"])
def test_exports_of_a_review_you_cannot_see_are_404(client, review, alice, carol, charlie, fmt):
    approved(review, alice, [carol])
    client.force_login(charlie)
    assert client.get(url("record", review, fmt)).status_code == 404
    client.logout()
    assert client.get(url("record", review, fmt)).status_code == 302


def test_in_review_the_pdf_is_the_one_under_sign_off(client, review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    request = SignoffRequest.objects.get(review=review)
    client.force_login(dave)
    assert client.get(url("record", review, "pdf")).content == bytes(request.pdf)
    assert client.get(url("record", review, "json")).content.decode() == request.canonical_json


def upload(data):
    return SimpleUploadedFile("r.pdf", data)


def test_the_verify_page_says_an_uploaded_record_is_genuine(client, record, bob):
    client.force_login(bob)
    assert client.get(reverse("reviews:verify")).status_code == 200
    response = verify(client, file=upload(bytes(record.pdf)))
    assert result_of(response) == "genuine"
    html = response.content.decode()
    assert record.review.title in html and record.sha256 in html
    assert 'data-state="approved"' in html
    assert html.count('data-kind="signature" data-status="valid"') == 1
    assert 'data-kind="timestamp" data-status="valid"' in html


def test_the_verify_page_works_without_login_and_shows_only_the_state(client, record):
    """Anyone holding the file may check it; nothing is shown beyond the file and the state."""
    response = verify(client, file=upload(bytes(record.pdf)))
    assert response.status_code == 200 and result_of(response) == "genuine"
    html = response.content.decode()
    assert 'data-state="approved"' in html
    assert f'href="/reviews/{record.review.pk}/"' not in html  # no link for outsiders
    by_hash = client.get(reverse("reviews:verify"), {"sha256": record.sha256})  # the QR code
    assert result_of(by_hash) == "genuine"
    assert record.review.title not in by_hash.content.decode()  # the hash is not the file


def test_the_verify_page_matches_a_hash(client, record, alice):
    client.force_login(alice)
    assert result_of(verify(client, sha256=record.sha256.upper())) == "genuine"
    assert result_of(verify(client, sha256=record.pdf_sha256)) == "genuine"
    assert result_of(verify(client, sha256="0" * 64)) == "unknown"


@pytest.mark.parametrize("where", [0.3, 0.5, 0.8, 0.99])
def test_one_flipped_byte_is_not_genuine(client, record, where):
    data = bytearray(record.pdf)
    position = int(len(data) * where)
    data[position] ^= 0x01
    response = verify(client, file=upload(bytes(data)))
    assert result_of(response) in ("altered", "unreadable")
    assert 'data-genuine="false"' in response.content.decode()


def test_an_appended_change_is_not_genuine(client, record, alice):
    client.force_login(alice)
    altered = bytes(record.pdf) + b"\n% tampered\n"
    assert result_of(verify(client, file=upload(altered))) == "altered"


def test_a_superseded_record_is_shown_as_superseded(client, record, alice, carol):
    review = record.review
    new = revisions.review_revise(review=review, user=alice)
    decide(new, alice, justification="Changed our mind again")
    signoff.review_request_signoff(review=new, user=alice, approvers=[carol], notify=False)
    sign(new, carol)
    client.force_login(alice)
    response = verify(client, file=upload(bytes(record.pdf)))
    assert result_of(response) == "superseded"
    html = response.content.decode()
    assert f"superseded by #{new.pk}" in html
    assert f'href="/reviews/{new.pk}/"' in html
    assert "alert-success" not in html  # never a bare green


def test_a_withdrawn_request_is_not_in_force(client, review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    partly = bytes(SignoffRequest.objects.get(review=review).pdf)
    client.force_login(alice)
    assert result_of(verify(client, file=upload(partly))) == "incomplete"
    signoff.review_withdraw(review=review, user=alice, reason="Wrong approver", notify=False)
    assert result_of(verify(client, file=upload(partly))) == "withdrawn"


def test_the_verify_page_refuses_bad_input(client, alice, monkeypatch):
    client.force_login(alice)
    assert verify(client).status_code == 400
    assert verify(client, sha256="not-a-hash").status_code == 400
    monkeypatch.setattr("reviews.forms.records.MAX_UPLOAD", 10)
    response = verify(client, file=upload(b"x" * 11))
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert result_of(verify(client, file=upload(b"not a pdf"))) == "unreadable"
    client.logout()
    assert client.get(reverse("reviews:verify")).status_code == 200  # no login needed


def test_staff_verify_any_record(client, record, staff):
    client.force_login(staff)
    response = verify(client, sha256=record.sha256)
    assert result_of(response) == "genuine" and record.review.title in response.content.decode()


def test_another_teams_record_is_checked_but_not_named(client, catalog, alice):
    other_team = TeamFactory(slug="elsewhere")
    owner = UserFactory(username="erin")
    MembershipFactory(team=other_team, user=owner, role="reviewer")
    signer = UserFactory(username="frank")
    MembershipFactory(team=other_team, user=signer, role="approver")
    hidden = ReviewFactory(team=other_team, owner=owner, catalog=catalog, title="Secret plan")
    approved(hidden, owner, [signer])
    record = DecisionRecord.objects.get(review=hidden)
    client.force_login(alice)
    response = verify(client, sha256=record.sha256)
    assert result_of(response) == "genuine" and "Secret plan" not in response.content.decode()
    assert json.loads(record.canonical_json)["review"]["id"] == hidden.pk
    assert ReviewEvent.objects.filter(review=hidden).count() == 2


def test_the_ca_certificate_downloads_without_login(client):
    response = client.get(reverse("reviews:verify_ca"))
    assert response.status_code == 200 and response.content.startswith(b"-----BEGIN CERTIFICATE")
