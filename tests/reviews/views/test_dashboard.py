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
    assert [row.pk for row in shown] == [review.pk for review in reversed(mine)]
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
    assert len(second.object_list) == 5 and not second.has_next() and second.has_previous()
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
    # 1 session, 2 user, 3 the page of reviews (+team, owner, catalog; no COUNT), 4 the user's
    # memberships (+team), 5 catalog versions, 6 the user's drafts (+ last event), 7 due risks
    with django_assert_num_queries(7):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    # filtered, searched, sorted, a later page: the same
    with django_assert_num_queries(7):
        client.get(reverse("home"), {"q": "a", "status": "draft", "sort": "title", "page": 2})
    # the htmx list alone: session, user, the page
    with django_assert_num_queries(3):
        client.get(
            reverse("home"), {"q": "x"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="review-list"
        )


@pytest.mark.usefixtures("english")
def test_the_dashboard_lists_what_waits_for_your_sign_off(
    client, review, alice, carol, dave, django_assert_num_queries
):
    ready(review, alice, [carol, dave])
    sign(review, carol)
    client.force_login(dave)
    # 1 session, 2 user, 3 the page, 4 memberships, 5 catalogs, 6 waiting for this approver's
    # sign-off (+team, owner), 7 due risks (an approver owns no drafts: not read)
    with django_assert_num_queries(7):
        html = client.get(reverse("home")).content.decode()
    assert 'id="awaiting-signature"' in html
    assert reverse("reviews:sign", args=[review.pk]) in html
    client.force_login(carol)  # carol has signed already
    assert 'id="awaiting-signature"' not in client.get(reverse("home")).content.decode()


@pytest.mark.usefixtures("english")
def test_a_sent_back_review_shows_with_its_reason_and_drafts_to_finish(
    client, review, alice, carol, catalog, team
):
    from reviews.services import signoff

    other = ReviewFactory(team=team, owner=alice, catalog=catalog, title="Still a draft")
    ready(review, alice, [carol])
    signoff.review_send_back(review=review, user=carol, reason="Cost line\nis missing")
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    sent_back = html.split('id="sent-back"')[1].split("</section>")[0]
    assert f'data-review="{review.pk}"' in sent_back and "Cost line" in sent_back
    to_answer = html.split('id="to-answer"')[1].split("</section>")[0]
    assert f'data-review="{other.pk}"' in to_answer
    assert f'data-review="{review.pk}"' not in to_answer


def test_filters_by_team_and_catalog_version_and_sorts(client, staff, catalog, many_reviews):
    a = ReviewFactory(catalog=catalog, title="Alpha")
    z = ReviewFactory(catalog=catalog, title="Zulu", team=a.team)
    many_reviews(2, title="Mid")
    client.force_login(staff)
    home = reverse("home")
    by_team = client.get(home, {"team": a.team_id}).context["page"].object_list
    assert {r.pk for r in by_team} == {a.pk, z.pk}
    by_title = client.get(home, {"sort": "title"}).context["page"].object_list
    assert [r.title for r in by_title] == ["Alpha", "Mid", "Mid", "Zulu"]
    oldest = client.get(home, {"sort": "old"}).context["page"].object_list
    assert oldest[0].pk == a.pk
    assert len(client.get(home, {"catalog": catalog.pk}).context["page"].object_list) == 4
    assert client.get(home, {"catalog": catalog.pk + 999}).context["page"].object_list == []
    # nonsense values are ignored, never an error
    response = client.get(home, {"team": "x", "catalog": "y", "sort": "z", "page": "-3"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 4


def test_next_page_links_keep_the_filters(client, alice, many_reviews):
    many_reviews(21, title="Vendor")
    client.force_login(alice)
    html = client.get(reverse("home"), {"q": "vendor", "sort": "old"}).content.decode()
    assert 'href="?q=vendor&amp;sort=old&amp;page=2"' in html


def test_the_list_is_cards_on_a_phone(client, alice, many_reviews):
    many_reviews(1)
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert "css/dashboard.css" in html
    assert 'data-label="' in html  # each cell names itself in the card layout


@pytest.mark.usefixtures("english")
def test_rows_escape_what_users_typed(client, alice, team, catalog):
    alice.first_name, alice.last_name = "<b>Al", "&Co"
    alice.save()
    ReviewFactory(team=team, owner=alice, catalog=catalog, title='<script>x</script> "q"')
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    row = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "&lt;script&gt;x&lt;/script&gt; &quot;q&quot;" in row and "<script>" not in row
    assert "&lt;b&gt;Al &amp;Co" in row and ">Draft</span>" in row


def test_the_row_dates_match_djangos_date_format():
    from datetime import UTC, datetime

    from django.utils import formats

    from reviews.templatetags.dashboard_tags import _date_formatter

    when = datetime(2026, 3, 4, 5, 6, tzinfo=UTC)
    for django_format in ("Y/m/d H:i", "Y-m-d H:i", "m/d/Y P", "j F Y, 100%"):
        assert _date_formatter(django_format)(when) == formats.date_format(when, django_format)
