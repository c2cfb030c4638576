"""The installation's own certificate authority, its time-stamping key and the approvers'
certificates.

`manage.py pki init` makes, in `settings.HAKARI_PKI_DIR` (from the environment, outside the
repository):

    ca.pem       the CA certificate (public: printed as a fingerprint on every record)
    ca-key.pem   its private key, PKCS#8 encrypted with HAKARI_PKI_PASSPHRASE
    tsa.pem      the local time-stamping authority's certificate, issued by the CA
    tsa-key.pem  its key, encrypted likewise

Each approver gets a certificate from the CA at their first sign-off (`signer_certificate`): the
certificate and the encrypted key are a `SignerCertificate` row, so a database dump holds no
key in clear. Where the organisation's own infrastructure plugs in (README, "Signing keys"):

- its own CA: put its certificate and encrypted key in the directory as ca.pem / ca-key.pem
  (an issuing CA below the organisation's root works: trust that root, or ca.pem, to verify);
- an HSM: `signer_for(user)` is the one place that builds the signer; return a
  `pyhanko.sign.pkcs11.PKCS11Signer` for the approver's key on the token instead;
- an RFC 3161 time-stamp server: set HAKARI_TSA_URL (`tsa.timestamper()`), and put its
  issuing CA in the directory as trust-*.pem so that verification trusts it.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
TSA_CERT = "tsa.pem"
TSA_KEY = "tsa-key.pem"
DEFAULT_CA_NAME = "Hakari decision records CA"
CA_YEARS = 30
LEAF_YEARS = 10


def outside_event_loop(function: Any, *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)`, pyHanko's synchronous API (it runs `asyncio.run`): in this
    thread, or in a thread of its own when this one already runs an event loop (an async
    server, a browser test driving Playwright)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


class PkiError(Exception):
    """The installation's keys are missing or cannot be opened; the message says what to do."""


def pki_dir() -> Path:
    directory = getattr(settings, "HAKARI_PKI_DIR", "")
    if not directory:
        raise PkiError("Set HAKARI_PKI_DIR (the directory of the signing keys), then run pki init.")
    return Path(directory)


def _passphrase() -> bytes:
    value = getattr(settings, "HAKARI_PKI_PASSPHRASE", "")
    if not value:
        raise PkiError("Set HAKARI_PKI_PASSPHRASE: it encrypts the installation's private keys.")
    return str(value).encode("utf-8")


def fingerprint(cert: x509.Certificate) -> str:
    """The SHA-256 of the certificate (DER), 64 hex digits."""
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def pretty_fingerprint(value: str) -> str:
    """`AB:CD:...`, as `openssl x509 -fingerprint -sha256` prints it."""
    upper = value.upper()
    return ":".join(upper[i : i + 2] for i in range(0, len(upper), 2))


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate as pyHanko wants it."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


# --- making keys and certificates ---------------------------------------------------------------


def _encrypted_pem(key: Any) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )


def _load_key(pem: bytes) -> Any:
    try:
        return serialization.load_pem_private_key(pem, password=_passphrase())
    except (ValueError, TypeError) as exc:
        raise PkiError(
            "A private key could not be opened: is HAKARI_PKI_PASSPHRASE right?"
        ) from exc


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    fd = os.open(path, flags, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _name(common_name: str, organization: str, user_id: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)]
    if user_id:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, user_id))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key_usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def _issued(
    subject: x509.Name, public_key: Any, issuer: x509.Certificate, issuer_key: Any, **options: Any
) -> x509.Certificate:
    """A leaf certificate from the CA: digital signature and non-repudiation, `eku`."""
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * LEAF_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([options["eku"]]),
            critical=options["eku"] == ExtendedKeyUsageOID.TIME_STAMPING,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if options.get("email"):
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(options["email"])]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _self_signed_ca(name: str, key: Any) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    subject = _name(name, name)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def init_ca(name: str = DEFAULT_CA_NAME, *, force: bool = False) -> Authority:
    """Make the installation CA and its time-stamping key in `pki_dir()`. PkiError when one
    exists already (unless `force`: then every earlier record stops verifying against it)."""
    directory = pki_dir()
    if (directory / CA_CERT).exists() and not force:
        raise PkiError(f"A CA exists already in {directory} (pki show prints it).")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _self_signed_ca(name, ca_key)
    # The local TSA signs with RSA (what pyHanko's own-TSA token builder writes).
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _issued(
        _name(f"{name}: time-stamping", name),
        tsa_key.public_key(),
        ca_cert,
        ca_key,
        eku=ExtendedKeyUsageOID.TIME_STAMPING,
    )
    _write(directory / CA_KEY, _encrypted_pem(ca_key), secret=True)
    _write(directory / TSA_KEY, _encrypted_pem(tsa_key), secret=True)
    _write(directory / TSA_CERT, tsa_cert.public_bytes(serialization.Encoding.PEM), secret=False)
    _write(directory / CA_CERT, ca_cert.public_bytes(serialization.Encoding.PEM), secret=False)
    from .tsa import forget_timestampers

    with _lock:
        _cache.clear()
        forget_timestampers()
    return authority(create=False)


