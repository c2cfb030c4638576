import pytest

from reviews import lifecycle


@pytest.fixture
def fake_pdf(monkeypatch):
    monkeypatch.setattr(lifecycle, "record_pdf", lambda review, **kw: b"%PDF-1.7 fake")
