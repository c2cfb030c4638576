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
