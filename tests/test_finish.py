"""The finishing touches of the pages: the login page for a first-time visitor, dates in each
language, the admin in Japanese, the favicon, the phone menu without JavaScript."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from reviews.demo import PASSWORD, USERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_says_what_hakari_is(client):
    html = client.get(reverse("login")).content.decode()
    assert "Hakari とは" in html and "アーキテクチャレビュー" in html
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What is Hakari?" in english


def test_demo_logins_show_only_in_the_demo(client):
    UserFactory(username=USERS["reviewer"].username)
    UserFactory(username=USERS["approver"].username)
    with override_settings(DEBUG=False):
        assert PASSWORD not in client.get(reverse("login")).content.decode()
    with override_settings(DEBUG=True):
        html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert PASSWORD in html and "demo-reviewer" in html and "demo-approver<" in html
    assert "demo-stakeholder" not in html  # only the accounts that exist


def test_no_demo_accounts_no_demo_box(client):
    with override_settings(DEBUG=True):
        assert PASSWORD not in client.get(reverse("login")).content.decode()


def test_dates_read_2026_12_01_in_japanese_and_iso_in_english():
    day = datetime.date(2026, 12, 1)
    moment = datetime.datetime(2026, 12, 1, 9, 5)
    with translation.override("ja"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2026/12/01"
        assert formats.date_format(day) == "2026/12/01"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "2026/12/01 09:05"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"  # <input type=date>
    with translation.override("en"):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "2026-12-01"


def test_the_dashboard_shows_japanese_dates(client, review, alice):
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert formats.date_format(timezone.localtime(review.created_at), "Y/m/d") in html


def test_the_admin_names_every_model_in_japanese(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    for name in ("レビューテンプレート", "カタログ版", "回答の選択肢", "監査証跡", "決定記録"):
        assert name in html, name
    for english in ("Review templates", "Catalogs", "Choices", "Review events", "Use cases"):
        assert f">{english}<" not in html, english


def test_every_page_links_the_favicon_and_a_menu_that_opens_without_javascript(client, alice):
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert 'class="navbar-toggler" href="#nav"' in html and 'id="nav"' in html
    assert client.get("/static/favicon.svg").status_code == 200


def test_the_admin_labels_fields_in_japanese(client, review):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:reviews_review_change", args=[review.pk])).content.decode()
    for label in ("回答者", "回答日時", "改訂元", "状態"):
        assert label in html, label
    for english in ("Answered by", "Revision of", "Answered at"):
        assert english not in html, english
    catalog_list = client.get(reverse("admin:patterns_catalog_changelist")).content.decode()
    assert "タイトル（日本語）" in catalog_list and "Title ja" not in catalog_list
    english = client.get(
        reverse("admin:patterns_catalog_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Title ja" in english


def test_citations_read_in_the_ui_language(client, alice, catalog):
    client.force_login(alice)
    url = reverse("patterns:catalog_detail", args=[catalog.slug])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '(guide section “<span lang="ja">' in english  # the section, said in English
    japanese = client.get(url).content.decode()
    sources = re.findall(r'<small class="statement-source[^>]*>(.*?)</small>', japanese)
    assert sources  # every statement names its source, in Japanese as the guide does
    assert not [s for s in sources if "guide section" in s or "ガイドの節" in s]
