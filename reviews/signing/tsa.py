"""Time-stamps: the local time-stamping authority of the installation CA, or an RFC 3161
server (HAKARI_TSA_URL). Signatures carry a signature timestamp; the last one closes the
record with a document timestamp (`reviews.signing.pdf.close_pdf`)."""

from __future__ import annotations

import datetime
from typing import Any

from asn1crypto import cms, core, tsp  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings

from .pki import TSA_KEY, Authority, asn1, authority

# The local TSA's policy: an OID under 2.25 (a UUID), which needs no registration.
TSA_POLICY = "2.25.99137244815014643984784259495758695946"


def _local_timestamper_class() -> Any:
    from pyhanko.sign import general
    from pyhanko.sign.general import get_pyca_cryptography_hash, simple_cms_attribute
    from pyhanko.sign.timestamps import DummyTimeStamper

    class LocalTimeStamper(DummyTimeStamper):  # type: ignore[misc]
        """A time-stamping authority in this process, with the TSA key of the installation:
        RFC 3161 tokens under our own policy, signed with the key opened once."""

        def __init__(self, ca: Authority):
            from pyhanko_certvalidator.registry import SimpleCertificateStore

            super().__init__(
                tsa_cert=asn1(ca.tsa_cert),
                tsa_key=None,
                certs_to_embed=SimpleCertificateStore.from_certs([asn1(ca.ca_cert)]),
            )
            self._private_key = ca.key(TSA_KEY)

        def _build_tst_info(
            self, message_imprint: tsp.MessageImprint, dt: datetime.datetime, req: Any
        ) -> tsp.TSTInfo:
            info = super()._build_tst_info(message_imprint, dt, req)
            info["policy"] = tsp.ObjectIdentifier(TSA_POLICY)
            return info

        def _sign_tst_info(
            self, tst_info_data: bytes, md_algorithm: str, dt: datetime.datetime
        ) -> tuple[bytes, cms.CMSAttributes]:
            digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
            digest.update(tst_info_data)
            attributes = cms.CMSAttributes(
                [
                    simple_cms_attribute("content_type", "tst_info"),
                    simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                    simple_cms_attribute(
                        "signing_certificate", general.as_signing_certificate(self.tsa_cert)
                    ),
                    simple_cms_attribute("message_digest", digest.finalize()),
                ]
            )
            signature = self._private_key.sign(
                attributes.dump(), PKCS1v15(), get_pyca_cryptography_hash(md_algorithm.upper())
            )
            return signature, attributes

    return LocalTimeStamper


_timestampers: dict[str, Any] = {}


def forget_timestampers() -> None:
    """After a new CA: the next timestamper is made from it."""
    _timestampers.clear()


def timestamper() -> Any:
    """The RFC 3161 client for signature and document timestamps: the server at
    HAKARI_TSA_URL when set, else the local TSA (works without any network)."""
    url = getattr(settings, "HAKARI_TSA_URL", "")
    if url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        return HTTPTimeStamper(url)
    ca = authority()
    cached = _timestampers.get(ca.ca_fingerprint)
    if cached is None:  # kept: it caches the dummy token it sizes signatures with
        cached = _timestampers[ca.ca_fingerprint] = _local_timestamper_class()(ca)
    return cached
