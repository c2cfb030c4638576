"""A reviewer goes from login to an explained recommendation by clicking (product.md S2)."""

import io
import json

import pytest
from django.core.management import call_command

from patterns.kinds.kintone.scenarios import S2
from patterns.services import catalog_import
from tests.catalog_data import kintone_catalog

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    catalog_import(kintone_catalog())
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_reviewer_answers_s2_by_clicking_and_nothing_is_lost(page, live_server, login, demo, axe):
    login(page, demo["users"]["reviewer"], demo["password"])
    assert axe(page) == []  # the dashboard

    page.click("text=新しいレビュー")
    page.fill("input[name=title]", "協力会社ポータル")
    page.fill("textarea[name=context]", "<b>太字にならない</b> 協力会社20社")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "/steps/partners/" in page.url

    steps_seen = set()
    for answered, (question, choice) in enumerate(S2.items(), start=1):
        fieldset = page.locator(f"fieldset[data-question={question}]")
        if fieldset.count() == 0:  # the question is on another step: go there by the step list
            for link in page.locator("nav .step-list a").all():
                link.click()
                page.wait_for_load_state()
                if page.locator(f"fieldset[data-question={question}]").count():
                    break
            fieldset = page.locator(f"fieldset[data-question={question}]")
        if page.url not in steps_seen:
            steps_seen.add(page.url)
            assert axe(page) == [], page.url
        with page.expect_response(lambda r: "/answers/" in r.url and r.request.method == "POST"):
            fieldset.locator(f"input[value={choice}]").check()
        status = page.locator(f"#status-{question}")
        status.get_by_text("保存").wait_for()
        assert f"問中{answered}問回答済み" in page.locator("#progress").inner_text()

    # a note autosaves after typing pauses
    with page.expect_response(lambda r: "/answers/internal_use_same_env/" in r.url):
        page.fill("#note-internal_use_same_env", "社内アプリとは別環境")
    page.locator("#status-internal_use_same_env").get_by_text("保存").wait_for()

    first = page.locator("#recommendation li[data-rank='1']")
    assert first.get_attribute("data-pattern") == "inter_org_access"
    assert page.locator("#recommendation li[data-excluded='true']").count() == 3
    first.locator("summary").click()
    assert first.locator(".reasons li").count() >= 3

    page.reload()
    for step_link in page.locator("nav .step-list a").all()[:-1]:
        step_link.click()
        page.wait_for_load_state()
        for question, choice in S2.items():
            radio = page.locator(f"fieldset[data-question={question}] input[value={choice}]")
            if radio.count():
                assert radio.is_checked(), question
    page.goto(page.url.split("/steps/")[0] + "/steps/security/")
    assert page.input_value("#note-internal_use_same_env") == "社内アプリとは別環境"

    page.click("nav .step-list >> text=推奨")
    page.wait_for_load_state()
    assert page.locator("li[data-rank='1']").get_attribute("data-pattern") == "inter_org_access"
    assert axe(page) == []


