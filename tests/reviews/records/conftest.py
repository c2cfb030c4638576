import pytest

from reviews.services import signoff
from tests.reviews.lifecycle_helpers import fake_pdf as fast_fake_pdf


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", fast_fake_pdf)
