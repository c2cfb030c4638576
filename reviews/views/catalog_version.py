"""The catalog version a review uses: move a draft to the newest, re-check an approved one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import Action, can
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Review
from ..selectors import current_lang
from ..services.catalog_version import newest_catalog, review_catalog_move, version_change


@review_view(
    ("GET", "POST"), post_action=Action.MOVE_CATALOG, on_state_error="reviews:catalog_version"
)
def review_catalog_version(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    target = newest_catalog(review)
    if request.method == "POST":
        if target is None:
            messages.info(request, _("This review already uses the newest catalog version."))
            return redirect("reviews:catalog_version", review.pk)
        with service_errors(request) as outcome:
            review_catalog_move(review=review, user=request.user, target=target)
        if not outcome.failed:
            messages.success(
                request,
                _("The review now uses catalog version %(version)s.") % {"version": target.version},
            )
            return redirect("reviews:detail", review.pk)
    context = {
        "review": review,
        "target": target,
        "change": version_change(review, target, current_lang()) if target else None,
        "can_move": can(request.user, review, Action.MOVE_CATALOG, role=review.viewer_role),
    }
    return render(request, "reviews/catalog_version.html", context)
