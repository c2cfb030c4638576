"""Input at the edge: every request's text is checked once, before any view sees it.

- A body larger than MAX_REQUEST_BODY (per path prefix, else "default") is refused with 413
  from its Content-Length, before a byte of it is read.
- The path, query-string and form keys and values, uploaded file names and the strings (keys
  and values) of a JSON body must not contain characters no text field may hold: NUL and the
  other C0 controls except tab, line feed and carriage return, lone surrogates, U+FFFE and
  U+FFFF.
  Such a request gets 400 (JSON for the API, a short page otherwise), on every database
  alike (PostgreSQL cannot store NUL at all).

`clean_text(value)` is the same rule for code outside a request (commands, imports).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

INVALID_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def has_invalid_text(value: str) -> bool:
    return INVALID_TEXT.search(value) is not None


def json_strings(value: Any) -> Iterable[str]:
    """Every string in decoded JSON `value`, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def body_limit(path: str) -> int:
    limits: dict[str, int] = settings.MAX_REQUEST_BODY
    for prefix, limit in limits.items():
        if prefix != "default" and path.startswith(prefix):
            return limit
    return limits["default"]


def _content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _request_strings(request: HttpRequest) -> Iterable[str]:
    """Every string the request carries that a view may read."""
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    if request.method not in BODY_METHODS:
        return
    content_type = request.content_type or ""
    is_json = content_type == "application/json" or content_type.endswith("+json")
    if is_json or request.path.startswith("/api/"):  # scripts post JSON with any type
        try:
            yield from json_strings(json.loads(request.body))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return  # not JSON, or nested past any sense: the view says so
        return
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():
            yield key
            yield from values
        for key, files in request.FILES.lists():
            yield key
            yield from (upload.name or "" for upload in files)


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and _content_length(request) > body_limit(request.path):
            return self._refuse(request, _("The request is too large."), 413)
        try:
            invalid = any(has_invalid_text(text) for text in _request_strings(request))
        except (RequestDataTooBig, TooManyFieldsSent):
            return self._refuse(request, _("The request is too large."), 413)
        if invalid:
            return self._refuse(
                request,
                _("The request contains characters that are not allowed (such as NUL)."),
                400,
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
            )
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
