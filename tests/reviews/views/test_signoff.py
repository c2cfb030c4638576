"""Sign-off (reviews/views/signoff.py): requesting it, signing, sending back."""

import re

import pytest
from django.urls import reverse

from patterns.services import compiled_catalog
from reviews.models import DecisionRecord, Review, Signature, SignoffRequest
from reviews.services import decisions, signoff
from tests.reviews.lifecycle_helpers import PASSWORD, answer, decide, fake_pdf, ready

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "fast_pdf")]


HX = {"HTTP_HX_REQUEST": "true"}


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def sha(review):
    """The hash of the record under sign-off: what the sign form carries."""
    return SignoffRequest.objects.get(review=review, state="pending").sha256


def test_the_reviewer_requests_sign_off_from_the_teams_approvers(
    client, review, alice, carol, dave, charlie, mailoutbox, django_capture_on_commit_callbacks
):
    answer(review, alice)
    decide(review, alice)
    client.force_login(alice)
    html = client.get(url("signoff", review)).content.decode()
    assert "Carol Chiba" in html and "Dave Doi" in html and "charlie" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("signoff", review), {"approver_1": carol.pk, "approver_2": dave.pk}
        )
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


def test_a_named_approver_signs_with_a_comment_and_the_password(client, review, alice, carol, dave):
    ready(review, alice, [carol, dave])
    client.force_login(carol)
    page = client.get(url("sign", review))
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()
    assert 'autocomplete="current-password"' in page.content.decode()
    assert f'name="sha256" value="{sha(review)}"' in page.content.decode()
    form = {"comment": "Fine", "password": "wrong", "sha256": sha(review)}
    response = client.post(url("sign", review), form)
    assert response.status_code == 400 and "not your password" in response.content.decode()
    assert Signature.objects.get(approver=carol).state == "pending"
    response = client.post(url("sign", review), {**form, "password": PASSWORD})
    assert response.status_code == 302
    assert Signature.objects.get(approver=carol).state == "signed"
    assert client.get(url("sign", review)).status_code == 403  # signed already

    client.force_login(dave)
    response = client.post(
        url("sign", review),
        {"comment": "Approved", "password": PASSWORD, "sha256": sha(review)},
        follow=True,
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


def test_a_failed_render_leaves_a_draft_that_can_be_retried(
    client, review, alice, carol, monkeypatch
):
    answer(review, alice)
    decide(review, alice)
    from reviews.records.pdf import RecordRenderError

    def broken(review, **kwargs):
        raise RecordRenderError("boom")

    monkeypatch.setattr(signoff, "record_pdf", broken)
    client.force_login(alice)
    response = client.post(url("signoff", review), {"approver_1": carol.pk})
    assert response.status_code == 503
    assert "could not be rendered" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert not SignoffRequest.objects.filter(state=SignoffRequest.State.PENDING).exists()
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    assert client.post(url("signoff", review), {"approver_1": carol.pk}).status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW


def test_signing_renders_nothing(client, review, alice, carol, monkeypatch):
    """The last signature adds a signature to the PDF made at the request: nothing renders."""
    ready(review, alice, [carol])

    def no_render(*args, **kwargs):
        raise AssertionError("rendered at sign time")

    monkeypatch.setattr(signoff, "record_pdf", no_render)
    client.force_login(carol)
    form = {"comment": "OK", "password": PASSWORD, "sha256": sha(review)}
    assert client.post(url("sign", review), form).status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED


def test_a_sign_form_older_than_the_record_is_refused(client, review, alice, carol):
    """The approver opened the sign page; the reviewer withdrew, changed the decision and
    asked again. The old form's signature is refused, and the page shows the new record."""
    ready(review, alice, [carol])
    client.force_login(carol)
    old = sha(review)
    assert old in client.get(url("sign", review)).content.decode()
    signoff.review_withdraw(review=review, user=alice, reason="One more risk", notify=False)
    decisions.risk_add(review=review, user=alice, description="New risk", owner_name="IT")
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol], notify=False)
    assert sha(review) != old
    response = client.post(
        url("sign", review), {"comment": "Fine", "password": PASSWORD, "sha256": old}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "This record changed since you opened it" in html
    assert f'name="sha256" value="{sha(review)}"' in html and "New risk" in html
    assert Signature.objects.get(approver=carol).state == "pending"
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW


def test_sending_back_needs_a_reason(client, review, alice, carol):
    ready(review, alice, [carol])
    client.force_login(carol)
    assert client.post(url("send_back", review), {"reason": ""}).status_code == 400
    assert client.get(url("send_back", review)).status_code == 405
    response = client.post(url("send_back", review), {"reason": "Add the costs"}, **HX)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and not Signature.objects.exists()


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


def test_the_sign_page_queries_do_not_grow_with_risks(
    client, review, alice, carol, dave, django_assert_num_queries
):
    compiled_catalog(review.catalog)
    answer(review, alice)
    decide(review, alice)
    for n in range(4):
        decisions.risk_add(review=review, user=alice, description=f"r{n}", owner_user=alice)
    signoff.review_request_signoff(review=review, user=alice, approvers=[carol, dave])
    client.force_login(carol)
    # 1 session, 2 user, 3 review (+role), 4 the user's pending signature, 5 the open request
    # (its frozen record: the risks come from it), 6 signatures (+approver)
    with django_assert_num_queries(6):
        client.get(url("sign", review))


def test_the_withdraw_page_takes_it_back_and_says_so(client, review, alice, carol):
    ready(review, alice, [carol])
    client.force_login(alice)
    detail = reverse("reviews:detail", args=[review.pk])
    assert "Withdraw the request" in client.get(detail).content.decode()
    url = reverse("reviews:withdraw", args=[review.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why you withdraw the request." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.IN_REVIEW
    response = client.post(url, {"reason": "Wrong approver named."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    client.force_login(carol)
    assert client.post(url, {"reason": "x"}).status_code == 403


# --- the request form: what will be signed, what is missing, what came back ----------------


def test_the_request_form_says_what_will_be_signed_and_what_is_unanswered(
    client, review, alice, carol
):
    from reviews.services.answers import review_answer_save

    review_answer_save(review=review, user=alice, question="partner_count", choice="many")
    decide(review, alice)
    client.force_login(alice)
    html = client.get(url("signoff", review)).content.decode()
    assert 'id="will-sign"' in html
    assert "組織間のアクセス権を有効にする" in html  # the decision to be signed (ja record)
    assert 'id="unanswered"' in html and "13 of 14 questions are not answered" in html
    assert 'data-question="confidentiality"' in html
    assert 'name="approver_1"' in html


def test_after_a_send_back_the_form_shows_why_and_what_changed(client, review, alice, carol, dave):
    ready(review, alice, [dave, carol])
    signoff.review_send_back(review=review, user=carol, reason="Say who owns the cost.")
    client.force_login(alice)
    detail = client.get(url("detail", review)).content.decode()
    assert 'id="returned-request"' in detail and "Say who owns the cost." in detail
    html = client.get(url("signoff", review)).content.decode()
    assert "Say who owns the cost." in html and 'id="changes-since-none"' in html
    # the approvers are kept from the last request, in its order
    assert re.search(rf'name="approver_1"[^>]*>.*?<option value="{dave.pk}" selected', html, re.S)
    assert re.search(rf'name="approver_2"[^>]*>.*?<option value="{carol.pk}" selected', html, re.S)
    decisions.risk_add(review=review, user=alice, description="Cost overrun", owner_name="Finance")
    html = client.get(url("signoff", review)).content.decode()
    assert 'id="changes-since"' in html and "Risk added" in html and "Cost overrun" in html


def test_the_review_page_shows_the_approval_boxes_with_the_stamps(
    client, review, alice, carol, dave
):
    ready(review, alice, [carol, dave])
    signoff.review_sign(review=review, user=carol, password=PASSWORD, comment="Fine by me")
    client.force_login(alice)
    html = client.get(url("detail", review)).content.decode()
    boxes = re.findall(r'data-box="(\w+)"', html)
    assert boxes == ["dave", "carol", "alice"]  # most senior left, 担当 at the right
    assert 'data-stamp="carol"' in html and 'data-stamp="dave"' not in html


def test_without_signing_keys_nothing_is_requested(
    client, review, alice, carol, settings, tmp_path
):
    """Production before `pki init`: the request is refused whole, and says why."""
    from reviews.signing import pki

    answer(review, alice)
    decide(review, alice)
    settings.HAKARI_PKI_DIR = str(tmp_path / "none")
    settings.HAKARI_PKI_AUTO_INIT = False
    pki._cache.clear()
    client.force_login(alice)
    response = client.post(url("signoff", review), {"approver_1": carol.pk})
    pki._cache.clear()
    assert response.status_code == 503 and "pki init" in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert not SignoffRequest.objects.filter(state=SignoffRequest.State.PENDING).exists()


def test_a_revision_starts_from_the_approvers_of_the_version_it_revises(
    client, review, alice, carol, dave
):
    from reviews.services import revisions

    ready(review, alice, [dave, carol])
    signoff.review_sign(review=review, user=dave, password=PASSWORD, comment="OK")
    signoff.review_sign(review=review, user=carol, password=PASSWORD, comment="OK")
    new = revisions.review_revise(review=review, user=alice)
    client.force_login(alice)
    html = client.get(url("signoff", new)).content.decode()
    assert re.search(rf'name="approver_1"[^>]*>.*?<option value="{dave.pk}" selected', html, re.S)
    assert re.search(rf'name="approver_2"[^>]*>.*?<option value="{carol.pk}" selected', html, re.S)
