import pytest

from reviews.services import signoff
from reviews.views import records as record_views
from tests.reviews.lifecycle_helpers import fake_pdf


@pytest.fixture
def fast_pdf(monkeypatch):
    """The PDF renderer faked, in the sign-off service and the record download."""
    monkeypatch.setattr(signoff, "record_pdf", fake_pdf)
    monkeypatch.setattr(record_views, "record_pdf", fake_pdf)


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def client_bob(client, bob):
    client.force_login(bob)
    return client
