"""The assessment wizard (reviews/views/wizard.py): steps, autosave, the recommendation."""

import pytest
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S2
from patterns.services import compiled_catalog
from reviews.catalog_view import catalog_criteria, catalog_steps
from reviews.models import Answer, Review
from reviews.selectors import wizard_outline
from reviews.services.answers import review_answer_save
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


HX = {"HTTP_HX_REQUEST": "true"}


def step_url(review, step="partners"):
    return reverse("reviews:step", args=[review.pk, step])


def answer_url(review, question):
    return reverse("reviews:answer", args=[review.pk, question])


def test_step_page_has_one_radio_group_per_question(client_alice, review):
    response = client_alice.get(step_url(review))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="partner_count"' in html
    for choice in ["one", "few", "many", "open"]:
        assert f'name="partner_count" id="q-partner_count-{choice}" value="{choice}"' in html
    assert 'hx-post="' + answer_url(review, "partner_count") + '"' in html
    assert "ステップ 1 / 4" in html  # Japanese by default


def test_unknown_step_is_404(client_alice, review):
    assert client_alice.get(step_url(review, "nope")).status_code == 404


def test_htmx_choice_saves_and_returns_status_panel_and_progress(client_alice, review, alice):
    response = client_alice.post(
        answer_url(review, "partner_count"), {"partner_count": "many"}, **HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "保存" in html and "Alice Abe" in html
    assert 'id="recommendation" hx-swap-oob="true"' in html
    assert 'id="progress" class="mb-3" hx-swap-oob="true"' in html
    assert 'id="rec-bar"' in html and 'hx-swap-oob="true"' in html
    assert 'data-pattern="inter_org_access"' in html and 'data-rank="1"' in html
    answer = Answer.objects.get(review=review, question="partner_count")
    assert (answer.choice, answer.answered_by) == ("many", alice)


def test_htmx_note_saves_without_touching_the_choice(client_alice, review):
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="few")
    response = client_alice.post(
        answer_url(review, "partner_count"), {"note-partner_count": "三社の予定"}, **HX
    )
    assert response.status_code == 200
    answer = Answer.objects.get(review=review, question="partner_count")
    assert (answer.choice, answer.note) == ("few", "三社の予定")


def test_plain_post_of_one_answer_redirects_back_to_its_step(client_alice, review):
    response = client_alice.post(answer_url(review, "confidentiality"), {"confidentiality": "high"})
    assert response.status_code == 302
    assert response["Location"] == step_url(review, "security") + "#q-confidentiality"
    assert Answer.objects.get(review=review, question="confidentiality").choice == "high"


def test_plain_step_post_saves_the_whole_step_and_moves_on(client_alice, review):
    data = {
        "partner_count": "many",
        "partner_isolation": "required",
        "note-partner_count": "協力会社は約20社",
        "external_user_count": "medium",
    }
    response = client_alice.post(step_url(review), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(review, "linkage")
    saved = {a.question: (a.choice, a.note) for a in review.answers.all()}
    assert saved == {
        "partner_count": ("many", "協力会社は約20社"),
        "partner_isolation": ("required", ""),
        "external_user_count": ("medium", ""),
    }


def test_the_last_step_leads_to_the_recommendation(client_alice, review):
    response = client_alice.post(step_url(review, "cost"), {"cost_priority": "high"})
    assert response["Location"] == reverse("reviews:recommendation", args=[review.pk])


def test_a_bad_step_post_saves_nothing_and_keeps_what_was_typed(client_alice, review):
    data = {
        "partner_count": "many",
        "partner_isolation": "sometimes",
        "note-partner_count": "keep me",
    }
    response = client_alice.post(step_url(review), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "sometimes" in html and "keep me" in html
    assert 'value="many" checked' in html
    assert not review.answers.exists()


@pytest.mark.parametrize(
    ("question", "data", "status", "fragment"),
    [
        ("partner_count", {"partner_count": "lots"}, 400, "lots"),
        ("partner_count", {"note-partner_count": "x" * 5001}, 400, "5001"),
        ("partner_count", {}, 400, "保存する内容がありません"),
        ("colour", {"colour": "red"}, 400, "colour"),
    ],
)
def test_bad_htmx_posts_are_4xx_with_a_message_and_change_nothing(
    client_alice, review, question, data, status, fragment
):
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="one")
    response = client_alice.post(answer_url(review, question), data, **HX)
    assert response.status_code == status
    assert fragment in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    answer = Answer.objects.get(review=review)
    assert (answer.choice, answer.note) == ("one", "")


def test_an_unknown_question_is_shown_in_the_page_error_area(client_alice, review):
    response = client_alice.post(answer_url(review, "colour"), {"colour": "red"}, **HX)
    assert response["HX-Retarget"] == "#form-errors"


@pytest.mark.parametrize("status", [Review.Status.IN_REVIEW, Review.Status.APPROVED])
def test_answers_of_a_review_that_is_not_a_draft_cannot_change(client_alice, review, status):
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="one")
    Review.objects.filter(pk=review.pk).update(status=status)
    response = client_alice.post(
        answer_url(review, "partner_count"), {"partner_count": "many"}, **HX
    )
    assert response.status_code == 409
    assert "変更できません" in response.content.decode() or "可能" in response.content.decode()
    response = client_alice.post(step_url(review), {"partner_count": "many"})
    assert response.status_code == 302
    assert Answer.objects.get(review=review).choice == "one"