# --- the loaded authority -------------------------------------------------------------------------


@dataclass
class Authority:
    """The CA and TSA certificates of the installation; their keys are opened on first use."""

    directory: Path
    ca_cert: x509.Certificate
    tsa_cert: x509.Certificate
    extra_trust: tuple[x509.Certificate, ...] = ()
    _keys: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ca_fingerprint(self) -> str:
        return fingerprint(self.ca_cert)

    @property
    def name(self) -> str:
        found = self.ca_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(found[0].value) if found else ""

    def key(self, filename: str) -> Any:
        if filename not in self._keys:
            self._keys[filename] = _load_key((self.directory / filename).read_bytes())
        return self._keys[filename]

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        return [asn1(self.ca_cert), *(asn1(c) for c in self.extra_trust)]


_cache: dict[tuple[str, int], Authority] = {}
_lock = threading.RLock()

# asn1crypto parses lazily and pyHanko's timestamper and validation context are shared per
# process, so two threads signing at once (runserver, a threaded worker) can corrupt each
# other's objects ("asn1crypto.core.Integer value must be an integer ..."). Signing and
# checking take this lock; processes (gunicorn's sync workers) are unaffected.
crypto_lock = threading.RLock()


def authority(*, create: bool | None = None) -> Authority:
    """The installation's authority, read from `pki_dir()` (cached while ca.pem is unchanged).

    Missing: made now when `create` (default: settings.HAKARI_PKI_AUTO_INIT, on in development
    and the tests), else PkiError ("run manage.py pki init").
    """
    directory = pki_dir()
    path = directory / CA_CERT
    with _lock:
        if not path.exists():
            allowed = settings.HAKARI_PKI_AUTO_INIT if create is None else create
            if not allowed:
                raise PkiError(f"No CA in {directory}: run `manage.py pki init` once.")
            return init_ca()
        key = (str(path), path.stat().st_mtime_ns)
        if key not in _cache:
            tsa_cert = x509.load_pem_x509_certificate((directory / TSA_CERT).read_bytes())
            extra = tuple(
                x509.load_pem_x509_certificate(p.read_bytes())
                for p in sorted(directory.glob("trust-*.pem"))
            )
            ca_cert = x509.load_pem_x509_certificate(path.read_bytes())
            _cache.clear()
            _cache[key] = Authority(directory, ca_cert, tsa_cert, extra)
        return _cache[key]


def ca_fingerprint() -> str:
    return authority().ca_fingerprint


# --- approvers' certificates --------------------------------------------------------------------


def _display_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def signer_certificate(user: Any) -> Any:
    """The approver's current certificate from the installation CA; issued now when they have
    none (their first sign-off) or when the CA changed. A `SignerCertificate` row."""
    from ..models import SignerCertificate

    ca = authority()
    current = (
        SignerCertificate.objects.filter(
            user=user, revoked_at__isnull=True, ca_fingerprint=ca.ca_fingerprint
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if current is not None:
        return current
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _issued(
        _name(_display_name(user), ca.name, user.get_username()),
        key.public_key(),
        ca.ca_cert,
        ca.key(CA_KEY),
        eku=ExtendedKeyUsageOID.EMAIL_PROTECTION,
        email=getattr(user, "email", ""),
    )
    row = SignerCertificate(
        user=user,
        serial=format(cert.serial_number, "x"),
        fingerprint=fingerprint(cert),
        ca_fingerprint=ca.ca_fingerprint,
        cert_pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        key_pem=_encrypted_pem(key).decode("ascii"),
        created_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # pragma: no cover - a random serial collided
        return signer_certificate(user)
    return row


def signer_for(user: Any) -> Any:
    """A pyHanko signer for the approver: their key (decrypted here, in memory only) and
    certificate, with the CA certificate to embed. The HSM plug-in point (module docstring)."""
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    row = signer_certificate(user)
    ca = authority()
    key = load_private_key_from_pemder_data(row.key_pem.encode("ascii"), _passphrase())
    cert = asn1(x509.load_pem_x509_certificate(row.cert_pem.encode("ascii")))
    return SimpleSigner(
        signing_key=key,
        signing_cert=cert,
        cert_registry=SimpleCertificateStore.from_certs([asn1(ca.ca_cert)]),
    )


# --- time-stamps and validation ---------------------------------------------------------------


def validation_context(trust: list[asn1_x509.Certificate] | None = None) -> Any:
    """Trust the installation CA (or `trust`) and nothing else; fetch nothing."""
    from pyhanko_certvalidator import ValidationContext

    roots = trust if trust is not None else authority().trust_roots()
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
