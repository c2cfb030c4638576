"""A review's comparison page and its CSV export (reviews/views/compare.py)."""

import csv
import io

import pytest
from django.urls import reverse

from patterns import scoring
from patterns.kinds.kintone.scenarios import S2
from patterns.services import compiled_catalog
from reviews.models import Review
from reviews.services.answers import review_answers_save
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


ALL = ["guest_space", "inter_org_access", "external_service", "separate_domain"]


def compare_url(review, query=""):
    return reverse("reviews:compare", args=[review.pk]) + (f"?{query}" if query else "")


def catalog_compare_url(catalog, query=""):
    url = reverse("patterns:catalog_compare", args=[catalog.slug])
    return url + (f"?{query}" if query else "")


def answer(review, user, answers):
    review_answers_save(
        review=review, user=user, answers={q: (c, None) for q, c in answers.items()}
    )


def shown(response):
    return [column["key"] for column in response.context["columns"]]


def problems(response):
    return response.context["selection"].problems


@pytest.fixture
def english(client_bob):
    client_bob.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client_bob


def decisive(response):
    return {
        statement.key
        for column in response.context["columns"]
        for cell in column["cells"]
        for statement in cell["statements"]
        if statement.decisive
    }


def read_csv(response):
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    text = body.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text)))


def test_review_page_defaults_to_all_four_options(client_bob, review):
    response = client_bob.get(compare_url(review))
    assert response.status_code == 200
    assert shown(response) == ALL and problems(response) == []


def test_review_page_shows_only_the_chosen_options(client_bob, review):
    response = client_bob.get(compare_url(review, "p=separate_domain&p=guest_space"))
    assert response.status_code == 200
    assert shown(response) == ["guest_space", "separate_domain"]  # catalog order
    html = response.content.decode()
    assert html.count('<th scope="col" data-pattern=') == 2
    assert 'data-pattern="inter_org_access"' not in html.split("<table", 1)[1].split("</table")[0]
    # the picker keeps the choice, and the CSV link carries it
    assert 'value="guest_space" id="pick-guest_space" checked' in html
    assert 'value="inter_org_access" id="pick-inter_org_access">' in html
    assert "compare.csv?p=guest_space&amp;p=separate_domain" in html


def test_fewer_than_two_adds_the_best_ranked_and_says_so(client_bob, review, alice):
    answer(review, alice, S2)  # inter_org_access ranks first
    response = client_bob.get(compare_url(review, "p=guest_space"))
    assert response.status_code == 200
    assert shown(response) == ["guest_space", "inter_org_access"]
    html = response.content.decode()
    assert 'data-selection-problem="true"' in html
    assert "組織間のアクセス権を有効にする" in problems(response)[0]


def test_nothing_valid_chosen_still_shows_a_comparison(client_bob, review):
    response = client_bob.get(compare_url(review, "p=nope&p=%3Cscript%3E"))
    assert response.status_code == 200
    assert len(shown(response)) == 2
    assert len(problems(response)) == 2
    html = response.content.decode()
    assert "<script>" not in html.split('data-selection-problem="true"', 1)[1][:400]
    assert "&lt;script&gt;" in html


def test_order_by_score(client_bob, review, alice):
    answer(review, alice, S2)
    ranking = [
        e.pattern for e in client_bob.get(compare_url(review)).context["recommendation"].entries
    ]
    assert ranking[0] == "inter_org_access"
    response = client_bob.get(compare_url(review, "p=guest_space&p=inter_org_access&order=score"))
    assert shown(response) == ["inter_org_access", "guest_space"]
    html = response.content.decode()
    assert 'value="score" id="order-score" checked' in html


def test_highlights_follow_the_answers(client_bob, review, alice):
    assert decisive(client_bob.get(compare_url(review))) == set()

    answer(review, alice, {"internal_app_linkage": "required"})
    response = client_bob.get(compare_url(review))
    marked = decisive(response)
    # the exclusions cite these statements; the effects of the answer cite others
    assert {"gs-linkage-no-lookup", "sd-linkage-no-lookup"} <= marked
    html = response.content.decode()
    assert (
        'statement statement-demerit statement-decisive" data-statement="gs-linkage-no-lookup"'
        in html
    )
    rec = response.context["recommendation"]
    cited = {r.statement for e in rec.entries for r in e.reasons if r.effect}
    cited |= {x.statement for e in rec.entries for x in e.exclusions}
    assert marked == cited

    answer(review, alice, {"internal_app_linkage": "not_needed"})
    after = decisive(client_bob.get(compare_url(review)))
    assert "gs-linkage-no-lookup" not in after and after != marked


def test_a_criterion_weighted_zero_highlights_nothing(client_bob, review, alice):
    answer(review, alice, {"cost_priority": "high"})
    assert decisive(client_bob.get(compare_url(review)))
    Review.objects.filter(pk=review.pk).update(
        weights={"app_linkage": 1, "user_management": 1, "security": 1, "use_cases": 1, "cost": 0}
    )
    assert decisive(client_bob.get(compare_url(review))) == set()


def test_excluded_options_are_marked_with_the_reason(english, review, alice):
    answer(review, alice, S2)
    response = english.get(compare_url(review))
    html = response.content.decode()
    assert '<th scope="col" data-pattern="guest_space" data-excluded="true">' in html
    assert "Apps in a Guest Space cannot use Lookup or Related Records" in html
    assert '<th scope="col" data-pattern="inter_org_access">' in html


