"""Pages of the decision record (reviews/views_record.py): decision and risks, sign-off, send
back, revise, exports and the verify page. The PDF renderer is faked (test_records.py renders
real ones); the fake carries the record hash in its metadata like the real one does."""

import hashlib
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from patterns.services import compiled_catalog
from reviews.views import records as record_views
from reviews.models import Decision, DecisionRecord, Review, ReviewEvent, Risk, Signature
from reviews.services import decisions, signoff
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory
from tests.reviews.lifecycle_helpers import PASSWORD, answer, approved, decide, ready, sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HX = {"HTTP_HX_REQUEST": "true"}


def fake_pdf(review, *, draft, content=None, sha256=None, verify_url=""):
    claim = f"hakari-record-sha256:{sha256}" if sha256 else "hakari-draft-preview"
    watermark = b" DRAFT" if draft else b""
    return b"%PDF-1.7\n/Subject (" + claim.encode() + b")" + watermark + b"\n%%EOF"


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    monkeypatch.setattr(record_views, "record_pdf", fake_pdf)


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


# --- the decision page ------------------------------------------------------------------------


def test_the_reviewer_gets_the_form_prefilled_with_the_recommendation(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.get(url("decision", review))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'value="inter_org_access"[^>]*checked', html)
    assert "ルックアップ" in html  # consequences pre-filled from the catalog's merits
    assert 'name="prefill"' in html


