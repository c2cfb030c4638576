"""The record's exports and the verify page (reviews/views/records.py). The PDF renderer is
faked (tests/reviews/test_records.py renders real ones); the fake carries the record hash in
its metadata like the real one does."""

import hashlib
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews.models import DecisionRecord, ReviewEvent
from reviews.views import records as record_views
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory
from tests.reviews.lifecycle_helpers import answer, approved

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
    assert response.status_code == 200 and b"DRAFT" in response.content
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


def test_the_verify_page_matches_an_uploaded_pdf(client, record, bob):
    client.force_login(bob)
    assert client.get(reverse("reviews:verify")).status_code == 200
    response = verify(client, file=SimpleUploadedFile("r.pdf", bytes(record.pdf)))
    assert result_of(response) == "pdf"
    html = response.content.decode()
    assert record.review.title in html and record.sha256 in html


def test_the_verify_page_matches_a_hash(client, record, alice):
    client.force_login(alice)
    assert result_of(verify(client, sha256=record.sha256.upper())) == "content"
    assert result_of(verify(client, sha256=record.pdf_sha256)) == "pdf"
    assert result_of(verify(client, sha256="0" * 64)) == "none"


def test_an_altered_pdf_is_named_but_does_not_match(client, record, alice):
    client.force_login(alice)
    altered = bytes(record.pdf).replace(b"%%EOF", b"tampered\n%%EOF")
    response = verify(client, file=SimpleUploadedFile("r.pdf", altered))
    assert result_of(response) == "altered"
    assert record.review.title in response.content.decode()


def test_outsiders_learn_nothing_from_the_verify_page(client, record, charlie):
    client.force_login(charlie)
    for response in (
        verify(client, sha256=record.sha256),
        verify(client, file=SimpleUploadedFile("r.pdf", bytes(record.pdf))),
    ):
        assert result_of(response) == "none"
        assert "No record you can see matches" in response.content.decode()
        assert record.review.title not in response.content.decode()


def test_the_verify_page_refuses_bad_input(client, alice, monkeypatch):
    client.force_login(alice)
    assert verify(client).status_code == 400
    assert verify(client, sha256="not-a-hash").status_code == 400
    monkeypatch.setattr("reviews.forms.records.MAX_UPLOAD", 10)
    response = verify(client, file=SimpleUploadedFile("big.pdf", b"x" * 11))
    assert response.status_code == 400 and "too large" in response.content.decode()
    client.logout()
    assert client.get(reverse("reviews:verify")).status_code == 302  # login required


def test_staff_verify_any_record(client, record, staff):
    client.force_login(staff)
    assert result_of(verify(client, sha256=record.sha256)) == "content"


def test_another_teams_record_stays_hidden(client, catalog, alice):
    other_team = TeamFactory(slug="elsewhere")
    owner = UserFactory(username="erin")
    MembershipFactory(team=other_team, user=owner, role="reviewer")
    signer = UserFactory(username="frank")
    MembershipFactory(team=other_team, user=signer, role="approver")
    hidden = ReviewFactory(team=other_team, owner=owner, catalog=catalog)
    approved(hidden, owner, [signer])
    record = DecisionRecord.objects.get(review=hidden)
    client.force_login(alice)
    assert result_of(verify(client, sha256=record.sha256)) == "none"
    assert json.loads(record.canonical_json)["review"]["id"] == hidden.pk
    assert ReviewEvent.objects.filter(review=hidden).count() == 2