def test_the_chart_and_its_table(english, review, alice):
    answer(review, alice, S2)
    response = english.get(compare_url(review, "p=guest_space&p=inter_org_access"))
    html = response.content.decode()
    assert html.count("<svg") == 1 and 'role="img"' in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'data-pattern="guest_space"' in svg and 'data-pattern="external_service"' not in svg
    assert "Score by criterion, as a table" in html
    breakdown = response.context["breakdown"]
    assert [row["pattern"] for row in breakdown] == ["guest_space", "inter_org_access"]
    # the bars are the points per criterion; the score is the fit (0-100)
    result = scoring.rank(compiled_catalog(review.catalog), S2)
    for row in breakdown:
        entry = result.entry(row["pattern"])
        assert sum(row["by_criterion"]) == entry.earned and row["score"] == entry.score


def test_the_page_has_no_inline_styles_or_scripts(client_bob, review):
    html = client_bob.get(compare_url(review)).content.decode()
    assert "style=" not in html
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")
    assert 'media="print"' in html and "css/print.css" in html


def test_cost_figures_for_the_chosen_options(client_bob, review):
    review.cost_inputs = {
        "course": "standard",
        "internal_users": 12,
        "external_users": 30,
        "external_own_account": 5,
        "paid_plugins": 2,
    }
    review.save()
    response = client_bob.get(compare_url(review, "p=guest_space&p=separate_domain"))
    html = response.content.decode()
    assert [c["key"] for c in response.context["cost_columns"]] == [
        "guest_space",
        "separate_domain",
    ]
    assert "¥61,600" in html and "¥739,200" in html  # guest space: monthly, yearly
    assert "¥95,600" in html  # separate domain: no staff of yours entered there
    assert "2024-11-01" in html  # the as-of date beside the warning
    assert 'hx-post="' + reverse("reviews:costs", args=[review.pk]) + '"' in html
    assert response.context["can_estimate"] is True


def test_links_to_the_comparison(client_bob, review, catalog):
    detail = client_bob.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f'href="{compare_url(review)}"' in detail
    page = client_bob.get(reverse("patterns:catalog_detail", args=[catalog.slug]))
    assert f'href="{catalog_compare_url(catalog)}"' in page.content.decode()


def test_access(client, review, bob, carol, charlie, staff):
    url = compare_url(review)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    for user, status in ((charlie, 404), (bob, 200), (carol, 200), (staff, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        csv_status = client.get(reverse("reviews:compare_csv", args=[review.pk])).status_code
        assert csv_status == status
    client.force_login(bob)
    assert client.post(url).status_code == 405


def test_review_csv(client_bob, review, alice):
    answer(review, alice, S2)
    result = scoring.rank(compiled_catalog(review.catalog), S2).to_json()
    review.cost_inputs = {"internal_users": 12, "external_users": 30, "external_own_account": 5}
    review.save()
    response = client_bob.get(
        reverse("reviews:compare_csv", args=[review.pk]) + "?p=guest_space&p=inter_org_access"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hakari-review-{review.pk}-comparison.csv"'
    )
    rows = read_csv(response)
    assert len(rows) == 2 * 5  # two options x five criteria
    first = rows[0]
    assert first["pattern"] == "guest_space"
    assert first["pattern_name_ja"] == "ゲストスペースでの運用"
    assert first["pattern_name_en"].startswith("Run the exchange in a Guest Space")
    assert first["criterion"] == "app_linkage" and first["criterion_name_ja"] == "アプリ連携性"
    assert first["statements_ja"].startswith("[デメリット] ")
    assert first["statements_en"].startswith("[Demerit] ")
    assert first["excluded"] == "yes"
    assert "ルックアップ" in first["excluded_because_ja"]
    assert "Lookup" in first["excluded_because_en"]
    assert "gs-linkage-no-lookup" in first["decisive_statements"].split()
    # scores: the option's score, and the sum of its reasons on each criterion
    by_pattern = {}
    for row in rows:
        by_pattern.setdefault(row["pattern"], []).append(row)
    for key, pattern_rows in by_pattern.items():
        total = sum(int(r["criterion_score"]) for r in pattern_rows)
        points = [e for e in result["ranking"] if e["pattern"] == key][0]["points"]
        assert total == points["earned"] and 0 <= int(pattern_rows[0]["score"]) <= 100
    # costs: 12 x 1,800 + 25 guests x 1,200 (no plugins) for the guest space
    assert first["cost_monthly"] == "51600" and first["cost_yearly"] == "619200"
    assert first["currency"] == "JPY"
    ioa = by_pattern["inter_org_access"][0]
    assert ioa["cost_monthly"] == str(42 * 1_800) and ioa["rank"] == "1"


def test_review_comparison_queries(client_bob, review, alice, django_assert_num_queries):
    url = compare_url(review)
    client_bob.get(url)  # compiles the catalog version once per process
    answer(review, alice, S2)
    for _ in range(3):
        MembershipFactory(team=review.team, user=UserFactory(), role="stakeholder")
    # 1 session, 2 user, 3 review (visible to the user) with team, owner, catalog and the
    # user's role in the team, 4 answers with who answered, 5 patterns,
    # 6 their use cases (prefetch), 7 criteria, 8 statements
    with django_assert_num_queries(8):
        response = client_bob.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(8):
        client_bob.get(compare_url(review, "p=guest_space&p=separate_domain&order=score"))
    with django_assert_num_queries(8):
        client_bob.get(reverse("reviews:compare_csv", args=[review.pk]))
