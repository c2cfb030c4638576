"""Error responses: branded pages in the user's language, JSON for the API.

`handler400/403/404/500` (config/urls.py) and `CSRF_FAILURE_VIEW` (settings) point here. A page
under /api/ gets `{"error": ...}` instead of HTML, and `ApiJsonErrorsMiddleware` does the same
for error responses made without an exception (405 from `require_POST`, a bare 400). An htmx
request gets only the message (the page's `error-body` partial), to swap in where it asked.
The 500 page renders without the request's context processors (no session, no user, no
database): whatever broke the request must not break its error page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
FALLBACK_500 = (
    '<!doctype html><html lang="ja"><meta charset="utf-8"><title>500 · Hakari</title>'
    '<h1>サーバーエラー / Server error</h1><p><a href="/">Hakari</a></p></html>'
)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_status(status: int) -> JsonResponse:
    """`{"error": "<reason phrase>"}` with the status: what the API says for any error."""
    try:
        message = HTTPStatus(status).phrase.lower()
    except ValueError:
        message = "error"
    return JsonResponse({"error": message}, status=status)


def _page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    if is_api(request):
        return json_status(status)
    if getattr(request, "htmx", False):
        template += "#error-body"
    body = loader.render_to_string(template, {"status": status}, request=request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "404.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a stale or missing security token (an old tab, cookies blocked)."""
    if is_api(request):
        return JsonResponse({"error": "csrf verification failed"}, status=403)
    return _page(request, 403, "403_csrf.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """No request context: the template sees only what is passed here."""
    if is_api(request):
        return json_status(500)
    try:
        body = loader.get_template("500.html").render({"status": 500, "title": _("Server error")})
    except Exception:  # the page must answer whatever failed  # noqa: BLE001
        logger.exception("the 500 page itself failed to render")
        body = FALLBACK_500
    return HttpResponse(body, status=500)


class ApiJsonErrorsMiddleware:
    """Error responses under /api/ that are not JSON already become `{"error": ...}` (405 from
    a method decorator, a 400 or 413 from a middleware), keeping the status and the headers
    that matter (Allow, WWW-Authenticate, Retry-After)."""

    KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replaced = json_status(response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                replaced[header] = response[header]
        return replaced