def test_saving_the_decision(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.post(
        url("decision", review),
        {"pattern": "inter_org_access", "confirmation": "Audit after 3 months"},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(review=review)
    assert decision.confirmation == "Audit after 3 months" and decision.consequences_good


def test_a_choice_against_the_recommendation_needs_a_justification(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.post(url("decision", review), {"pattern": "separate_domain"})
    assert response.status_code == 400
    assert "excluded" in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(
        url("decision", review),
        {"pattern": "separate_domain", "justification": "Two companies will merge next year."},
    )
    assert response.status_code == 302
    assert Decision.objects.get().pattern == "separate_domain"


def test_prefill_replaces_the_consequences_without_saving(client, review, alice):
    answer(review, alice)
    client.force_login(alice)
    response = client.post(
        url("decision", review),
        {"pattern": "separate_domain", "consequences_good": "mine", "prefill": "1"},
    )
    assert response.status_code == 200
    assert "mine" not in response.content.decode() and not Decision.objects.exists()


def test_others_read_the_decision_but_get_no_form(client, review, alice, bob):
    answer(review, alice)
    decide(review, alice, confirmation="Check <b>twice</b>")
    client.force_login(bob)
    response = client.get(url("decision", review))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="pattern"' not in html
    assert "Check &lt;b&gt;twice&lt;/b&gt;" in html
    assert client.post(url("decision", review), {"pattern": "guest_space"}).status_code == 403


def test_the_decision_page_refuses_other_methods(client, review, alice):
    client.force_login(alice)
    assert client.put(url("decision", review)).status_code == 405
    assert client.get(url("risk_add", review)).status_code == 405


# --- risks ------------------------------------------------------------------------------------


def test_risks_are_added_and_removed(client, review, alice, bob):
    client.force_login(alice)
    response = client.post(
        url("risk_add", review),
        {
            "description": "Misconfiguration",
            "owner_user": bob.pk,
            "mitigation": "Four eyes",
            "review_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert risk.owner_user == bob and str(risk.review_on) == "2027-03-31"
    assert "Misconfiguration" in client.get(url("decision", review)).content.decode()
    assert client.post(url("risk_remove", review, risk.pk)).status_code == 302
    assert not Risk.objects.exists()


def test_a_risk_needs_an_owner(client, review, alice):
    client.force_login(alice)
    response = client.post(url("risk_add", review), {"description": "Nobody owns this"})
    assert response.status_code == 400 and not Risk.objects.exists()


def test_only_reviewers_change_risks(client, review, alice, bob):
    risk = decisions.risk_add(review=review, user=alice, description="x", owner_name="IT")
    client.force_login(bob)
    assert client.post(url("risk_add", review), {"description": "y"}).status_code == 403
    assert client.post(url("risk_remove", review, risk.pk)).status_code == 403
    assert Risk.objects.count() == 1


# --- requesting sign-off ------------------------------------------------------------------------


def test_the_reviewer_requests_sign_off_from_the_teams_approvers(
    client, review, alice, carol, dave, charlie, mailoutbox, django_capture_on_commit_callbacks
):
    answer(review, alice)
    decide(review, alice)
    client.force_login(alice)
    html = client.get(url("signoff", review)).content.decode()
    assert "Carol Chiba" in html and "Dave Doi" in html and "charlie" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("signoff", review), {"approvers": [carol.pk, dave.pk]})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW
    assert len(mailoutbox) == 2
    assert "http://testserver" + url("sign", review) in mailoutbox[0].body


def test_sign_off_needs_an_approver_of_the_team(client, review, alice, charlie):
    answer(review, alice)
    decide(review, alice)
    client.force_login(alice)
    assert client.post(url("signoff", review), {"approvers": []}).status_code == 400
    assert client.post(url("signoff", review), {"approvers": [charlie.pk]}).status_code == 400
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


def test_sign_off_without_a_decision_says_so(client, review, alice, carol):
    client.force_login(alice)
    assert "Write the decision" in client.get(url("signoff", review)).content.decode()
    assert client.post(url("signoff", review), {"approvers": [carol.pk]}).status_code == 400


@pytest.mark.parametrize("who", ["bob", "carol", "staff"])
def test_only_reviewers_request_sign_off(request, client, review, alice, carol, who):
    answer(review, alice)
    decide(review, alice)
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("signoff", review)).status_code == 403
    assert client.post(url("signoff", review), {"approvers": [carol.pk]}).status_code == 403


# --- signing and sending back -----------------------------------------------------------------


def test_a_named_approver_signs_with_a_comment_and_the_password(client, review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    client.force_login(carol)
    page = client.get(url("sign", review))
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post(url("sign", review), {"comment": "Fine", "password": "wrong"})
    assert response.status_code == 400 and "not your password" in response.content.decode()
    assert Signature.objects.get(approver=carol).state == "pending"
    response = client.post(url("sign", review), {"comment": "Fine", "password": PASSWORD})
    assert response.status_code == 302
    assert Signature.objects.get(approver=carol).state == "signed"
    assert client.get(url("sign", review)).status_code == 403  # signed already

    client.force_login(dave)
    response = client.post(
        url("sign", review), {"comment": "Approved", "password": PASSWORD}, follow=True
    )
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    html = response.content.decode()
    record = DecisionRecord.objects.get(review=review)
    assert record.sha256 in html and 'data-action="sign"' in html


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "staff"])
def test_only_named_approvers_see_the_sign_page(request, client, review, alice, carol, who):
    ready(review, alice, [carol])
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("sign", review)).status_code == 403
    assert (
        client.post(url("sign", review), {"comment": "x", "password": PASSWORD}).status_code == 403
    )
    assert client.post(url("send_back", review), {"reason": "x"}).status_code == 403


def test_signing_a_draft_redirects_with_a_message(client, review, alice, carol):
    client.force_login(carol)
    response = client.get(url("sign", review), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", review)


def test_a_failed_render_shows_the_error_and_signing_can_be_retried(
    client, review, alice, carol, monkeypatch
):
    ready(review, alice, [carol])
    from reviews.records import RecordRenderError

    def broken(review, **kwargs):
        raise RecordRenderError("boom")

    monkeypatch.setattr(signoff, "record_pdf", broken)
    client.force_login(carol)
    response = client.post(url("sign", review), {"comment": "OK", "password": PASSWORD})
    assert response.status_code == 503
    assert "could not be rendered" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW and not DecisionRecord.objects.exists()
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    response = client.post(url("sign", review), {"comment": "OK", "password": PASSWORD})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED


def test_sending_back_needs_a_reason(client, review, alice, carol):
    ready(review, alice, [carol])
    client.force_login(carol)
    assert client.post(url("send_back", review), {"reason": ""}).status_code == 400
    assert client.get(url("send_back", review)).status_code == 405
    response = client.post(url("send_back", review), {"reason": "Add the costs"}, **HX)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and not Signature.objects.exists()


# --- revising ----------------------------------------------------------------------------------


def test_the_reviewer_revises_an_approved_review(client, review, alice, bob, carol):
    approved(review, alice, [carol])
    client.force_login(bob)
    assert client.post(url("revise", review)).status_code == 403
    client.force_login(alice)
    assert client.get(url("revise", review)).status_code == 405
    response = client.post(url("revise", review))
    new = Review.objects.get(revision_of=review)
    assert response["Location"] == url("detail", new)
    html = client.get(url("detail", new)).content.decode()
    assert f"Revision of #{review.pk}" in html or f"#{review.pk}" in html


# --- the review page ----------------------------------------------------------------------------


def test_the_review_page_shows_the_record_and_the_audit_trail(client, review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    sign(review, carol, "Looks <em>right</em>")
    client.force_login(dave)
    html = client.get(url("detail", review)).content.decode()
    assert 'id="audit-trail"' in html and 'data-action="request_signoff"' in html
    assert 'data-signer="carol" data-state="signed"' in html
    assert "Looks &lt;em&gt;right&lt;/em&gt;" in html
    assert url("sign", review) in html  # dave may sign
    assert url("record", review, "pdf") in html


# --- exports ----------------------------------------------------------------------------------


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


# --- verify -----------------------------------------------------------------------------------


@pytest.fixture
def record(review, alice, carol):
    approved(review, alice, [carol])
    return DecisionRecord.objects.get(review=review)


def verify(client, **data):
    return client.post(reverse("reviews:verify"), data)


def result_of(response):
    match = re.search(r'data-result="(\w+)"', response.content.decode())
    return match.group(1) if match else None


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


def test_the_pages_keep_to_the_content_security_policy(client, review, alice, carol):
    """No inline style attribute and no inline script: the CSP allows neither."""
    answer(review, alice)
    client.force_login(alice)
    pages = [client.get(url("decision", review))]
    decide(review, alice)
    pages.append(client.get(url("signoff", review)))
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol])
    client.force_login(carol)
    pages += [
        client.get(url("sign", review)),
        client.get(url("detail", review)),
        client.get(reverse("home")),
        client.get(reverse("reviews:verify")),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert " style=" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


# --- queries: the pages do not grow with the record ---------------------------------------


def test_the_review_page_queries_do_not_grow_with_the_trail(
    client, review, alice, carol, dave, django_assert_num_queries
):
    compiled_catalog(review.catalog)  # compiled once per process per published version
    ready(review, alice, [carol, dave])
    client.force_login(alice)
    # 1 session, 2 user, 3 review (+team, owner, catalog, viewer's role), 4 answers,
    # 5-7 steps/questions/choices; the record panel: 8 signatures (+approver), 9 decision,
    # 10 risks (+owner), 11 audit trail (+actor), 12 the stored record (no PDF bytes)
    with django_assert_num_queries(12):
        client.get(url("detail", review))
    for n in range(3):
        signoff.review_send_back(review=review, user=carol, reason=f"round {n}")
        signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    sign(review, carol)
    with django_assert_num_queries(12):
        client.get(url("detail", review))
    sign(review, dave)
    with django_assert_num_queries(13):  # 13 its revisions, once approved
        client.get(url("detail", review))


def test_the_decision_and_sign_pages_queries_do_not_grow_with_risks(
    client, review, alice, carol, dave, django_assert_num_queries
):
    compiled_catalog(review.catalog)
    answer(review, alice)
    decide(review, alice)
    decisions.risk_add(review=review, user=alice, description="one", owner_user=alice)
    client.force_login(alice)
    # 1 session, 2 user, 3 review (+role), 4 answers, 5 decision, 6 risks (+owner),
    # 7 the team's members for the risk owner field
    with django_assert_num_queries(7):
        client.get(url("decision", review))
    for n in range(3):
        decisions.risk_add(review=review, user=alice, description=f"r{n}", owner_user=alice)
    with django_assert_num_queries(7):
        client.get(url("decision", review))
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    client.force_login(carol)
    # 1 session, 2 user, 3 review (+role), 4 the user's pending signature, 5 answers,
    # 6 decision, 7 risks (+owner), 8 signatures (+approver)
    with django_assert_num_queries(8):
        client.get(url("sign", review))
