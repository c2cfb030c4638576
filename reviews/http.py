"""What every review view shares: the typed request, the `review_view` decorator, and
`service_errors`, which turns a service's errors into form errors, messages and statuses.

A view under /reviews/<pk>/ is `@review_view(...)` over `def view(request, review, ...)`:
the decorator resolves the review for the user (404 for anyone outside its team, before
anything else, the method included), then checks the method (405), then the action (403 for
a role that may never do it; a ReviewStateError, when the review's status does not allow it
now, becomes a message and a redirect, or the view's own 409 fragment for htmx).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from .access import Action, check, check_signer, get_review_for_user
from .models import Review, ReviewStateError


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# Where a refused action sends the user: a URL name (reversed with the review's pk), or a
# callable (review, **url kwargs) -> URL.
RedirectTarget = str | Callable[..., str]
# The htmx answer to a refused action: (request, review, error, **url kwargs) -> response.
ConflictHandler = Callable[..., HttpResponse]


class HtmxLoginRedirectMiddleware:
    """An htmx request whose session has expired (logged out in another tab) gets the login
    page as a full-page redirect (`HX-Redirect`) that comes back to the page it was made
    from, instead of the login form swapped into a fragment. Placed just before Django's
    LoginRequiredMiddleware, whose redirect it replaces."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if not htmx or response.status_code != 302 or request.user.is_authenticated:
            return response
        login = resolve_url(settings.LOGIN_URL)
        if not response.get("Location", "").startswith(login):
            return response
        back = htmx.current_url_abs_path or request.get_full_path()
        return HttpResponseClientRedirect(redirect_to_login(back, login)["Location"])


def site_url(request: HttpRequest) -> str:
    """The site's root URL, for links in emails and records."""
    return request.build_absolute_uri("/").rstrip("/")


def _check(user: Any, review: Review, action: Action) -> None:
    """`access.check`; signing (or sending back) also needs the user's pending sign-off."""
    if action == Action.SIGN:
        check_signer(user, review)
    else:
        check(user, review, action)


def review_view(
    methods: Sequence[str] | None = ("GET",),
    *,
    action: Action = Action.VIEW,
    post_action: Action | None = None,
    on_state_error: RedirectTarget | None = None,
    htmx_conflict: ConflictHandler | None = None,
) -> Callable:
    """Decorate `view(request, review, **kwargs)`, routed with `<int:pk>`.

    `methods`: the allowed HTTP methods (None: any). `action`: what the user must be allowed
    to do, for every method; `post_action` overrides it for POST (a page that every member
    reads but only some write). When the review's status does not allow the action now: a
    message and a redirect to `on_state_error` (None: 403, as for a role), or for htmx
    requests `htmx_conflict`'s response when given.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HtmxHttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            review = get_review_for_user(request.user, pk)
            if methods is not None and request.method not in methods:
                return HttpResponseNotAllowed(methods)
            needed = post_action if post_action and request.method == "POST" else action
            try:
                _check(request.user, review, needed)
            except ReviewStateError as exc:
                if on_state_error is None:
                    raise PermissionDenied from exc
                if request.htmx and htmx_conflict is not None:
                    return htmx_conflict(request, review, exc, **kwargs)
                messages.error(request, str(exc))
                return redirect(_target(on_state_error, review, kwargs))
            return view(request, review, **kwargs)

        return wrapper

    return decorator


def _target(target: RedirectTarget, review: Review, kwargs: dict[str, Any]) -> str:
    if callable(target):
        return target(review, **kwargs)
    return reverse(target, args=[review.pk])


class service_errors:  # noqa: N801 (used as a function: `with service_errors(...)`)
    """`with service_errors(request, form) as outcome: service(...)`.

    A ValidationError or ReviewStateError raised in the block is caught and shown: on `form`
    when there is one (per field where the ValidationError names one of its fields), else as
    an error message; with `quiet=True` nowhere (the view shows `outcome.message` or
    `outcome.field_errors` itself). Then `outcome.failed` is true and `outcome.status` says
    400 (bad input) or 409 (the review's status). Anything else (RecordRenderError) passes.
    """

    def __init__(self, request: HttpRequest, form: Any = None, *, quiet: bool = False):
        self.request = request
        self.form = form
        self.quiet = quiet
        self.error: ValidationError | ReviewStateError | None = None

    def __enter__(self) -> service_errors:
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: Any) -> bool:
        if not isinstance(exc, ValidationError | ReviewStateError):
            return False
        self.error = exc
        if self.quiet:
            pass
        elif self.form is not None:
            _add_to_form(self.form, exc)
        else:
            messages.error(self.request, self.message)
        return True

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        if self.error is None:
            return 200
        return 400 if isinstance(self.error, ValidationError) else 409

    @property
    def message(self) -> str:
        if isinstance(self.error, ValidationError):
            return " ".join(self.error.messages)
        return str(self.error) if self.error is not None else ""

    @property
    def field_errors(self) -> dict[str, str]:
        """The first message per field (NON_FIELD_ERRORS for the rest)."""
        if isinstance(self.error, ValidationError) and hasattr(self.error, "error_dict"):
            return {key: found[0] for key, found in self.error.message_dict.items()}
        return {NON_FIELD_ERRORS: self.message} if self.error is not None else {}


def _add_to_form(form: Any, exc: ValidationError | ReviewStateError) -> None:
    if isinstance(exc, ReviewStateError):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
