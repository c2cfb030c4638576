"""The wizard's guarantees (reviews/views/wizard.py, weights.py): each field saves alone, a
colleague's change is shown instead of overwritten, not applicable and clear, "continue",
the weights before the ranking, what to do next, an expired session under htmx."""

import re

import pytest
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S2
from reviews.models import Answer, Review, ReviewEvent
from reviews.selectors import wizard_outline
from reviews.services.answers import Base, review_answer_save
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def erin(team):
    user = UserFactory(username="erin", first_name="Erin", last_name="Endo")
    MembershipFactory(team=team, user=user, role="reviewer")
    return user


def step_url(review, step="partners"):
    return reverse("reviews:step", args=[review.pk, step])


def answer_url(review, question):
    return reverse("reviews:answer", args=[review.pk, question])


def base_in(html, question):
    return re.search(rf'name="base-{question}" id="base-{question}" value="([^"]+)"', html)[1]


def test_each_field_posts_only_itself_and_its_base(client_alice, review):
    html = client_alice.get(step_url(review)).content.decode()
    assert 'hx-params="partner_count,base-partner_count"' in html
    assert 'hx-params="note-partner_count,base-partner_count"' in html
    assert 'value="~na"' in html  # not applicable
    assert 'name="go" value="next"' in html
    assert "data-unsaved-guard" in html and "js/unsaved.js" in html


