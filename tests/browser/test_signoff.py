"""The reviewer asks two approvers to sign; each signs in their own browser; the review is
approved, its PDF downloads, and the verify page confirms the download is the record."""

import hashlib
from pathlib import Path

import pytest

from patterns.kinds.kintone.scenarios import S2
from patterns.services import catalog_import
from reviews.models import DecisionRecord, Review
from reviews.services.answers import review_answers_save
from tests.catalog_data import kintone_catalog
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory

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
        page.fill("#id_comment", f"{username} has read it and agrees.")
        page.fill("#id_password", "pw-for-tests")
        with page.expect_navigation(timeout=60_000):  # the last signature renders the PDF
            page.click("input[name=sign]")
        assert f"/reviews/{review.pk}/" in page.url
        assert page.locator(f"#signoffs li[data-signer='{username}']").get_attribute(
            "data-state"
        ) == ("signed")
    finally:
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
    for username in ("kaito", "yui"):
        page.check(f"label:has-text('{username.capitalize()} Approver') >> xpath=.. >> input")
    with page.expect_navigation():
        page.click("input[name=submit]")
    assert page.locator(".status-badge.status-in_review").count() == 1
    assert page.locator("#signoffs li[data-state=pending]").count() == 2

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
    assert result.get_attribute("data-result") == "pdf"
    assert "協力会社ポータル" in result.inner_text()
    assert record.sha256 in result.inner_text()
    assert axe(page) == []

    page.fill("#id_sha256", shown_hash)
    with page.expect_navigation():
        page.click("input[name=submit]")
    assert page.locator("#verify-result").get_attribute("data-result") == "content"
    reviewer.close()
