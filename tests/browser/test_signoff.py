"""The reviewer asks two approvers to sign, in order; each signs in their own browser and sees
their stamp appear in their box of the 承認欄; a sign form older than the record is refused;
the review is approved, its signed PDF downloads, and the verify page (without login too) says
the download is the genuine record."""

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from patterns.kinds.kintone.scenarios import S2
from patterns.services import catalog_import
from reviews.models import DecisionRecord, Review, SignoffRequest
from reviews.services import signoff
from reviews.services.answers import review_answers_save
from tests.catalog_data import kintone_catalog
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory

User = get_user_model()

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup_review(transactional_db):
    catalog, _ = catalog_import(kintone_catalog())
    team = TeamFactory(name="Acme IT", slug="acme")
    reviewer = UserFactory(username="rina", first_name="Rina", last_name="Ono")
    MembershipFactory(team=team, user=reviewer, role="reviewer")
    for username, first in (("kaito", "Kaito"), ("yui", "Yui")):
        user = UserFactory(username=username, first_name=first, last_name="Approver")
        MembershipFactory(team=team, user=user, role="approver")
    review = ReviewFactory(team=team, owner=reviewer, catalog=catalog, title="協力会社ポータル")
    review_answers_save(review=review, user=reviewer, answers={q: (c, None) for q, c in S2.items()})
    return review


def sign_in_own_browser(browser, browser_context_args, login, live_server, axe, username, review):
    context = browser.new_context(**browser_context_args)
    try:
        page = context.new_page()
        login(page, username)
        waiting = page.locator(f"#awaiting-signature li[data-review='{review.pk}'] a")
        assert waiting.count() == 1  # the dashboard says what waits for this approver
        assert axe(page) == []
        with page.expect_navigation():
            waiting.click()
        assert page.url.endswith(f"/reviews/{review.pk}/sign/")
        assert axe(page) == []
        record = SignoffRequest.objects.get(review=review, state="pending")
        assert page.locator("#sign-sha256").inner_text() == record.sha256
        assert page.locator("input[name=sha256]").input_value() == record.sha256
        page.fill("#id_comment", f"{username} has read it and agrees.")
        page.fill("#id_password", "pw-for-tests")
        with page.expect_navigation(timeout=60_000):
            page.click("input[name=sign]")
        assert f"/reviews/{review.pk}/" in page.url
        assert page.locator(f"#signoffs li[data-signer='{username}']").get_attribute(
            "data-state"
        ) == ("signed")
        stamp = page.locator(f"#approval-boxes [data-box='{username}'] [data-stamp='{username}']")
        assert stamp.is_visible()  # their stamp, in their box
        assert stamp.locator("time").count() == 1  # when they signed
    finally:
        context.close()


def test_the_sign_form_shows_signing_while_it_signs(
    browser, browser_context_args, live_server, login, setup_review
):
    review = setup_review
    from reviews.services import decisions
    from tests.factories import UserFactory

    rina = UserFactory(username="rina")
    kaito = UserFactory(username="kaito")
    decisions.decision_save(review=review, user=rina, pattern="inter_org_access")
    signoff.review_request_signoff(review=review, user=rina, approvers=[kaito], notify=False)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    login(page, "kaito")
    page.goto(f"{live_server.url}/reviews/{review.pk}/sign/")
    assert not page.locator("#signing-state").is_visible()
    # stop the submission after the page's own handler ran, to see the state it shows
    page.evaluate(
        "document.querySelector('form[data-signing]')"
        ".addEventListener('submit', e => e.preventDefault())"
    )
    page.fill("#id_comment", "OK")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[name=sign]")
    assert page.locator("#signing-state").is_visible()
    assert page.locator("form[data-signing]").get_attribute("aria-busy") == "true"
    page.wait_for_function("document.querySelector('input[name=sign]').disabled")
    context.close()


