"""Login throttling with django-axes: the login form, HTTP Basic on the API and the sign-off
password re-entry all count towards one lockout per (username, client address).

`AxesStandaloneBackend` refuses a locked-out pair before any password hash is computed;
`lockout_response` (AXES_LOCKOUT_CALLABLE) answers 429 with a Retry-After header and a message
saying when to try again; `check_password_throttled` is the sign-off's password check.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "hakari_current_request", default=None
)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind PROXY_COUNT proxies, the address the outermost proxy saw."""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def retry_after() -> timedelta:
    """How long a locked-out pair waits (from now: every refused try restarts the wait)."""
    return get_cool_off() or timedelta(minutes=15)


def retry_message() -> str:
    """'Too many failed attempts; try again at HH:MM (in N minutes).'"""
    wait = retry_after()
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    at = formats.time_format(timezone.localtime(timezone.now() + wait), "H:i")
    return ngettext(
        "Too many wrong passwords. Try again at %(time)s (in %(minutes)d minute).",
        "Too many wrong passwords. Try again at %(time)s (in %(minutes)d minutes).",
        minutes,
    ) % {"time": at, "minutes": minutes}


def _with_retry_after(response: HttpResponse) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(math.ceil(retry_after().total_seconds()))
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After. The API answers JSON; the sign-off page
    keeps its own answer (its form already says when to retry); the login page says it."""
    message = retry_message()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": message, "retry_after": math.ceil(retry_after().total_seconds())},
            json_dumps_params={"ensure_ascii": False},
        )
        response["WWW-Authenticate"] = 'Basic realm="hakari"'
    elif original_response is not None and getattr(request, "hakari_signoff_check", False):
        response = original_response
    else:
        response = render(request, "registration/locked_out.html", {"message": message})
    return _with_retry_after(response)


class CurrentRequestMiddleware:
    """Makes the request known to `check_password_throttled` (services get no request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


class LockedOut(Exception):
    """The user's (username, address) pair is locked out; the message says when to retry."""


def check_password_throttled(user: Any, password: str) -> bool:
    """Whether `password` is `user`'s, counted by django-axes like a login (a wrong one is a
    failed attempt; too many lock the pair out). LockedOut when locked out, with the retry
    message. Outside a request (commands, demo data) a plain password check."""
    request = _current_request.get()
    if request is None:
        return bool(password) and user.check_password(password)
    request.hakari_signoff_check = True  # type: ignore[attr-defined]
    found = authenticate(request, username=user.get_username(), password=password)
    if getattr(request, "axes_locked_out", False):
        raise LockedOut(retry_message())
    return found is not None and found.pk == user.pk


def check_signing_password(user: Any, password: str) -> None:
    """The sign-off's password re-entry, throttled like a login: ValidationError on the
    `password` field when it is wrong, or when too many wrong ones locked the user out (then
    the message says when to try again). Call it outside the review's transaction, so that a
    failed attempt is recorded and no password hash runs under the row lock."""
    from django.core.exceptions import ValidationError

    try:
        ok = bool(password) and check_password_throttled(user, password)
    except LockedOut as exc:
        raise ValidationError({"password": str(exc)}) from exc
    if not ok:
        raise ValidationError({"password": _("That is not your password.")})
