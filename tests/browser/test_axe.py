"""axe-core over every page, on a desktop and on a phone: no serious or critical violation.

Each page is opened as the person who uses it (a reviewer's forms, an approver's sign page,
a stakeholder's comparison, anonymous pages logged out), with a review at every stage."""

import pytest
from django.urls import reverse

from reviews.services import signoff
from reviews.services.templates import template_create
from tests.browser.personas import DEVICES, PASSWORD, answered_review, people, review_in_signoff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(transactional_db):
    users = people()
    draft = answered_review(users, "下書きのレビュー")
    in_review = review_in_signoff(users, "承認待ちのレビュー")
    approved = review_in_signoff(users, "承認済みのレビュー")
    signoff.review_sign(
        review=approved, user=users["approver"], password=PASSWORD, comment="OK", notify=False
    )
    template_create(review=draft, user=users["reviewer"], name="標準")
    return users, draft, in_review, approved


def pages_for(draft, in_review, approved, step_keys, slug):
    """(who, URL) for every page; None: logged out."""
    r = lambda name, review, *args: reverse(f"reviews:{name}", args=[review.pk, *args])  # noqa: E731
    reviewer = [
        reverse("home"),
        reverse("reviews:new"),
        r("detail", draft),
        r("edit", draft),
        *[r("step", draft, key) for key in step_keys],
        r("recommendation", draft),
        r("compare", draft),
        r("decision", draft),
        r("signoff", in_review),
        r("signoff", draft),
        r("template_create", draft),
        r("detail", approved),
        reverse("reviews:verify"),
        reverse("password_change"),
        reverse("password_change_done"),
        "/no/such/page/",  # the 404 page
    ]
    return [
        *[(None, url) for url in (reverse("login"), "/no/such/page/")],
        *[("rina", url) for url in reviewer],
        ("aoi", r("compare", in_review)),
        ("aoi", r("edit", draft)),  # the 403 page
        ("aoi", r("detail", in_review)),
        ("kaito", reverse("home")),  # with what waits for the approver
        ("kaito", r("sign", in_review)),
        ("hana", reverse("patterns:catalog_list")),
        ("hana", reverse("patterns:catalog_detail", args=[slug])),
        ("hana", reverse("patterns:catalog_compare", args=[slug])),
    ]


@pytest.mark.parametrize(
    ("screen", "lang"), [(s, lang) for s in ("desktop", "phone") for lang in ("ja", "en")]
)
def test_no_page_has_a_serious_accessibility_violation(
    browser, browser_context_args, live_server, login, axe, site, screen, lang
):
    users, draft, in_review, approved = site
    steps = list(draft.catalog.steps.values_list("key", flat=True))
    found = {}
    contexts = {}
    args = {**browser_context_args, "locale": "en-US" if lang == "en" else "ja-JP"}
    try:
        for who, url in pages_for(draft, in_review, approved, steps, draft.catalog.slug):
            if who not in contexts:
                context = browser.new_context(
                    **args, viewport=DEVICES[screen], is_mobile=screen == "phone"
                )
                contexts[who] = context.new_page()
                if who:
                    login(contexts[who], who)
            page = contexts[who]
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == lang, url
            violations = axe(page)
            if violations:
                found[f"{who} {url}"] = violations
    finally:
        for page in contexts.values():
            page.context.close()
    assert found == {}
