"""The comparison page's body kept in caches["fragments"] (reviews/compare_page.py): rendered
once per state of a published catalog version, and a fresh render whenever what it shows
changes (answers, weights, options, language, review); never kept for a draft version."""

import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S2
from patterns.models import Statement
from patterns.services import catalog_import
from reviews.models import Review
from reviews.services.answers import review_answers_save
from tests.catalog_data import kintone_catalog
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def compare_url(review, query=""):
    return reverse("reviews:compare", args=[review.pk]) + (f"?{query}" if query else "")


def answer(review, answers):
    review_answers_save(
        review=review, user=review.owner, answers={q: (c, None) for q, c in answers.items()}
    )


def body_keys():
    return [key for key in caches["fragments"]._cache if "compare-body" in key]


def page(client, review, query=""):
    response = client.get(compare_url(review, query))
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html):
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', r"\1", html)


def test_a_repeated_page_is_the_same_html_from_one_cached_body(client_bob, review):
    answer(review, S2)
    first = page(client_bob, review)
    assert len(body_keys()) == 1
    assert without_tokens(page(client_bob, review)) == without_tokens(first)
    assert len(body_keys()) == 1


def test_the_cached_page_runs_only_the_queries_outside_the_grid(
    client_bob, review, django_assert_num_queries
):
    answer(review, S2)
    client_bob.get(compare_url(review))
    # 1 session, 2 user, 3 review with team, owner, catalog and role, 4 answers
    with django_assert_num_queries(4):
        response = client_bob.get(compare_url(review))
    assert "data-criterion=" in response.content.decode()


def test_a_changed_answer_renders_the_body_again(client_bob, review):
    before = page(client_bob, review)
    assert "data-differs" not in before  # nothing answered: no criterion separates them
    answer(review, S2)
    after = page(client_bob, review)
    assert "data-differs" in after and "statement-decisive" in after
    assert len(body_keys()) == 2


def test_changed_weights_render_the_body_again(client_bob, review):
    answer(review, S2)
    assert "weight-badge" not in page(client_bob, review)
    criterion = review.catalog.criteria.order_by("pk").first()
    Review.objects.filter(pk=review.pk).update(weights={criterion.key: 3})
    assert "weight-badge" in page(client_bob, review)


def test_other_options_and_order_have_their_own_body(client_bob, review):
    answer(review, S2)
    two = page(client_bob, review, "p=guest_space&p=separate_domain")
    assert 'data-pattern="separate_domain"' in two
    other = page(client_bob, review, "p=guest_space&p=external_service&order=score")
    assert 'data-pattern="external_service"' in other
    assert 'data-pattern="separate_domain"' not in other
    assert 'value="score" id="order-score" checked' in other
    assert len(body_keys()) == 2


def test_each_language_has_its_own_body(client_bob, review):
    answer(review, S2)
    criterion = review.catalog.criteria.order_by("pk").first()
    japanese = page(client_bob, review)
    client_bob.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page(client_bob, review)
    row = '<th scope="row">'
    assert row + criterion.name_ja in japanese and row + criterion.name_ja not in english
    assert row + criterion.name_en in english
    assert len(body_keys()) == 2


def test_another_review_with_the_same_answers_gets_its_own_links(client_bob, review, team):
    other = ReviewFactory(team=team, owner=review.owner, catalog=review.catalog, title="Other")
    answer(review, S2)
    answer(other, S2)
    page(client_bob, review)
    html = page(client_bob, other)
    assert reverse("reviews:compare_csv", args=[other.pk]) in html
    assert reverse("reviews:compare_csv", args=[review.pk]) not in html


def test_a_draft_catalog_version_is_never_cached(client_bob, catalog, team, alice):
    data = kintone_catalog()
    data["version"] = data["version"] + "-draft"
    draft, _ = catalog_import(data, publish=False)
    review = ReviewFactory(team=team, owner=alice, catalog=draft, title="On a draft")
    answer(review, S2)
    statement = Statement.objects.filter(pattern__catalog=draft, pattern__key="guest_space")
    first = statement.order_by("pk").first()
    assert first.text_ja in page(client_bob, review)
    statement.filter(pk=first.pk).update(text_ja="編集中の文言")
    assert "編集中の文言" in page(client_bob, review)
    assert body_keys() == []


# The cost section: cached around its form's CSRF token, with the inputs, status and role.

COSTS = {
    "course": "standard",
    "internal_users": "12",
    "external_users": "30",
    "external_own_account": "5",
    "paid_plugins": "2",
}


def cost_keys():
    return [key for key in caches["fragments"]._cache if "compare-costs" in key]


def costs_url(review):
    return reverse("reviews:costs", args=[review.pk])


def test_no_cached_part_holds_a_csrf_token_and_each_page_gets_its_own(client, review, alice, bob):
    client.force_login(alice)
    first = page(client, review)
    client.force_login(bob)
    second = page(client, review)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert len(token.findall(first)) == len(token.findall(second)) >= 2
    assert token.findall(first) != token.findall(second)
    assert '<form id="cost-form"' in first.split('name="csrfmiddlewaretoken"')[-2]
    assert len(cost_keys()) == 2  # both may estimate: one pair (before and after the token)
    for value in caches["fragments"]._cache.values():
        assert b"csrfmiddlewaretoken" not in value and b"X-CSRFToken" not in value


def test_saved_inputs_show_on_the_next_page(client, review, alice):
    client.force_login(alice)
    assert 'name="internal_users" value="12"' not in page(client, review)
    assert client.post(costs_url(review), COSTS).status_code == 302
    html = page(client, review)
    assert 'name="internal_users" value="12"' in html
    assert 'name="paid_plugins" value="2"' in html


def test_a_viewer_who_may_not_estimate_gets_the_disabled_form(client, review, alice, carol):
    client.force_login(alice)
    assert "<fieldset disabled>" not in page(client, review)
    client.force_login(carol)  # an approver: may look, not estimate
    assert "<fieldset disabled>" in page(client, review)
    client.force_login(alice)
    assert "<fieldset disabled>" not in page(client, review)


def test_a_changed_status_changes_the_cost_note(client, review, alice):
    client.force_login(alice)
    assert "<fieldset disabled>" not in page(client, review)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.APPROVED)
    html = page(client, review)
    assert "<fieldset disabled>" in html


def test_a_refused_save_shows_its_errors_and_caches_nothing(client, review, alice):
    client.force_login(alice)
    response = client.post(costs_url(review), {**COSTS, "internal_users": "-3"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert cost_keys() == []
    html = page(client, review)
    assert 'aria-invalid="true"' not in html and 'value="-3"' not in html