def test_a_sign_form_older_than_the_record_is_refused(
    browser, browser_context_args, live_server, login, setup_review
):
    review = setup_review
    from reviews.services import decisions
    from tests.factories import UserFactory

    rina = UserFactory(username="rina")
    kaito = UserFactory(username="kaito")
    decisions.decision_save(review=review, user=rina, pattern="inter_org_access")
    signoff.review_request_signoff(review=review, user=rina, approvers=[kaito], notify=False)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    login(page, "kaito")
    page.goto(f"{live_server.url}/reviews/{review.pk}/sign/")
    old = page.locator("input[name=sha256]").input_value()
    # meanwhile the reviewer withdraws, changes the decision and asks again
    signoff.review_withdraw(review=review, user=rina, reason="Justify it", notify=False)
    decisions.decision_save(
        review=review,
        user=rina,
        pattern="inter_org_access",
        justification="Now with a reason that was not there before.",
    )
    signoff.review_request_signoff(review=review, user=rina, approvers=[kaito], notify=False)
    page.fill("#id_comment", "OK")
    page.fill("#id_password", "pw-for-tests")
    with page.expect_navigation():
        page.click("input[name=sign]")
    assert page.locator("#stale-record").is_visible()
    new = SignoffRequest.objects.get(review=review, state="pending").sha256
    assert new != old and page.locator("input[name=sha256]").input_value() == new
    assert "Now with a reason" in page.locator("#signed-record").inner_text()
    assert Review.objects.get(pk=review.pk).status == Review.Status.IN_REVIEW
    context.close()


def test_two_approvers_sign_and_the_downloaded_pdf_verifies(
    browser, browser_context_args, live_server, login, axe, setup_review, tmp_path
):
    review = setup_review
    base = live_server.url

    # the reviewer writes the decision (pre-filled with the recommendation) and asks both
    reviewer = browser.new_context(**browser_context_args)
    page = reviewer.new_page()
    login(page, "rina")
    page.goto(f"{base}/reviews/{review.pk}/decision/")
    assert page.locator("input[name=pattern][value=inter_org_access]").is_checked()
    assert axe(page) == []
    with page.expect_navigation():
        page.click(f"form[action='/reviews/{review.pk}/decision/'] input[name=submit]")
    page.goto(f"{base}/reviews/{review.pk}/sign-off/")
    assert axe(page) == []
    kaito, yui = (User.objects.get(username=name) for name in ("kaito", "yui"))
    page.select_option("#id_approver_1", str(kaito.pk))  # signs first, next to 担当
    page.select_option("#id_approver_2", str(yui.pk))  # the most senior, leftmost
    with page.expect_navigation(timeout=60_000):  # the request renders the PDF/A once
        page.click("input[name=submit]")
    assert page.locator(".status-badge.status-in_review").count() == 1
    assert page.locator("#signoffs li[data-state=pending]").count() == 2
    boxes = page.locator("#approval-boxes [data-box]")
    assert [boxes.nth(i).get_attribute("data-box") for i in range(3)] == ["yui", "kaito", "rina"]

    # each approver signs in a browser of their own
    for username in ("kaito", "yui"):
        sign_in_own_browser(
            browser, browser_context_args, login, live_server, axe, username, review
        )

    # the reviewer sees it approved, downloads the PDF and verifies it
    page.goto(f"{base}/reviews/{review.pk}/")
    assert page.locator(".status-badge.status-approved").count() == 1
    assert page.locator("#audit-trail tr[data-action=sign]").count() == 2
    assert axe(page) == []
    shown_hash = page.locator("#record-sha256").inner_text().strip()
    record = DecisionRecord.objects.get(review=review)
    assert shown_hash == record.sha256
    assert Review.objects.get(pk=review.pk).status == Review.Status.APPROVED

    with page.expect_download() as download_info:
        page.click("#record-pdf")
    download = download_info.value
    assert download.suggested_filename.startswith(f"hakari-acme-{review.pk}-")
    assert download.suggested_filename.endswith(".pdf")
    saved = Path(tmp_path) / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data == bytes(record.pdf)
    assert hashlib.sha256(data).hexdigest() == record.pdf_sha256

    page.goto(f"{base}/verify/")
    assert axe(page) == []
    page.set_input_files("#id_file", str(saved))
    with page.expect_navigation():
        page.click("input[name=submit]")
    result = page.locator("#verify-result")
    assert result.get_attribute("data-result") == "genuine"
    assert "協力会社ポータル" in result.inner_text()
    assert record.sha256 in page.locator("#verify-record-sha256").inner_text()
    assert (
        page.locator("#verify-signatures tr[data-kind=signature][data-status=valid]").count() == 2
    )
    assert axe(page) == []

    page.fill("#id_sha256", shown_hash)
    with page.expect_navigation():
        page.click("input[name=submit]")
    assert page.locator("#verify-result").get_attribute("data-result") == "genuine"
    reviewer.close()

    # anyone holding the file checks it without an account
    stranger = browser.new_context(**browser_context_args)
    page = stranger.new_page()
    page.goto(f"{base}/verify/")
    page.set_input_files("#id_file", str(saved))
    with page.expect_navigation():
        page.click("input[name=submit]")
    assert page.locator("#verify-result").get_attribute("data-result") == "genuine"
    assert page.locator("#record-state").get_attribute("data-state") == "approved"
    stranger.close()
