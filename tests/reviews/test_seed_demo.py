import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.models import DecisionRecord, Membership, Review, Signature
from reviews.services import signoff
from tests.reviews.lifecycle_helpers import fake_pdf

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_it_creates_users_per_role_and_reviews_and_is_idempotent(catalog):
    first = seed()
    assert set(first["users"]) >= {"reviewer", "stakeholder", "approver"}
    assert first["password"]
    assert "draft" in first["reviews"]
    again = seed()
    assert again == first
    assert Review.objects.filter(pk=first["reviews"]["draft"]).exists()
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"reviewer", "stakeholder", "approver"}


def test_it_is_refused_where_real_accounts_exist_even_forced(catalog, alice):
    with pytest.raises(CommandError) as info:
        call_command("seed_demo", "--force")
    assert info.value.returncode == 2
    assert "alice" in str(info.value)
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()


def test_it_is_refused_with_debug_off_unless_forced(catalog):
    with pytest.raises(CommandError) as info:
        call_command("seed_demo")
    assert info.value.returncode == 2


@pytest.mark.usefixtures("english")
def test_seed_demo_creates_every_state_and_a_signed_record(catalog, monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)

    def seed():
        out = io.StringIO()
        call_command("seed_demo", "--force", stdout=out)
        return out.getvalue().strip().splitlines()

    lines = seed()
    result = json.loads(lines[-1])
    assert set(result["reviews"]) == {"draft", "in_review", "approved", "superseded"}
    statuses = dict(Review.objects.values_list("pk", "status"))
    for status, pk in result["reviews"].items():
        assert statuses[pk] == status
    record = DecisionRecord.objects.get(review_id=result["reviews"]["approved"])
    assert record.sha256 in lines[-2] and lines[-2].startswith("Approved record:")
    approved_review = Review.objects.get(pk=result["reviews"]["approved"])
    assert approved_review.revision_of_id == result["reviews"]["superseded"]
    pending = Signature.objects.filter(review_id=result["reviews"]["in_review"])
    assert sorted(pending.values_list("state", flat=True)) == ["pending", "signed"]
    again = seed()
    assert json.loads(again[-1]) == result  # idempotent
    assert DecisionRecord.objects.count() == 2
