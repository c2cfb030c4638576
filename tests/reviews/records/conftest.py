import pytest

from reviews.services import signoff


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(signoff, "record_pdf", lambda review, **kw: b"%PDF-1.7 fake")
