"""The floor of `make bench`: the cheapest page a signed-in user can get, through the same
middleware, session and user lookup as every other page."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")