def test_a_stale_htmx_note_gets_their_note_and_a_choice(client_alice, review, erin):
    review_answer_save(review=review, user=erin, question="partner_count", note="old")
    page = client_alice.get(step_url(review)).content.decode()
    stale = base_in(page, "partner_count")
    review_answer_save(
        review=review, user=erin, question="partner_count", note="Erin's note",
        base=Base.parse(stale),
    )  # fmt: skip
    response = client_alice.post(
        answer_url(review, "partner_count"),
        {"note-partner_count": "Alice's note", "base-partner_count": stale},
        **HX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Erin Endo" in html and "Erin&#x27;s note" in html
    assert "keep-theirs" in html and "overwrite-mine" in html
    assert Answer.objects.get(review=review).note == "Erin's note"
    current = str(Base.of(Answer.objects.get(review=review)))
    assert f'"base-partner_count": "{current}"' in html  # overwrite-mine sends their version
    # keep theirs: the question as stored
    kept = client_alice.get(answer_url(review, "partner_count"), **HX).content.decode()
    assert 'id="q-partner_count"' in kept and "Erin&#x27;s note" in kept
    # overwrite with mine
    response = client_alice.post(
        answer_url(review, "partner_count"),
        {"note-partner_count": "Alice's note", "base-partner_count": current},
        **HX,
    )
    assert response.status_code == 200
    assert Answer.objects.get(review=review).note == "Alice's note"


def test_save_and_continue_from_a_stale_page_keeps_a_colleagues_notes(client_alice, review, erin):
    page = client_alice.get(step_url(review)).content.decode()
    bases = {q: base_in(page, q) for q in ("partner_count", "partner_isolation")}
    review_answer_save(review=review, user=erin, question="partner_count", note="Erin's")
    data = {
        "partner_count": "many",
        "note-partner_count": "",  # the page's (stale) empty note, untouched
        "base-partner_count": bases["partner_count"],
        "partner_isolation": "required",
        "note-partner_isolation": "",
        "base-partner_isolation": bases["partner_isolation"],
        "go": "next",
    }
    response = client_alice.post(step_url(review), data)
    assert response.status_code == 302
    saved = {a.question: (a.choice, a.note) for a in review.answers.all()}
    assert saved == {"partner_count": ("many", "Erin's"), "partner_isolation": ("required", "")}


def test_a_plain_step_post_in_conflict_shows_theirs_and_keeps_mine(client_alice, review, erin):
    page = client_alice.get(step_url(review)).content.decode()
    stale = base_in(page, "partner_count")
    review_answer_save(review=review, user=erin, question="partner_count", choice="one")
    data = {"partner_count": "many", "base-partner_count": stale, "go": "next"}
    response = client_alice.post(step_url(review), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="many" checked' in html  # mine, still in the form
    assert 'data-conflict="partner_count"' in html and "Erin Endo" in html
    assert Answer.objects.get(review=review).choice == "one"
    # sending the form again (its base is now theirs) overwrites with mine
    data["base-partner_count"] = base_in(html, "partner_count")
    assert client_alice.post(step_url(review), data).status_code == 302
    assert Answer.objects.get(review=review).choice == "many"


def test_the_no_js_back_button_saves_first(client_alice, review):
    data = {"confidentiality": "high", "go": "back"}
    response = client_alice.post(step_url(review, "security"), data)
    assert response.status_code == 302
    assert response["Location"] == step_url(review, "linkage")
    assert Answer.objects.get(review=review, question="confidentiality").choice == "high"


def test_not_applicable_with_a_note_then_clear(client_alice, review):
    response = client_alice.post(
        answer_url(review, "partner_count"), {"partner_count": "~na"}, **HX
    )
    assert response.status_code == 200
    assert "理由をメモに" in response.content.decode()  # asks why, in the note
    answer = Answer.objects.get(review=review)
    assert answer.not_applicable and answer.choice == ""
    response = client_alice.post(
        answer_url(review, "partner_count"),
        {"clear": "partner_count"},
        HTTP_HX_TARGET="q-partner_count",
        **HX,
    )
    html = response.content.decode()
    assert 'id="q-partner_count"' in html and "checked" not in html
    answer.refresh_from_db()
    assert not answer.not_applicable and answer.choice == ""


def test_continue_goes_to_the_first_open_question(client_alice, review):
    url = reverse("reviews:continue", args=[review.pk])
    assert client_alice.get(url)["Location"] == step_url(review) + "#q-partner_count"
    first, second = wizard_outline(review)[:2]
    for question in first.question_keys:  # answered, or not applicable
        review_answer_save(review=review, user=review.owner, question=question, choice="~na")
    review_answer_save(review=review, user=review.owner, question=first.question_keys[0], choice="")
    expected = step_url(review, first.key) + f"#q-{first.question_keys[0]}"
    assert client_alice.get(url)["Location"] == expected  # cleared: open again
    review_answer_save(
        review=review, user=review.owner, question=first.question_keys[0], choice="~na"
    )
    expected = step_url(review, second.key) + f"#q-{second.question_keys[0]}"
    assert client_alice.get(url)["Location"] == expected
    for step in wizard_outline(review):
        for question in step.question_keys:
            review_answer_save(review=review, user=review.owner, question=question, choice="~na")
    assert client_alice.get(url)["Location"] == reverse("reviews:recommendation", args=[review.pk])


def next_buttons(html):
    return set(re.findall(r'data-next="(\w+)"', html))


def test_the_recommendation_page_says_what_next_for_each_role(client, review, alice, bob, carol):
    url = reverse("reviews:recommendation", args=[review.pk])
    client.force_login(alice)
    html = client.get(url).content.decode()
    assert next_buttons(html) == {"continue", "compare", "decision"}
    assert html.index('id="weights"') < html.index('id="recommendation"')
    for question, choice in S2.items():
        review_answer_save(review=review, user=alice, question=question, choice=choice)
    client.force_login(bob)
    assert next_buttons(client.get(url).content.decode()) == {"compare"}
    client.force_login(carol)
    assert next_buttons(client.get(url).content.decode()) == {"compare"}


def test_weights_save_updates_the_ranking_and_the_audit_trail(client_alice, review, catalog):
    criteria = [c.key for c in catalog.criteria.all()]
    data = {f"weight_{key}": 1 for key in criteria} | {f"weight_{criteria[0]}": 3}
    response = client_alice.post(reverse("reviews:weights", args=[review.pk]), data, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="recommendation" hx-swap-oob="true"' in html
    review.refresh_from_db()
    assert review.weights[criteria[0]] == 3
    event = ReviewEvent.objects.get(review=review, action=ReviewEvent.Action.WEIGHTS)
    assert "1 → 3" in event.comment and event.actor.username == "alice"
    # the same weights again: nothing to record
    client_alice.post(reverse("reviews:weights", args=[review.pk]), data, **HX)
    assert ReviewEvent.objects.filter(review=review).count() == 1


def test_weights_are_for_reviewers_of_a_draft(client, review, bob, alice, catalog):
    url = reverse("reviews:weights", args=[review.pk])
    data = {f"weight_{c.key}": 2 for c in catalog.criteria.all()}
    client.force_login(bob)
    assert client.post(url, data).status_code == 403
    Review.objects.filter(pk=review.pk).update(status=Review.Status.IN_REVIEW)
    client.force_login(alice)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, **HX)
    assert response.status_code == 409 and 'id="weights"' in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()
    review.refresh_from_db()
    assert review.weights == {}


def test_an_expired_session_sends_htmx_to_the_login_page_and_back(client, review):
    response = client.post(
        answer_url(review, "partner_count"),
        {"partner_count": "many"},
        HTTP_HX_CURRENT_URL=f"http://testserver{step_url(review)}",
        **HX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=" + step_url(review)
    assert not Answer.objects.exists()
    plain = client.post(answer_url(review, "partner_count"), {"partner_count": "many"})
    assert plain.status_code == 302 and "HX-Redirect" not in plain


def test_the_weights_are_offered_on_the_first_step_before_the_ranking(client_alice, review):
    html = client_alice.get(step_url(review)).content.decode()
    assert html.index('id="weights"') < html.index('id="recommendation"')
    assert '<details class="card-body" open>' in html  # not set yet: open on the first step
    later = client_alice.get(step_url(review, "security")).content.decode()
    assert 'id="weights"' in later and '<details class="card-body">' in later
    assert 'name="page" value="step"' in later
