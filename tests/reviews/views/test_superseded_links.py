"""A superseded review names its successor at the top, and the revision names what it revises."""

import pytest
from django.urls import reverse

from reviews.services import revisions
from tests.reviews.lifecycle_helpers import approved, decide

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("english", "fast_pdf")
def test_superseded_and_revision_link_to_each_other(client, review, alice, carol):
    first = approved(review, alice, [carol])
    second = revisions.review_revise(review=first, user=alice)
    client.force_login(alice)
    html = client.get(reverse("reviews:detail", args=[second.pk])).content.decode()
    assert 'id="supersedes"' in html and reverse("reviews:detail", args=[first.pk]) in html
    assert (
        'id="superseded-by"'
        not in client.get(reverse("reviews:detail", args=[first.pk])).content.decode()
    )  # the revision is not approved yet: nothing supersedes the first
    decide(second, alice)
    approved_second = approved_again(second, alice, carol)
    html = client.get(reverse("reviews:detail", args=[first.pk])).content.decode()
    banner = html.split('id="superseded-by"')[1].split("</p>")[0]
    assert f"Superseded by #{approved_second.pk}" in banner
    assert reverse("reviews:detail", args=[approved_second.pk]) in banner


def approved_again(review, reviewer, approver):
    from reviews.services import signoff
    from tests.reviews.lifecycle_helpers import sign

    signoff.review_request_signoff(review=review, user=reviewer, approvers=[approver])
    sign(review, approver)
    review.refresh_from_db()
    return review
