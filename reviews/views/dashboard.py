"""The home page: what waits for the user, and the reviews they may see."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..dashboard import SORTS, Filters, filter_choices, review_page, user_memberships, waiting_for
from ..http import HtmxHttpRequest
from ..models import Membership, Review


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Waiting for me (to answer, sent back, to sign, re-review due), then the reviews the user
    may see: filter by status, team and catalog version, search by title, sort."""
    filters = Filters.from_params(request.GET)
    context = {"filters": filters, "query": filters.query}
    if request.htmx and request.htmx.target == "review-list":
        context["page"] = review_page(request.user, filters)
        return render(request, "reviews/dashboard.html#review-list", context)
    memberships = user_memberships(request.user)
    context |= {
        "page": review_page(request.user, filters, [m.team_id for m in memberships]),
        "statuses": Review.Status.choices,
        "sorts": list(SORTS),
        "can_create": any(m.role == Membership.Role.REVIEWER for m in memberships),
        "waiting": waiting_for(request.user, memberships),
        **filter_choices(request.user, memberships),
    }
    return render(request, "reviews/dashboard.html", context)
