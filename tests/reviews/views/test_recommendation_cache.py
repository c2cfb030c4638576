"""The recommendation panel and phone bar in the fragment cache (their templates, keyed on
`selectors.recommendation_key`): rendered once per published catalog version, language, answer
set, stated weights and sensitivity shown; never for a draft catalog."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation

from patterns.kinds.kintone.scenarios import S1, S2
from patterns.models import Pattern
from patterns.services import catalog_new_draft
from reviews import selectors
from reviews.fragments import recommendation_oob
from reviews.selectors import recommendation_key, review_answers
from reviews.services.answers import review_answer_save
from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def answer(review, **choices):
    for question, choice in choices.items():
        review_answer_save(review=review, user=review.owner, question=question, choice=choice)
    return review_answers(review)


def panel(response):
    html = response.content.decode()
    start = html.index('<section class="recommendation"')
    return html[start : html.index("</section>", start)]


def fresh(review, answers):
    """The panel rendered without the cache."""
    caches["fragments"].clear()
    html = recommendation_oob(review, answers)
    caches["fragments"].clear()
    return html


@pytest.fixture
def rankings(monkeypatch):
    """How many times the answers were ranked."""
    calls = []
    rank = selectors.review_recommendation

    def counted(*args, **kwargs):
        calls.append(args)
        return rank(*args, **kwargs)

    monkeypatch.setattr(selectors, "review_recommendation", counted)
    return calls


def test_a_cached_panel_is_what_a_fresh_render_gives(review, rankings):
    answers = answer(review, **S2)
    first = recommendation_oob(review, answers)
    assert len(rankings) == 1
    assert recommendation_oob(review, answers) == first
    assert len(rankings) == 1  # from the cache: not ranked again
    assert first == fresh(review, answers)
    assert 'data-pattern="inter_org_access" data-rank="1"' in first
    assert 'id="rec-bar"' in first and first.count('hx-swap-oob="true"') == 2


def test_a_changed_answer_changes_the_panel(review):
    s2 = recommendation_oob(review, answer(review, **S2))
    s1 = recommendation_oob(review, answer(review, **S1))
    assert s1 != s2
    assert 'data-pattern="guest_space" data-rank="1"' in s1
    assert 'data-pattern="inter_org_access" data-rank="1"' in s2


def test_not_applicable_and_cleared_answers_count_as_unanswered(review):
    answers = answer(review, partner_count="many")
    answered = recommendation_oob(review, answers)
    cleared = recommendation_oob(review, answer(review, partner_count=""))
    assert cleared != answered and 'data-unanswered="true"' in cleared
    assert 'data-unanswered="true"' in recommendation_oob(
        review, answer(review, partner_count="~na")
    )


def test_the_panel_is_cached_per_language(review):
    answers = answer(review, **S2)
    japanese = recommendation_oob(review, answers)
    with translation.override("en"):
        english = recommendation_oob(review, answers)
        assert english == fresh(review, answers)
    assert english != japanese
    assert "Recommendation" in english and "Recommendation" not in japanese


def test_stated_weights_change_the_panel(review):
    answers = answer(review, **S2)
    even = recommendation_oob(review, answers)
    review.weights = {"cost": 3}
    weighted = recommendation_oob(review, answers)
    assert recommendation_key(review, answers) != recommendation_key(
        ReviewFactory(team=review.team, owner=review.owner, catalog=review.catalog), answers
    )
    assert weighted == fresh(review, answers) and weighted != even


def test_another_review_gets_its_own_answers_panel(review):
    other = ReviewFactory(team=review.team, owner=review.owner, catalog=review.catalog)
    mine = recommendation_oob(review, answer(review, **S2))
    theirs = recommendation_oob(other, answer(other, **S1))
    assert theirs != mine and theirs == fresh(other, review_answers(other))


def test_a_draft_catalog_is_never_cached(review, catalog):
    draft = catalog_new_draft(catalog, version="9.9.9-draft")
    on_draft = ReviewFactory(team=review.team, owner=review.owner, catalog=draft)
    answers = answer(on_draft, **S2)
    assert recommendation_key(on_draft, answers) is None
    before = recommendation_oob(on_draft, answers)
    Pattern.objects.filter(catalog=draft, key="inter_org_access").update(name_ja="改名した案")
    after = recommendation_oob(on_draft, answers)
    assert "改名した案" in after and "改名した案" not in before


def test_the_htmx_save_sends_the_panel_for_the_new_answers(client, alice, review):
    client.force_login(alice)
    url = reverse("reviews:answer", args=[review.pk, "partner_count"])
    answer(review, **S2)
    first = client.post(url, {"partner_count": "one"}, **HX).content.decode()
    second = client.post(url, {"partner_count": S2["partner_count"]}, **HX).content.decode()
    third = client.post(url, {"partner_count": "one"}, **HX).content.decode()  # from the cache
    panel = recommendation_oob(review, review_answers(review))
    assert panel in third and panel in first and panel not in second
    assert recommendation_oob(review, answer(review, **S2)) in second


def test_pages_share_the_cached_panel_and_rank_only_on_a_miss(client, alice, review, rankings):
    client.force_login(alice)
    answer(review, **S2)
    detail = reverse("reviews:detail", args=[review.pk])
    first = client.get(detail)
    assert len(rankings) == 1
    again = client.get(detail)
    assert len(rankings) == 1  # panel from the cache: the answers are not ranked
    assert panel(again) == panel(first) and 'data-pattern="inter_org_access"' in panel(first)
    assert again.context["recommendation"].winner.pattern == "inter_org_access"  # still there


def test_the_detail_shows_the_sensitivity_the_wizard_leaves_out(client, alice, review, english):
    client.force_login(alice)
    answer(review, **S2)
    step = reverse("reviews:step", args=[review.pk, "partners"])
    detail = reverse("reviews:detail", args=[review.pk])
    assert "What would change the ranking" not in client.get(step).content.decode()
    assert "What would change the ranking" in client.get(detail).content.decode()
    assert "What would change the ranking" not in client.get(step).content.decode()


def test_a_page_after_a_save_shows_the_new_ranking(client, alice, review):
    client.force_login(alice)
    detail = reverse("reviews:detail", args=[review.pk])
    answer(review, **S2)
    s2 = client.get(detail).content.decode()
    answer(review, **S1)
    s1 = client.get(detail).content.decode()
    rank_one = 'data-pattern="{}" data-rank="1"'
    assert rank_one.format("inter_org_access") in s2 and rank_one.format("guest_space") in s1
