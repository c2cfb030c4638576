"""The installation CA (reviews/signing/pki.py) and `manage.py pki`."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.signing import pki


@pytest.fixture
def own_dir(settings, tmp_path):
    settings.HAKARI_PKI_DIR = str(tmp_path / "pki")
    settings.HAKARI_PKI_AUTO_INIT = False
    yield tmp_path / "pki"
    pki._cache.clear()


def test_without_a_ca_signing_says_to_run_pki_init(own_dir):
    with pytest.raises(pki.PkiError, match="pki init"):
        pki.authority()


def test_pki_init_makes_an_encrypted_ca_once_and_prints_its_fingerprint(own_dir):
    out = io.StringIO()
    call_command("pki", "init", stdout=out)
    ca = pki.authority()
    assert pki.pretty_fingerprint(ca.ca_fingerprint) in out.getvalue()
    key = (own_dir / "ca-key.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in key
    with pytest.raises(TypeError):  # no key without the passphrase
        serialization.load_pem_private_key(key, password=None)
    assert oct((own_dir / "ca-key.pem").stat().st_mode & 0o777) == "0o600"
    with pytest.raises(CommandError, match="exists already"):
        call_command("pki", "init", stdout=io.StringIO())
    out = io.StringIO()
    call_command("pki", "show", stdout=out)
    assert pki.pretty_fingerprint(ca.ca_fingerprint) in out.getvalue()


def test_a_wrong_passphrase_opens_nothing(own_dir, settings):
    pki.init_ca()
    settings.HAKARI_PKI_PASSPHRASE = "not the one"
    pki._cache.clear()
    with pytest.raises(pki.PkiError, match="PASSPHRASE"):
        pki.authority().key(pki.CA_KEY)
