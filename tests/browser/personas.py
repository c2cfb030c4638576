"""What the persona and axe browser tests share: the people, a review at each stage, and
helpers that act as a person does, by visible labels in the page's language (the labels are
the app's own msgids, translated here), never by typing a URL other than the site's root."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from patterns.kinds.kintone.scenarios import S2
from patterns.models import Catalog, Choice, Question, pick
from patterns.services import catalog_import
from reviews.models import Review
from reviews.services import decisions, signoff
from reviews.services.answers import review_answers_save
from tests.catalog_data import kintone_catalog
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEVICES = {"desktop": DESKTOP, "phone": PHONE}
PASSWORD = "pw-for-tests"


def t(lang: str, msgid: str) -> str:
    """The app's label `msgid` as the page shows it in `lang`."""
    with translation.override(lang):
        return gettext(msgid)


def people() -> dict[str, Any]:
    """A team with one person per role, and a catalog editor (site staff)."""
    team = TeamFactory(name="Acme IT", slug="acme")
    found: dict[str, Any] = {}
    for role, (username, first) in {
        "reviewer": ("rina", "Rina"),
        "stakeholder": ("aoi", "Aoi"),
        "approver": ("kaito", "Kaito"),
    }.items():
        user = UserFactory(username=username, first_name=first, last_name="Ono")
        MembershipFactory(team=team, user=user, role=role)
        found[role] = user
    found["editor"] = UserFactory(
        username="hana", first_name="Hana", is_staff=True, is_superuser=True
    )
    return found


def catalog() -> Catalog:
    existing = Catalog.objects.published().first()
    return existing or catalog_import(kintone_catalog())[0]


def answered_review(users: dict[str, Any], title: str = "協力会社ポータル") -> Review:
    owner = users["reviewer"]
    team = owner.memberships.get().team  # type: ignore[attr-defined]
    review: Any = ReviewFactory(team=team, owner=owner, catalog=catalog(), title=title)
    review_answers_save(review=review, user=owner, answers={q: (c, None) for q, c in S2.items()})
    return review


def review_in_signoff(users: dict[str, Any], title: str) -> Review:
    """A review answered (S2), decided and waiting for the approver's sign-off."""
    review = answered_review(users, title)
    owner = users["reviewer"]
    decisions.decision_save(
        review=review,
        user=owner,
        pattern="inter_org_access",
        justification="",
        consequences_good="Shared apps",
        consequences_bad="More administration",
        confirmation="",
    )
    signoff.review_request_signoff(review=review, user=owner, approvers=[users["approver"]])
    return review


def answer_label(question_key: str, choice_key: str, lang: str) -> tuple[str, str]:
    """The question's text and the choice's label in `lang`, as the wizard shows them."""
    question = Question.objects.filter(key=question_key, group__catalog=catalog()).get()
    choice = Choice.objects.get(question=question, key=choice_key)
    return pick(question, "text", lang), pick(choice, "label", lang)


def open_menu(page) -> None:
    """On a phone the navigation is behind the menu button: open it when it is shown."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and not page.locator("#nav").is_visible():
        toggler.click()
        page.locator("#nav").wait_for(state="visible")


def choose_language(page, lang: str) -> None:
    """The language switch in the navigation bar (the page starts in Japanese)."""
    if page.locator("html").get_attribute("lang") == lang:
        return
    open_menu(page)
    page.get_by_label(t("ja", "Language")).select_option(lang)
    with page.expect_navigation():
        page.get_by_role("button", name=t("ja", "Switch")).click()
    assert page.locator("html").get_attribute("lang") == lang


def arrive_and_log_in(page, base_url: str, username: str, lang: str) -> None:
    """A first visit: the site's root sends to the login page, which says what Hakari is."""
    page.goto(base_url + "/")
    choose_language(page, lang)
    assert page.get_by_role("heading", name=t(lang, "What is Hakari?")).is_visible()
    page.get_by_label(t(lang, "Username")).fill(username)
    page.get_by_label(t(lang, "Password")).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=t(lang, "Log in")).click()
    assert page.get_by_role("heading", name=t(lang, "Reviews")).is_visible()


def click(page, role: str, lang: str, *msgids: str, timeout: float = 30_000) -> None:
    """Click the first shown link or button named by one of `msgids`; wait for the page."""
    for msgid in msgids:
        target = page.get_by_role(role, name=t(lang, msgid), exact=True)
        if target.count() and target.first.is_visible():
            with page.expect_navigation(timeout=timeout):
                target.first.click()
            return
    raise AssertionError(f"no {role} named {msgids} on {page.url}")
