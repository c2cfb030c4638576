"""A review's comparison page: 2-4 options side by side, the score chart, the cost estimate,
and the same as CSV. Everyone in the review's team (and site staff) may look and export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from patterns.compare import csv_response

from ..compare_page import compare_page_context
from ..comparison import review_comparison
from ..exports import COMPARISON_HEADER, comparison_rows
from ..http import HtmxHttpRequest, review_view
from ..models import Review


@review_view(("GET",))
def review_compare(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """2-4 options side by side (`?p=KEY&p=KEY`, `?order=score`): shareable by its URL."""
    context = compare_page_context(review, request.user, request.GET)
    return render(request, "reviews/compare.html", context)


@review_view(("GET",))
def review_compare_csv(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """The comparison as CSV (UTF-8 with BOM): one row per option x criterion, both languages."""
    rows = comparison_rows(review, review_comparison(review, request.user, request.GET))
    return csv_response(f"hakari-review-{review.pk}-comparison.csv", COMPARISON_HEADER, rows)
