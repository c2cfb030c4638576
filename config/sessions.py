"""The idle timeout: a signed-in session ends SESSION_COOKIE_AGE seconds after its last
request (SESSION_IDLE_TIMEOUT, default a working day).

Django sets a session's expiry when the session is saved; saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would cost a database write per page view. This middleware saves
it at most once every SESSION_REFRESH_SECONDS instead, so the timeout slides with activity to
within that margin.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

SEEN_KEY = "_hakari_seen"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if not isinstance(seen, int) or now - seen >= settings.SESSION_REFRESH_SECONDS:
                request.session[SEEN_KEY] = now  # modified: saved, with a new expiry
        return self.get_response(request)


def mark_seen_at_login(sender, request, user, **kwargs) -> None:
    """A new session starts seen now (saved with the login itself, no extra write)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
