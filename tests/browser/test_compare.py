"""A stakeholder compares two options, reads the chart and updates the cost estimate live."""

import pytest

from patterns.kinds.kintone.scenarios import S2
from patterns.services import catalog_import
from reviews.services.answers import review_answers_save
from tests.catalog_data import kintone_catalog
from tests.factories import MembershipFactory, ReviewFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup_review(transactional_db):
    catalog, _ = catalog_import(kintone_catalog())
    team = TeamFactory(name="Acme IT", slug="acme")
    reviewer = UserFactory(username="rina")
    MembershipFactory(team=team, user=reviewer, role="reviewer")
    MembershipFactory(team=team, user=UserFactory(username="sato"), role="stakeholder")
    review = ReviewFactory(team=team, owner=reviewer, catalog=catalog, title="協力会社ポータル")
    review_answers_save(review=review, user=reviewer, answers={q: (c, None) for q, c in S2.items()})
    return review


def test_stakeholder_compares_two_options_and_updates_the_costs(
    page, live_server, login, setup_review, axe
):
    login(page, "sato")
    page.goto(f"{live_server.url}/reviews/{setup_review.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href='/reviews/{setup_review.pk}/compare/']")
    table = page.locator("table.comparison-table").first  # rendered once: no cards beside it
    assert table.locator("thead th[data-pattern]").count() == 4
    assert page.locator("th[data-pattern]").count() == 4
    assert axe(page) == []

    # keep two options
    page.uncheck("#pick-external_service")
    page.uncheck("#pick-separate_domain")
    with page.expect_navigation():
        page.click("form.compare-picker button[type=submit]")
    assert "p=guest_space" in page.url and "p=inter_org_access" in page.url
    headers = table.locator("thead th[data-pattern]")
    assert [headers.nth(i).get_attribute("data-pattern") for i in range(headers.count())] == [
        "guest_space",
        "inter_org_access",
    ]
    # the criteria where the two differ first, the others behind a disclosure: 5 in all
    differing = table.locator("tbody tr[data-differs=true]").count()
    assert differing >= 1 and table.locator("tbody tr").count() == differing
    assert page.locator("table.comparison-table tbody tr").count() == 5
    excluded = table.locator("th[data-pattern=guest_space]")
    assert excluded.get_attribute("data-excluded") == "true"
    assert page.locator("li.statement-decisive").count() > 0

    chart = page.locator("svg.score-chart")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    groups = chart.locator("g[data-pattern]")
    assert groups.count() == 2
    assert chart.locator("g[data-pattern=inter_org_access] rect").count() > 0
    assert page.locator(".cost-card").count() == 2

    # the estimate starts from the answers: 11-100 external users (S2) -> 50, not 10
    assert page.input_value("#id_external_users") == "50"
    # change the number of external users: the figures follow, without a reload
    page.evaluate("window.__stillHere = true")
    monthly = page.locator("[data-cost-pattern=inter_org_access] .cost-monthly")
    before = monthly.inner_text()
    with page.expect_response(lambda r: "/costs/" in r.url and r.request.method == "POST"):
        page.fill("#id_external_users", "60")
    page.wait_for_function(
        "before => document.querySelector("
        "'[data-cost-pattern=inter_org_access] .cost-monthly').textContent !== before",
        arg=before,
    )
    # (10 internal + 60 external) x 1,800 yen on the Standard course
    assert monthly.inner_text() == "¥126,000"
    assert page.evaluate("window.__stillHere") is True
    page.locator("#cost-status .text-success").wait_for()  # "Saved HH:MM:SS" (role=status)
    setup_review.refresh_from_db()
    assert setup_review.cost_inputs["external_users"] == 60

    # a wrong value is refused with a message, and nothing changes
    with page.expect_response(lambda r: "/costs/" in r.url and r.status == 400):
        page.fill("#id_external_own_account", "99")
    page.locator("#cost-results [role=alert]").wait_for()
    assert monthly.inner_text() == "¥126,000"
    setup_review.refresh_from_db()
    assert setup_review.cost_inputs.get("external_own_account") == 0
    assert axe(page) == []


def test_the_comparison_fits_a_phone(page, live_server, login, setup_review, axe):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "sato")
    query = "p=guest_space&p=separate_domain"
    page.goto(f"{live_server.url}/reviews/{setup_review.pk}/compare/?{query}")
    assert page.locator("th[data-pattern]").count() == 2  # one grid, not a table and cards
    assert page.locator("table.comparison-table").first.is_visible()
    # the phone chart replaces the wide SVG, and nothing makes the page scroll sideways
    assert page.locator(".phone-chart").is_visible()
    assert not page.locator("svg.score-chart").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height  # issue 11 measured 14,648 px
    cell = page.locator("td.compare-cell details").first
    assert not cell.locator("li.statement").first.is_visible()  # details on demand
    cell.locator("summary").click()
    assert cell.locator("li.statement").first.is_visible()
    assert axe(page) == []
