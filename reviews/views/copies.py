"""Starting a review from another: cloning a review, saving it as a team template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..access import Action
from ..forms.templates import TemplateCreateForm
from ..http import HtmxHttpRequest, review_view, service_errors
from ..models import Review
from ..services.templates import review_clone, template_create


@review_view(("POST",), action=Action.CLONE)
def review_clone_view(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """A new draft with this review's answers and notes; the cloner owns it."""
    with service_errors(request) as outcome:
        new = review_clone(review=review, user=request.user)
    if outcome.failed:
        return redirect("reviews:detail", review.pk)
    messages.success(request, _("This is a new draft copied from #%(id)s.") % {"id": review.pk})
    return redirect("reviews:detail", new.pk)


@review_view(("GET", "POST"), action=Action.TEMPLATE)
def template_create_view(request: HtmxHttpRequest, review: Review) -> HttpResponse:
    """Save the review's answers and weights as a template of its team."""
    form = TemplateCreateForm(request.POST or None, review_pk=review.pk)
    if request.method == "POST" and form.is_valid():
        with service_errors(request, form) as outcome:
            template = template_create(
                review=review, user=request.user, name=form.cleaned_data["name"]
            )
        if not outcome.failed:
            messages.success(
                request, _("Saved as the template “%(name)s”.") % {"name": template.name}
            )
            return redirect("reviews:detail", review.pk)
    status = 400 if request.method == "POST" else 200
    context = {"review": review, "form": form}
    return render(request, "reviews/template_create.html", context, status=status)
