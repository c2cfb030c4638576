"""The review's comparison condensed (reviews/comparison.py): one grid, the criteria where
the chosen options differ first, markers only where they mean something, a phone chart."""

import pytest
from django.test.signals import template_rendered
from django.urls import reverse

from patterns.kinds.kintone.scenarios import S2
from reviews.models import Review
from reviews.services.answers import review_answers_save

pytestmark = pytest.mark.django_db


def compare(client, review, query=""):
    return client.get(reverse("reviews:compare", args=[review.pk]) + (f"?{query}" if query else ""))


def answer(review, answers):
    review_answers_save(
        review=review, user=review.owner, answers={q: (c, None) for q, c in answers.items()}
    )


def test_before_any_answer_every_criterion_shows_and_nothing_is_marked(client_bob, review):
    response = compare(client_bob, review)
    assert not response.context["any_differ"] and response.context["other_rows"] == []
    assert len(response.context["main_rows"]) == len(response.context["rows"])
    html = response.content.decode()
    assert "data-differs" not in html and "best-badge" not in html
    assert response.context["phone_chart"] == []


def test_the_rows_where_the_options_differ_come_first(client_bob, review):
    answer(review, S2)
    response = compare(client_bob, review)
    context = response.context
    assert context["any_differ"]
    for row in context["main_rows"]:
        assert row["differs"] and len({cell["score"] for cell in row["cells"]}) > 1
    for row in context["other_rows"]:
        assert not row["differs"]
        assert not any(s.decisive and s.because and not row["differs"] for c in row["cells"]
                       for s in c["statements"] if s.key not in _excluding(context))  # fmt: skip
    assert len(context["main_rows"]) + len(context["other_rows"]) == len(context["rows"])
    html = response.content.decode()
    assert html.count('<th scope="col" data-pattern=') == 4  # the grid is rendered once
    assert "compare-cards" not in html
    # one option left standing (S2 excludes the others): nothing to be "best" against
    assert not any(cell["best"] for row in context["rows"] for cell in row["cells"])


def test_best_here_marks_the_strongest_eligible_option_of_a_differing_row(client_bob, review):
    answer(review, {"cost_priority": "high"})
    context = compare(client_bob, review).context
    marked = [(row, cell) for row in context["main_rows"] for cell in row["cells"] if cell["best"]]
    assert marked
    for row, cell in marked:
        assert cell["score"] == max(c["score"] for c in row["cells"])
    assert "best-badge" in compare(client_bob, review).content.decode()


def _excluding(context):
    return {x.statement for e in context["recommendation"].entries for x in e.exclusions}


def test_a_criterion_weighted_zero_never_differs(client_bob, review):
    answer(review, S2)
    keys = [row["criterion"].key for row in compare(client_bob, review).context["main_rows"]]
    Review.objects.filter(pk=review.pk).update(weights=dict.fromkeys(keys, 0))
    context = compare(client_bob, review).context
    assert not any(row["differs"] for row in context["rows"] if row["criterion"].key in keys)


def test_the_phone_chart_has_bars_for_and_against(client_bob, review):
    answer(review, S2)
    chart = compare(client_bob, review).context["phone_chart"]
    assert [row["name"] for row in chart]
    sides = [sum(seg["width"] for seg in row[side]) for row in chart for side in ("for", "against")]
    assert all(total <= 100 + 5 for total in sides)  # each segment rounded up to at least 1
    assert max(sides) >= 95  # the widest side fills the bar


def test_the_page_renders_few_templates(client_bob, review):
    """Issue 11 measured ~210 templates for this page (a table and cards, an include per
    cell and per statement)."""
    answer(review, S2)
    seen = []

    def record(sender, template, context, **kwargs):
        seen.append(template.name)

    template_rendered.connect(record)
    try:
        response = compare(client_bob, review)
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    assert len(seen) < 50, len(seen)
    assert len(response.content) < 90_000
