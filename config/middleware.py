"""Security headers that Django's SecurityMiddleware does not send, and the isolation of
bidirectional-text controls in pages."""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (no inline script) and a Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


# U+202A-U+202E (embeddings, overrides) and U+2066-U+2069 (isolates), UTF-8 encoded.
BIDI_CONTROL = re.compile(rb"\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")
# Elements whose content is raw text (a tag inside would show, or change a form value).
RAW_TEXT = re.compile(rb"(<(textarea|title|script|style)\b[^>]*>.*?</\2\s*>)", re.S | re.I)
TEXT_NODE = re.compile(rb">([^<>]*)<")


def _isolate_text_nodes(html: bytes) -> bytes:
    def wrap(match: re.Match[bytes]) -> bytes:
        text = match.group(1)
        if not BIDI_CONTROL.search(text):
            return match.group(0)
        return b"><bdi>" + text + b"</bdi><"

    parts = RAW_TEXT.split(html)
    out = []
    # split() with two groups yields: text, whole raw element, its tag name, text, ...
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(TEXT_NODE.sub(wrap, part))
        elif kind == 1:
            out.append(part)
    return b"".join(out)


class BidiIsolationMiddleware:
    """A right-to-left override (or any other bidi control) in user text must not reorder the
    page around it: every HTML text node that holds one is wrapped in `<bdi>`, which ends
    whatever the text opened at its own end (Unicode UAX #9, X6a). Pages without such a
    character (nearly all) are passed through after one scan of their bytes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and BIDI_CONTROL.search(response.content)
        ):
            response.content = _isolate_text_nodes(response.content)
        return response
