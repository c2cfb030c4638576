import pytest


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client
