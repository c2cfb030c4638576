"""Fixtures of the service tests: a fast fake PDF renderer, the emails sent after commit."""

import pytest

from reviews.services import signoff
from tests.reviews.lifecycle_helpers import fake_pdf


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)


@pytest.fixture
def mail(mailoutbox, django_capture_on_commit_callbacks):
    """Emails are sent after the commit: run the on-commit callbacks of each action."""

    class Mail:
        outbox = mailoutbox

        def __call__(self):
            return django_capture_on_commit_callbacks(execute=True)

    return Mail()
