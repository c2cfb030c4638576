"""Each person new to Hakari completes their flow from the login page, following only links
and buttons, on a desktop and on a phone (390x844), in Japanese and in English: the reviewer
(a review from nothing to a sign-off request), the stakeholder (compares the options), the
approver (signs off) and the catalog editor (a new catalog version, published)."""

import pytest

from patterns.kinds.kintone.scenarios import S2
from patterns.models import Catalog
from reviews.models import Review
from tests.browser.personas import (
    DEVICES,
    answer_label,
    answered_review,
    arrive_and_log_in,
    catalog,
    click,
    open_menu,
    people,
    review_in_signoff,
    t,
)

pytestmark = pytest.mark.django_db(transaction=True)

EVERY_WAY = [
    pytest.param(screen, lang, id=f"{screen}-{lang}")
    for screen in ("desktop", "phone")
    for lang in ("ja", "en")
]


@pytest.fixture
def users(transactional_db):
    catalog()
    return people()


@pytest.fixture
def visit(browser, browser_context_args, live_server):
    """A fresh browser of the given size, on the login page, logged in as `username`."""
    contexts = []

    def open_as(username: str, device: str, lang: str):
        phone = device == "phone"
        context = browser.new_context(
            **browser_context_args, viewport=DEVICES[device], is_mobile=phone, has_touch=phone
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        arrive_and_log_in(page, live_server.url, username, lang)
        return page

    yield open_as
    for context in contexts:
        context.close()


def answer_what_the_page_asks(page, lang: str) -> int:
    """Check the S2 answer of every S2 question shown on this step, by its visible labels."""
    answered = 0
    for question, choice in S2.items():
        text, label = answer_label(question, choice, lang)
        group = page.get_by_role("group", name=text, exact=True)
        if group.count() and group.first.is_visible():
            group.first.get_by_label(label, exact=True).check()
            answered += 1
    return answered


@pytest.mark.parametrize(("screen", "lang"), EVERY_WAY)
def test_the_reviewer_goes_from_a_new_review_to_a_sign_off_request(visit, users, screen, lang):
    page = visit("rina", screen, lang)
    click(page, "link", lang, "New review")
    page.get_by_label(t(lang, "Title")).first.fill("Partner portal")
    click(page, "button", lang, "Create and start the assessment")

    answered = 0
    for _step in range(20):  # through the steps, by the step's own button
        answered += answer_what_the_page_asks(page, lang)
        if not page.get_by_role("button", name=t(lang, "Save and continue")).count():
            break
        click(page, "button", lang, "Save and continue")
    assert answered == len(S2)
    click(page, "button", lang, "Save and see the recommendation")
    winner = catalog().patterns.get(key="inter_org_access")
    recommendation = page.locator("#recommendation, main").first
    assert recommendation.get_by_text(winner.name_en if lang == "en" else winner.name_ja).count()

    page.get_by_role("link", name=t(lang, "Hakari")).first.click()  # the brand: the dashboard
    page.wait_for_load_state()
    click(page, "link", lang, "Partner portal")
    click(page, "link", lang, "Write the decision")
    click(page, "button", lang, "Save the decision")
    if not page.get_by_role("link", name=t(lang, "Request sign-off")).count():
        click(page, "link", lang, "Back to the review")
    click(page, "link", lang, "Request sign-off")
    # the approval route: one place per approver, the first signs next to the reviewer's box
    page.locator("select[name=approver_1]").select_option(label="Kaito Ono")
    click(page, "button", lang, "Request sign-off")
    assert page.locator(".status-badge").first.inner_text() == t(lang, "In review")
    assert Review.objects.get(title="Partner portal").status == Review.Status.IN_REVIEW


@pytest.mark.parametrize(("screen", "lang"), EVERY_WAY)
def test_the_stakeholder_compares_options_and_cannot_start_a_review(visit, users, screen, lang):
    answered_review(users, "協力会社ポータル")
    page = visit("aoi", screen, lang)
    assert not page.get_by_role("link", name=t(lang, "New review")).count()
    click(page, "link", lang, "協力会社ポータル")
    click(page, "link", lang, "Compare options")
    assert page.get_by_role("heading", name=t(lang, "Score by criterion")).is_visible()
    names = [p.name_en if lang == "en" else p.name_ja for p in catalog().patterns.all()]
    picker = page.locator("form.compare-picker")
    for name in names[2:]:  # compare the first two options only
        picker.get_by_label(name).uncheck()
    click(page, "button", lang, "Compare")
    assert "p=" in page.url
    header = page.locator("main").inner_text()
    assert names[0] in header and names[1] in header


@pytest.mark.parametrize(("screen", "lang"), EVERY_WAY)
def test_the_approver_signs_off_what_waits_for_them(visit, users, screen, lang):
    review = review_in_signoff(users, "協力会社ポータル")
    page = visit("kaito", screen, lang)
    waiting = page.get_by_role("region", name=t(lang, "Waiting for your sign-off"))
    with page.expect_navigation():
        waiting.get_by_role("link", name="協力会社ポータル").click()
    page.get_by_label(t(lang, "Comment")).first.fill("Read and agreed.")
    page.get_by_label(t(lang, "Your password")).first.fill("pw-for-tests")
    click(page, "button", lang, "Sign off", timeout=60_000)  # the last signature renders the PDF
    assert page.locator(".status-badge").first.inner_text() == t(lang, "Approved")
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED


@pytest.mark.parametrize(("screen", "lang"), EVERY_WAY)
def test_the_catalog_editor_publishes_a_new_catalog_version(visit, users, screen, lang):
    page = visit("hana", screen, lang)
    open_menu(page)
    click(page, "link", lang, "Catalog editing (admin)")
    page.get_by_role(
        "link", name=t(lang, "catalog versions").capitalize(), exact=True
    ).first.click()
    page.wait_for_load_state()
    page.locator("#result_list tbody input[type=checkbox]").first.check()
    page.locator("select[name=action]").select_option(
        label=t(lang, "Copy into a new draft version")
    )
    with page.expect_navigation():
        page.get_by_role("button", name=t(lang, "Go"), exact=True).click()
    draft = Catalog.objects.get(published_at__isnull=True)
    assert page.get_by_text(t(lang, "Created the draft %(catalog)s") % {"catalog": draft}).count()

    row = page.locator("#result_list tbody tr", has_text=draft.version)
    row.get_by_role("link").first.click()
    page.wait_for_load_state()
    page.locator("input[name=title_en]").fill("kintone and external partners (next)")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    page.locator(f"#result_list input[value='{draft.pk}']").check()
    page.locator("select[name=action]").select_option(
        label=t(lang, "Publish the selected draft versions")
    )
    with page.expect_navigation():
        page.get_by_role("button", name=t(lang, "Go"), exact=True).click()
    assert page.get_by_text(t(lang, "Published %(catalog)s") % {"catalog": draft}).count()
    draft.refresh_from_db()
    assert draft.is_published and draft.title_en == "kintone and external partners (next)"
