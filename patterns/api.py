"""Authentication for the JSON API: the session, or HTTP Basic for scripts."""

from __future__ import annotations

import base64
import binascii
from functools import wraps

from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse


def json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _basic_auth_user(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    return authenticate(request, username=username, password=password)


def api_login_required(view):
    """A logged-in session or valid Basic credentials, else 401 with a JSON error."""

    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            user = _basic_auth_user(request)
            if user is None or not user.is_active:
                response = json_error("authentication required", status=401)
                response["WWW-Authenticate"] = 'Basic realm="hakari"'
                return response
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper
