import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.models import Membership, Review

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


def test_it_is_refused_with_debug_off_unless_forced(catalog):
    with pytest.raises(CommandError) as info:
        call_command("seed_demo")
    assert info.value.returncode == 2
