"""Saving answers (reviews/services/answers.py): one field at a time, never a silent overwrite."""

import pytest
from django.core.exceptions import ValidationError

from reviews.models import Answer, FrozenReviewError, Review, ReviewStateError
from reviews.selectors import engine_answers, review_answers, review_recommendation
from reviews.services.answers import (
    NOT_APPLICABLE,
    Base,
    Edit,
    review_answer_save,
    review_answers_save,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(team):
    """A second reviewer of `team`."""
    user = UserFactory(username="erin", first_name="Erin", last_name="Endo")
    MembershipFactory(team=team, user=user, role="reviewer")
    return user


def stored(review, question="partner_count"):
    answer = Answer.objects.get(review=review, question=question)
    return answer.choice, answer.note, answer.version, answer.answered_by.username


def base_of(review, question="partner_count"):
    return Base.of(Answer.objects.filter(review=review, question=question).first())


def test_it_creates_then_updates_one_answer_counting_versions(review, alice, erin):
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    assert stored(review) == ("few", "", 1, "alice")
    review_answer_save(review=review, user=erin, question="partner_count", note="三社")
    assert stored(review) == ("few", "三社", 2, "erin")


def test_a_stale_note_is_a_conflict_and_theirs_stays(review, alice, erin):
    review_answer_save(review=review, user=alice, question="partner_count", note="first")
    alice_base = base_of(review)
    review_answer_save(
        review=review, user=erin, question="partner_count", note="erin's", base=base_of(review)
    )
    result = review_answer_save(
        review=review, user=alice, question="partner_count", note="alice's", base=alice_base
    )
    conflict = result.conflicts["partner_count"]
    assert conflict.fields == ("note",)
    assert conflict.theirs.note == "erin's" and conflict.theirs.answered_by.username == "erin"
    assert not result.saved
    assert stored(review)[1] == "erin's"
    # "overwrite with mine": the same note with the base of their answer
    result = review_answer_save(
        review=review, user=alice, question="partner_count", note="alice's", base=conflict.base
    )
    assert "partner_count" in result.saved and not result.conflicts
    assert stored(review)[1:] == ("alice's", 3, "alice")


def test_a_colleagues_change_of_the_other_field_is_no_conflict(review, alice, erin):
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    alice_base = base_of(review)
    review_answer_save(
        review=review, user=erin, question="partner_count", note="erin", base=base_of(review)
    )
    result = review_answer_save(
        review=review, user=alice, question="partner_count", choice="many", base=alice_base
    )
    assert not result.conflicts
    assert stored(review)[:2] == ("many", "erin")


def test_untouched_fields_of_a_stale_form_are_never_written(review, alice, erin):
    """A whole step posted from a page opened before a colleague's save ("save and
    continue", no JavaScript) leaves what the user did not change alone."""
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    page = {q: base_of(review, q) for q in ("partner_count", "partner_isolation")}
    review_answer_save(
        review=review,
        user=erin,
        question="partner_count",
        note="erin's",
        base=page["partner_count"],
    )
    result = review_answers_save(
        review=review,
        user=alice,
        edits={
            "partner_count": Edit("few", "", page["partner_count"]),  # as the page showed it
            "partner_isolation": Edit("required", "", page["partner_isolation"]),
        },
    )
    assert not result.conflicts
    assert set(result.saved) == {"partner_isolation"}
    assert stored(review)[:2] == ("few", "erin's")


def test_the_same_value_as_theirs_is_no_conflict(review, alice, erin):
    stale = base_of(review)
    review_answer_save(review=review, user=erin, question="partner_count", choice="many")
    result = review_answer_save(
        review=review, user=alice, question="partner_count", choice="many", base=stale
    )
    assert not result.conflicts and not result.saved
    assert stored(review)[3] == "erin"


def test_a_conflict_on_one_question_still_saves_the_others(review, alice, erin):
    stale = {q: base_of(review, q) for q in ("partner_count", "confidentiality")}
    review_answer_save(review=review, user=erin, question="partner_count", choice="one")
    result = review_answers_save(
        review=review,
        user=alice,
        edits={
            "partner_count": Edit("many", None, stale["partner_count"]),
            "confidentiality": Edit("high", None, stale["confidentiality"]),
        },
    )
    assert set(result.conflicts) == {"partner_count"} and set(result.saved) == {"confidentiality"}
    assert stored(review)[0] == "one"


def test_not_applicable_and_cleared_answers_are_unanswered_to_the_engine(review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="many")
    review_answer_save(review=review, user=alice, question="confidentiality", choice="high")
    review_answer_save(
        review=review, user=alice, question="partner_count", choice=NOT_APPLICABLE, note="社内のみ"
    )
    review_answer_save(review=review, user=alice, question="confidentiality", choice="")
    answers = review_answers(review)
    assert answers["partner_count"].not_applicable and answers["partner_count"].choice == ""
    assert answers["partner_count"].note == "社内のみ"
    assert engine_answers(answers) == {}
    assert review_recommendation(review, answers).result.answers == {}
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    assert not review_answers(review)["partner_count"].not_applicable


def test_bad_input_changes_nothing(review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="one")
    with pytest.raises(ValidationError) as caught:
        review_answers_save(
            review=review,
            user=alice,
            edits={"partner_count": Edit("few"), "confidentiality": Edit("purple")},
        )
    assert set(caught.value.message_dict) == {"confidentiality"}
    assert stored(review)[:3] == ("one", "", 1)


@pytest.mark.parametrize(
    ("status", "error"),
    [(Review.Status.IN_REVIEW, ReviewStateError), (Review.Status.APPROVED, FrozenReviewError)],
)
def test_a_review_that_is_not_a_draft_refuses(review, alice, status, error):
    Review.objects.filter(pk=review.pk).update(status=status)
    with pytest.raises(error):
        review_answer_save(review=review, user=alice, question="partner_count", choice="one")
    assert not Answer.objects.exists()


def test_base_tokens_round_trip_and_reject_garbage():
    base = Base(3, "many", "0123456789abcdef")
    assert Base.parse(str(base)) == base
    for token in ("", None, "x.y.z", "3.many", "-1.a.b"):
        assert Base.parse(token) is None