def test_two_people_answering_at_once_lose_nothing(client, review, alice, team):
    second = UserFactory(username="erin", first_name="Erin", last_name="Endo")
    MembershipFactory(team=team, user=second, role="reviewer")
    review_answer_save(review=review, user=alice, question="partner_count", choice="many")
    review_answer_save(review=review, user=second, question="confidentiality", choice="high")
    review_answer_save(review=review, user=second, question="partner_count", choice="few")
    saved = {a.question: (a.choice, a.answered_by.username) for a in review.answers.all()}
    assert saved == {"partner_count": ("few", "erin"), "confidentiality": ("high", "erin")}
    client.force_login(alice)
    html = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Erin Endo" in html


def test_recommendation_page_ranks_s2_with_reasons(client_alice, review):
    for question, choice in S2.items():
        review_answer_save(review=review, user=review.owner, question=question, choice=choice)
    response = client_alice.get(reverse("reviews:recommendation", args=[review.pk]))
    html = response.content.decode()
    assert (
        '<li class="card mb-2 ranked-option" data-pattern="inter_org_access" data-rank="1">' in html
    )
    assert 'data-pattern="guest_space" data-rank="4" data-excluded="true"' in html
    assert response.context["recommendation"].winner.pattern == "inter_org_access"


def test_the_recommendation_speaks_english_when_asked(client_alice, review):
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="one")
    client_alice.post(reverse("set_language"), {"language": "en"})
    html = client_alice.get(reverse("reviews:recommendation", args=[review.pk])).content.decode()
    assert "Run the exchange in a Guest Space" in html
    assert "What would change the ranking" in html


def test_step_page_queries_do_not_grow_with_answers(
    client_alice, review, django_assert_num_queries
):
    compiled_catalog(review.catalog)  # compiled once per process per published version
    catalog_steps(review.catalog)  # the steps, questions, choices: read once per process
    catalog_criteria(review.catalog)  # and the criteria (the weights panel)
    # 1 session, 2 user, 3 review (+team, owner, catalog, viewer's role), 4 answers
    # (+answered_by)
    with django_assert_num_queries(4):
        client_alice.get(step_url(review))
    for question, choice in S2.items():
        review_answer_save(review=review, user=review.owner, question=question, choice=choice)
    with django_assert_num_queries(4):
        client_alice.get(step_url(review))


def test_htmx_autosave_queries_do_not_grow_with_answers(
    client_alice, review, django_assert_num_queries
):
    compiled_catalog(review.catalog)
    review_answer_save(review=review, user=review.owner, question="partner_count", choice="one")
    wizard_outline(review)  # the steps of a published version: read once per process
    # 1 session, 2 user, 3 review (+role), 4 savepoint, 5 touch (and so lock) the draft,
    # 6 the review's answers (+answered_by), 7 update the one answer, 8 release; the progress
    # and the recommendation (without sensitivity) come from these, no further query
    with django_assert_num_queries(8):
        client_alice.post(answer_url(review, "partner_count"), {"partner_count": "few"}, **HX)
    for question, choice in S2.items():
        review_answer_save(review=review, user=review.owner, question=question, choice=choice)
    assert S2["partner_count"] != "one"
    with django_assert_num_queries(8):
        client_alice.post(answer_url(review, "partner_count"), {"partner_count": "one"}, **HX)
