"""Saving a review's cost-estimate inputs (reviews/views/costs.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def compare_url(review, query=""):
    return reverse("reviews:compare", args=[review.pk]) + (f"?{query}" if query else "")


def test_cost_save_queries(client_bob, review, django_assert_num_queries):
    client_bob.get(compare_url(review))  # warm the compiled catalog
    data = {
        "course": "standard",
        "internal_users": "3",
        "external_users": "3",
        "external_own_account": "0",
        "paid_plugins": "0",
        "p": ["guest_space", "inter_org_access"],
    }
    # 1 session, 2 user, 3 review with the user's role, 4 savepoint, 5 the review locked,
    # 6 the update, 7 release savepoint, 8 answers (for the order of the options)
    with django_assert_num_queries(8):
        response = client_bob.post(
            reverse("reviews:costs", args=[review.pk]), data, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
