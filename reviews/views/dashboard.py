"""The home page: the reviews the user may see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..http import HtmxHttpRequest
from ..models import Membership, Review

DASHBOARD_PAGE_SIZE = 20


@require_GET
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The reviews the user may see, newest first; filter by status, search by title."""
    reviews = Review.objects.visible_to(request.user).for_dashboard()
    status = request.GET.get("status", "")
    if status in Review.Status.values:
        reviews = reviews.filter(status=status)
    else:
        status = ""
    query = request.GET.get("q", "").strip()[:200]
    if query:
        reviews = reviews.filter(title__icontains=query)
    page = Paginator(reviews, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    roles = set(
        Membership.objects.filter(user_id=request.user.pk or 0).values_list("role", flat=True)
    )
    context = {
        "page": page,
        "status": status,
        "query": query,
        "statuses": Review.Status.choices,
        "can_create": Membership.Role.REVIEWER in roles,
        # approvers only: one more query, when the whole page renders (not the list partial)
        "awaiting_signature": Review.objects.awaiting_signature_from(request.user)[:20]
        if Membership.Role.APPROVER in roles
        else [],
    }
    template = "reviews/dashboard.html"
    if request.htmx and request.htmx.target == "review-list":
        template += "#review-list"
    return render(request, template, context)