def test_the_wizard_in_english(page, live_server, login, demo):
    login(page, demo["users"]["reviewer"], demo["password"])
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("form[action='/i18n/setlang/'] button")
    page.goto(f"{live_server.url}/reviews/{demo['reviews']['draft']}/steps/partners/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Step 1 of 4" in page.locator("#progress").inner_text()
    assert page.locator("#recommendation li[data-rank='1']").count() >= 1


# --- two people on the same step; the reviewer's flow on desktop and phone, ja and en ---


@pytest.fixture
def pair(transactional_db):
    """A draft review and two reviewers of its team (rina, kenji)."""
    from reviews.services.reviews import review_create
    from tests.factories import MembershipFactory, TeamFactory, UserFactory

    catalog, _ = catalog_import(kintone_catalog())
    team = TeamFactory(name="Acme IT", slug="acme")
    rina = UserFactory(username="rina", first_name="Rina", last_name="Ito")
    kenji = UserFactory(username="kenji", first_name="Kenji", last_name="Mori")
    for user in (rina, kenji):
        MembershipFactory(team=team, user=user, role="reviewer")
    review = review_create(team=team, owner=rina, title="協力会社ポータル", catalog=catalog)
    return review


def saved_note(review, question):
    from reviews.models import Answer

    answer = Answer.objects.filter(review=review, question=question).first()
    return (answer.choice, answer.note, answer.answered_by.username) if answer else None


def wait_saved(page, question):
    page.locator(f"#status-{question} .text-success").wait_for()


def test_two_reviewers_on_one_step_never_lose_each_others_work(browser, live_server, login, pair):
    url = f"{live_server.url}/reviews/{pair.pk}/steps/partners/"
    rina, kenji = browser.new_page(), browser.new_page()
    login(rina, "rina")
    login(kenji, "kenji")
    for page in (rina, kenji):
        page.goto(url)  # both pages are open before anyone saves

    # rina writes a note; kenji, on his stale page, writes another on the same question
    rina.fill("#note-partner_count", "約20社")
    wait_saved(rina, "partner_count")
    kenji.fill("#note-partner_count", "30社の予定")
    conflict = kenji.locator("#status-partner_count .answer-conflict")
    conflict.wait_for()
    assert "Rina Ito" in conflict.inner_text() and "約20社" in conflict.inner_text()
    assert saved_note(pair, "partner_count")[1] == "約20社"
    # he keeps hers: his question now shows her note, and nothing more is sent
    conflict.locator(".keep-theirs").click()
    kenji.locator("#status-partner_count .answer-conflict").wait_for(state="detached")
    assert kenji.input_value("#note-partner_count") == "約20社"

    # kenji answers another question; rina, who never touched it, saves and continues
    kenji.check("#q-partner_isolation-required")
    wait_saved(kenji, "partner_isolation")
    rina.check("#q-partner_count-many")
    wait_saved(rina, "partner_count")
    with rina.expect_navigation():
        rina.click("button[name=go][value=next]")
    assert "/steps/linkage/" in rina.url
    assert saved_note(pair, "partner_isolation")[:1] == ("required",)
    assert saved_note(pair, "partner_count")[:2] == ("many", "約20社")

    # a real clash on one note: the second writer chooses to overwrite, knowingly
    rina.goto(url)
    kenji.goto(url)
    kenji.fill("#note-external_user_count", "kenji")
    wait_saved(kenji, "external_user_count")
    rina.fill("#note-external_user_count", "rina")
    rina.locator("#status-external_user_count .answer-conflict").wait_for()
    rina.locator("#status-external_user_count .overwrite-mine").click()
    wait_saved(rina, "external_user_count")
    assert saved_note(pair, "external_user_count")[1:] == ("rina", "rina")
    rina.close()
    kenji.close()


def switch_language(page, lang):
    page.select_option("#language-select", lang)
    with page.expect_navigation():
        page.click("form[action='/i18n/setlang/'] button")


@pytest.mark.parametrize(
    ("lang", "width", "height"),
    [("ja", 1280, 900), ("en", 1280, 900), ("ja", 390, 844), ("en", 390, 844)],
    ids=["ja-desktop", "en-desktop", "ja-phone", "en-phone"],
)
def test_the_reviewers_flow(page, live_server, login, pair, axe, lang, width, height):
    phone = width < 992
    login(page, "rina")
    if lang == "en":
        switch_language(page, "en")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/reviews/{pair.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href='/reviews/{pair.pk}/continue/']")
    assert "/steps/partners/" in page.url  # the first open question
    assert page.locator("html").get_attribute("lang") == lang
    bar = page.locator("#rec-bar")
    assert bar.is_visible() is phone
    if not phone:
        position = page.evaluate("getComputedStyle(document.querySelector('.live-panel')).position")
        assert position == "sticky"

    # an answer updates the panel and the bar, and the change is announced
    for question, choice in S2.items():
        if page.locator(f"fieldset[data-question={question}]").count():
            page.check(f"#q-{question}-{choice}")
            wait_saved(page, question)
    page.wait_for_function(
        "() => document.querySelector('#rec-announce').textContent.trim().length > 0"
    )
    assert bar.get_attribute("data-leader") not in ("none", "")
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # not applicable, with the reason in the note
    page.check("#q-partners_use_kintone-na")
    wait_saved(page, "partners_use_kintone")
    with page.expect_response(lambda r: "/answers/partners_use_kintone/" in r.url):
        page.fill("#note-partners_use_kintone", "N/A note")
    assert axe(page) == []

    # typed but not saved yet: leaving asks first
    with page.expect_response(lambda r: "/answers/partner_isolation/" in r.url):
        page.locator("#note-partner_isolation").press_sequentially("x", delay=0)
        assert "note-partner_isolation" in page.evaluate("window.hakariUnsaved.names()")
    page.wait_for_function("() => window.hakariUnsaved.count() === 0")

    # the recommendation page: weights first, then what to do next
    page.goto(f"{live_server.url}/reviews/{pair.pk}/recommendation/")
    weights = page.locator("#weights")
    assert weights.locator("details").get_attribute("open") is not None
    select = weights.locator("select").first
    select.select_option("3")
    with page.expect_response(lambda r: "/weights/" in r.url and r.status == 200):
        weights.locator("button[type=submit]").click()
    page.locator("#weights [role=status] .text-success").wait_for()
    nexts = page.locator("[data-next]")
    names = {nexts.nth(i).get_attribute("data-next") for i in range(nexts.count())}
    assert {"compare", "decision", "continue"} <= names
    assert axe(page) == []
    with page.expect_navigation():
        page.click("[data-next=compare]")
    assert "/compare/" in page.url
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe(page) == []


def test_an_expired_session_goes_to_the_login_page_and_back(page, live_server, login, pair):
    login(page, "rina")
    url = f"{live_server.url}/reviews/{pair.pk}/steps/partners/"
    page.goto(url)
    other = page.context.new_page()  # log out in another tab
    other.goto(f"{live_server.url}/")
    with other.expect_navigation():
        other.click("form[action='/accounts/logout/'] button")
    other.close()
    with page.expect_navigation():
        page.check("#q-partner_count-many")
    assert "/accounts/login/" in page.url and "next=" in page.url
    assert page.locator("fieldset[data-question]").count() == 0  # not injected in a card
    page.fill("input[name=username]", "rina")
    page.fill("input[name=password]", "pw-for-tests")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == url


def test_adding_a_risk_keeps_the_unsaved_decision_text(page, live_server, login, pair):
    from reviews.models import Risk
    from reviews.services.answers import review_answers_save

    review_answers_save(review=pair, user=pair.owner, answers={q: (c, None) for q, c in S2.items()})
    login(page, "rina")
    page.goto(f"{live_server.url}/reviews/{pair.pk}/decision/")
    page.fill("#id_justification", "まだ保存していない理由")
    assert page.evaluate("window.hakariUnsaved.count()") >= 1
    page.fill("#id_description", "協力会社の退職者のアカウントが残る")
    page.fill("#id_owner_name", "情報システム部")
    with page.expect_response(lambda r: "/risks/" in r.url):
        page.click('#risks form[action$="/risks/"] [type=submit]')
    page.locator("#risks li[data-risk]").wait_for()
    assert Risk.objects.filter(review=pair).count() == 1
    assert page.input_value("#id_justification") == "まだ保存していない理由"
    assert page.input_value("#id_description") == ""  # the risk form starts again
