"""Moving a draft to the newest catalog version: what carries over, what is dropped."""

import pytest

from patterns.services import catalog_import
from reviews.models import Answer, ReviewStateError
from reviews.services.catalog_version import newest_catalog, review_catalog_move, version_change
from tests.catalog_data import kintone_catalog_11
from tests.reviews.lifecycle_helpers import answer

pytestmark = pytest.mark.django_db


def without_question(data, key, version):
    for step in data["steps"]:
        step["questions"] = [q for q in step["questions"] if q["key"] != key]
    data["version"] = version
    return data


def test_answers_the_new_version_lacks_are_dropped_and_listed(review, alice):
    answer(review, alice, {"partner_count": "many", "admin_capacity": "limited"})
    target = catalog_import(without_question(kintone_catalog_11(), "admin_capacity", "1.2.0"))[0]
    assert newest_catalog(review) == target
    change = version_change(review, target)
    assert change.carried == {"partner_count": "many"}
    assert [(d.question, d.choice, d.why) for d in change.dropped] == [
        ("admin_capacity", "limited", "question")
    ]
    assert change.new_questions == ()  # both versions ask the same questions otherwise
    review_catalog_move(review=review, user=alice, target=target)
    review.refresh_from_db()
    assert review.catalog == target
    assert list(Answer.objects.filter(review=review).values_list("question", flat=True)) == [
        "partner_count"
    ]


def test_weights_are_kept_for_the_criteria_the_new_version_has(review, alice):
    review.weights = {"security": 3, "cost": 0}
    review.save()
    target = catalog_import(kintone_catalog_11())[0]
    review_catalog_move(review=review, user=alice, target=target)
    review.refresh_from_db()
    assert review.weights == {"security": 3, "cost": 0}


def test_it_refuses_when_there_is_nothing_newer(review, alice, catalog):
    with pytest.raises(ReviewStateError):
        review_catalog_move(review=review, user=alice, target=catalog)
