"""The catalog page in a real browser, in Japanese and English, with an axe check."""

import pytest

from patterns.services import catalog_import
from tests.catalog_data import kintone_catalog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup_catalog(transactional_db):
    catalog, _ = catalog_import(kintone_catalog())
    UserFactory(username="viewer")
    return catalog


def test_catalog_page_in_japanese_then_english(page, live_server, login, setup_catalog, axe):
    login(page, "viewer")
    page.goto(f"{live_server.url}/catalogs/{setup_catalog.slug}/")
    assert page.locator("html").get_attribute("lang") == "ja"
    header = page.locator("table.comparison-table thead th[data-pattern]")
    assert header.count() == 4
    assert header.nth(0).inner_text() == "ゲストスペースでの運用"
    assert page.locator("table.comparison-table tbody tr").count() == 5
    assert axe(page) == []

    page.select_option("#language-select", "en")
    page.click("form[action='/i18n/setlang/'] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Guest Space" in page.locator("table.comparison-table thead").inner_text()
    assert axe(page) == []


def test_catalog_page_on_a_phone_shows_cards(page, live_server, login, setup_catalog, axe):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "viewer")
    page.goto(f"{live_server.url}/catalogs/{setup_catalog.slug}/")
    cards = page.locator("section.card[data-pattern]")
    assert cards.count() == 4
    assert cards.nth(0).is_visible()
    assert not page.locator("table.comparison-table").is_visible()
    assert axe(page) == []
