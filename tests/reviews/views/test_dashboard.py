"""The dashboard: visibility, filters, search, pagination, constant queries."""

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.factories import ReviewFactory, TeamFactory
from tests.reviews.lifecycle_helpers import ready, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_reviews(catalog, team, alice):
    def make(count, **kwargs):
        return [
            ReviewFactory(team=team, owner=alice, catalog=catalog, **kwargs) for _ in range(count)
        ]

    return make


def test_it_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302


def test_it_lists_only_the_teams_reviews_newest_first(client, alice, catalog, many_reviews):
    mine = many_reviews(3)
    other_team = TeamFactory()
    hidden = ReviewFactory(team=other_team, catalog=catalog, title="Secret of another team")
    client.force_login(alice)
    response = client.get(reverse("home"))
    shown = list(response.context["page"].object_list)
    assert shown == list(reversed(mine))
    assert hidden.title not in response.content.decode()


def test_staff_see_every_team(client, staff, catalog, many_reviews):
    many_reviews(2)
    ReviewFactory(catalog=catalog)
    client.force_login(staff)
    assert len(client.get(reverse("home")).context["page"].object_list) == 3


def test_filter_by_status_and_search_by_title(client, alice, many_reviews):
    many_reviews(2, title="Vendor portal")
    many_reviews(1, title="Price lists", status=Review.Status.APPROVED)
    client.force_login(alice)
    approved = client.get(reverse("home"), {"status": "approved"}).context["page"].object_list
    assert [r.title for r in approved] == ["Price lists"]
    found = client.get(reverse("home"), {"q": "vendor"}).context["page"].object_list
    assert [r.title for r in found] == ["Vendor portal", "Vendor portal"]
    # an unknown status is ignored rather than an error
    assert len(client.get(reverse("home"), {"status": "bogus"}).context["page"].object_list) == 3


def test_it_paginates(client, alice, many_reviews):
    many_reviews(25)
    client.force_login(alice)
    first = client.get(reverse("home")).context["page"]
    assert len(first.object_list) == 20 and first.has_next()
    second = client.get(reverse("home"), {"page": 2}).context["page"]
    assert len(second.object_list) == 5
    assert client.get(reverse("home"), {"page": "zz"}).status_code == 200


def test_htmx_requests_get_only_the_list(client, alice, many_reviews):
    many_reviews(1, title="Only the list")
    client.force_login(alice)
    response = client.get(
        reverse("home"), {"q": "only"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="review-list"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="review-list">')
    assert "Only the list" in html and "<nav" not in html.split("review-list")[0]


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_depend_on_the_reviews(
    client, alice, many_reviews, django_assert_num_queries, count
):
    many_reviews(count)
    client.force_login(alice)
    # 1 session, 2 user, 3 count for the paginator, 4 the page of reviews (+team, owner),
    # 5 may the user create reviews
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.usefixtures("english")
def test_the_dashboard_lists_what_waits_for_your_sign_off(
    client, review, alice, carol, dave, django_assert_num_queries
):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    client.force_login(dave)
    # 1 session, 2 user, 3 count for the paginator, 4 the page of reviews, 5 the user's roles,
    # 6 the reviews waiting for this approver's sign-off (+team, owner)
    with django_assert_num_queries(6):
        html = client.get(reverse("home")).content.decode()
    assert 'id="awaiting-signature"' in html
    assert reverse("reviews:sign", args=[review.pk]) in html
    client.force_login(carol)  # carol has signed already
    assert 'id="awaiting-signature"' not in client.get(reverse("home")).content.decode()
