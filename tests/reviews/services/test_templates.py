"""Cloning a review and starting one from a team template (reviews/services/templates.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from reviews.models import Answer, Review, ReviewEvent, ReviewTemplate
from reviews.records.canonical import stored_or_live
from reviews.records.markdown import record_markdown
from reviews.services.answers import review_answer_save
from reviews.services.templates import (
    review_clone,
    review_create_from_template,
    review_start,
    template_create,
)
from tests.factories import MembershipFactory, UserFactory
from tests.reviews.lifecycle_helpers import approved

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def answered(review, alice):
    review_answer_save(review=review, user=alice, question="partner_count", choice="few")
    review_answer_save(
        review=review, user=alice, question="partner_isolation", choice="required", note="Legal"
    )
    review_answer_save(review=review, user=alice, question="admin_capacity", note="Only a note")
    review.weights = {"cost": 3}
    review.cost_inputs = {"external_users": 40}
    review.save()
    return review


@pytest.fixture
def erin(team):
    """A second reviewer of the team."""
    user = UserFactory(username="erin")
    MembershipFactory(team=team, user=user, role="reviewer")
    return user


def answers_of(review):
    return {a.question: (a.choice, a.note) for a in Answer.objects.filter(review=review)}


def test_it_clones_answers_and_notes_into_a_new_draft(answered, erin):
    new = review_clone(review=answered, user=erin)
    assert new.pk != answered.pk and new.status == Review.Status.DRAFT
    assert (new.team, new.catalog, new.owner) == (answered.team, answered.catalog, erin)
    assert new.title == "Copy of Partner portal" and new.revision_of is None
    assert answers_of(new) == answers_of(answered)
    assert {a.answered_by for a in Answer.objects.filter(review=new)} == {erin}
    assert new.weights == {"cost": 3} and new.cost_inputs == {"external_users": 40}
    event = ReviewEvent.objects.get(review=new)
    assert (event.action, event.actor, event.to_status) == ("clone", erin, "draft")
    assert event.comment == f"#{answered.pk}"
    assert answers_of(answered)["partner_count"] == ("few", "")  # the source is untouched


def test_an_approved_review_can_be_cloned_but_not_by_others(answered, alice, bob, carol, charlie):
    approved(answered, alice, [carol])
    new = review_clone(review=answered, user=alice)
    assert new.status == Review.Status.DRAFT and answers_of(new) == answers_of(answered)
    for user in (bob, carol, charlie):
        with pytest.raises(PermissionDenied):
            review_clone(review=answered, user=user)


def test_it_saves_a_template_and_starts_a_review_from_it(answered, alice, erin):
    template = template_create(review=answered, user=alice, name=" Standard partner ")
    assert template.name == "Standard partner" and template.catalog == answered.catalog
    assert template.answers == {
        "partner_count": {"choice": "few", "note": ""},
        "partner_isolation": {"choice": "required", "note": "Legal"},
        "admin_capacity": {"choice": "", "note": "Only a note"},
    }
    new = review_create_from_template(template=template, owner=erin, title="Second partner")
    assert new.owner == erin and new.catalog == answered.catalog and new.weights == {"cost": 3}
    assert answers_of(new) == answers_of(answered)
    event = ReviewEvent.objects.get(review=new)
    assert (event.action, event.comment) == ("from_template", "Standard partner")


def test_a_template_name_is_unique_in_its_team(answered, alice):
    template_create(review=answered, user=alice, name="Standard")
    with pytest.raises(ValidationError) as error:
        template_create(review=answered, user=alice, name="Standard")
    assert "name" in error.value.message_dict
    assert ReviewTemplate.objects.count() == 1


def test_only_reviewers_save_templates(answered, bob, carol):
    for user in (bob, carol):
        with pytest.raises(PermissionDenied):
            template_create(review=answered, user=user, name="Mine")


def test_answers_the_catalog_does_not_know_are_skipped(answered, alice):
    template = template_create(review=answered, user=alice, name="Edited")
    template.answers["no_such_question"] = {"choice": "x", "note": ""}
    template.answers["partner_count"] = {"choice": "no_such_choice", "note": ""}
    template.save()
    new = review_create_from_template(template=template, owner=alice, title="From edited")
    assert set(answers_of(new)) == {"partner_isolation", "admin_capacity"}


def test_start_refuses_another_teams_template(answered, alice, charlie, catalog):
    template = template_create(review=answered, user=alice, name="Ours")
    other_team = charlie.memberships.get().team
    with pytest.raises(ValidationError):
        review_start(owner=charlie, team=other_team, title="T", catalog=catalog, template=template)
    blank = review_start(owner=alice, team=answered.team, title="Blank", catalog=catalog)
    assert not Answer.objects.filter(review=blank).exists()


def test_the_record_of_a_clone_says_where_it_came_from(answered, erin):
    new = review_clone(review=answered, user=erin)
    content, _stored = stored_or_live(new)
    with translation.override(new.language):
        label = gettext("cloned a review")
    assert f"{label} (— → " in record_markdown(content)
    assert f": #{answered.pk}" in record_markdown(content).replace("\\", "")  # md escapes #
