"""The access matrix: every review URL x (anonymous, outsider, each role, staff).

The URL list is read from reviews/urls.py, so a new URL under /reviews/<pk>/ is covered by
the outsider and anonymous checks as soon as it exists.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, reverse

from reviews import urls as review_urls
from reviews.access import Action, can, check
from reviews.models import Review, ReviewStateError

pytestmark = pytest.mark.django_db

# A value for each URL parameter that review URLs use.
SAMPLE_KWARGS = {"step": "partners", "question": "partner_count", "fmt": "pdf", "risk": 1}


def review_url_names():
    names = []
    for pattern in review_urls.urlpatterns:
        if isinstance(pattern, URLPattern) and "<int:pk>" in str(pattern.pattern):
            names.append(pattern.name)
    return names


def url_for(name, review):
    pattern = next(p for p in review_urls.urlpatterns if p.name == name)
    kwargs = {"pk": review.pk}
    for param in pattern.pattern.converters:
        if param != "pk":
            assert param in SAMPLE_KWARGS, f"add a sample value for <{param}> to SAMPLE_KWARGS"
            kwargs[param] = SAMPLE_KWARGS[param]
    return reverse(f"reviews:{name}", kwargs=kwargs)


def test_the_matrix_covers_the_review_urls():
    names = review_url_names()
    assert {"detail", "edit", "step", "answer", "recommendation"} <= set(names)


@pytest.mark.parametrize("name", review_url_names())
def test_anonymous_users_are_sent_to_login(client, review, name):
    url = url_for(name, review)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (name, method)
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", review_url_names())
def test_outsiders_get_404_everywhere(client, review, charlie, name):
    client.force_login(charlie)
    url = url_for(name, review)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.post(url, HTTP_HX_REQUEST="true").status_code == 404


def test_a_missing_review_is_404_like_a_hidden_one(client, alice):
    client.force_login(alice)
    assert client.get(reverse("reviews:detail", args=[999999])).status_code == 404


# Expected status per role for the issue-3 URLs on a draft review.
# GET pages: every member and staff may read. Writes: only the team's reviewers.
MATRIX = {
    # name: (method, {role: status})
    "detail": ("get", {"reviewer": 200, "stakeholder": 200, "approver": 200, "staff": 200}),
    "step": ("get", {"reviewer": 200, "stakeholder": 200, "approver": 200, "staff": 200}),
    "recommendation": ("get", {"reviewer": 200, "stakeholder": 200, "approver": 200, "staff": 200}),
    "edit": ("get", {"reviewer": 200, "stakeholder": 403, "approver": 403, "staff": 403}),
    "answer": ("post", {"reviewer": 200, "stakeholder": 403, "approver": 403, "staff": 403}),
}


@pytest.fixture
def users(alice, bob, carol, staff):
    return {"reviewer": alice, "stakeholder": bob, "approver": carol, "staff": staff}


@pytest.mark.parametrize("name", MATRIX)
@pytest.mark.parametrize("role", ["reviewer", "stakeholder", "approver", "staff"])
def test_members_by_role(client, review, users, name, role):
    method, expected = MATRIX[name]
    client.force_login(users[role])
    url = url_for(name, review)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, {"partner_count": "one"}, HTTP_HX_REQUEST="true")
    assert response.status_code == expected[role], (name, role)


def test_can_follows_role_and_status(review, alice, bob, carol):
    assert can(alice, review, Action.ANSWER)
    assert not can(bob, review, Action.ANSWER)
    assert not can(carol, review, Action.SIGN)  # not in review yet
    review.status = Review.Status.IN_REVIEW
    assert not can(alice, review, Action.ANSWER)
    assert can(carol, review, Action.SIGN)
    for user in (alice, bob, carol):
        assert can(user, review, Action.VIEW)


def test_visible_to(review, alice, charlie, staff):
    assert list(Review.objects.visible_to(alice)) == [review]
    assert list(Review.objects.visible_to(charlie)) == []
    assert list(Review.objects.visible_to(staff)) == [review]


def test_who_may_estimate(review, alice, bob, carol, staff):
    for user in (alice, bob):
        assert can(user, review, Action.ESTIMATE)
        check(user, review, Action.ESTIMATE)
    for user in (carol, staff):
        assert not can(user, review, Action.ESTIMATE)
        with pytest.raises(PermissionDenied):
            check(user, review, Action.ESTIMATE)
    review.status = Review.Status.IN_REVIEW
    assert not can(bob, review, Action.ESTIMATE)
    with pytest.raises(ReviewStateError):
        check(bob, review, Action.ESTIMATE)
    with pytest.raises(PermissionDenied):
        check(carol, review, Action.ESTIMATE)
    assert not can(bob, review, Action.ANSWER)  # estimating is not answering
