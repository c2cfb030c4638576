"""What a record PDF proves by itself, offline: its signatures, its timestamp, its record.

`check_pdf(data, trust)` reads every signature of the file and validates it against `trust`
(the installation CA; nothing is fetched): intact (the signed bytes hash to what was signed),
valid (the signature over that hash), trusted (the certificate chains to the CA), nothing but
allowed changes after it (more signatures, their validation data), and its /Contents exactly
the signature followed by zero padding. It extracts the embedded canonical JSON and checks
its SHA-256 against the record hash the document states (its metadata, as printed on page 1).
No database is read: `manage.py verify_record` and `/verify/` both start here.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

CLAIM_RE = re.compile(r"hakari-record-sha256:([0-9a-f]{64})")
RECORD_JSON = "record.json"
RECORD_MD = "record.md"


class Unreadable(Exception):
    """Not a PDF at all (no header), or it cannot be read."""


@dataclass(frozen=True)
class SignatureCheck:
    """One signature (or the document timestamp) of the file."""

    kind: str  # "signature" or "timestamp"
    field: str
    signer: str
    signer_fingerprint: str
    when: datetime.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    changes_ok: bool
    padding_ok: bool
    covers_file: bool  # nothing after it but validation data (the DSS)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return (
            all((self.intact, self.valid, self.trusted, self.changes_ok, self.padding_ok))
            and not self.problem
        )

    @property
    def status(self) -> str:
        """One word: valid, or what is wrong first."""
        if self.problem:
            return "damaged"
        if not self.intact or not self.padding_ok:
            return "altered"
        if not self.valid:
            return "invalid"
        if not self.trusted:
            return "untrusted"
        if not self.changes_ok:
            return "changed-after"
        return "valid"


@dataclass(frozen=True)
class FileCheck:
    """The whole file: its signatures in the order applied, its embedded record."""

    sha256: str
    signatures: tuple[SignatureCheck, ...] = ()
    record_json: bytes | None = None
    has_markdown: bool = False
    claimed_sha256: str | None = None
    problem: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def record_sha256(self) -> str | None:
        return hashlib.sha256(self.record_json).hexdigest() if self.record_json else None

    @property
    def approvals(self) -> tuple[SignatureCheck, ...]:
        return tuple(s for s in self.signatures if s.kind == "signature")

    @property
    def timestamp(self) -> SignatureCheck | None:
        stamps = [s for s in self.signatures if s.kind == "timestamp"]
        return stamps[-1] if stamps else None

    @property
    def record_matches(self) -> bool:
        return bool(self.record_sha256) and self.record_sha256 == self.claimed_sha256

    @property
    def closed(self) -> bool:
        """Closed by a valid document timestamp over the whole file (the last signature)."""
        last = self.signatures[-1] if self.signatures else None
        return last is not None and last.kind == "timestamp" and last.ok and last.covers_file

    @property
    def genuine(self) -> bool:
        """Every signature valid and trusted, the record inside is the one the document names,
        nothing changed since the last signature."""
        return (
            not self.problem
            and bool(self.approvals)
            and all(s.ok for s in self.signatures)
            and self.signatures[-1].covers_file
            and self.record_matches
        )


def _der_length(data: bytes) -> int:
    """The length of the DER value at the start of `data` (tag, length, contents)."""
    if len(data) < 2:
        return len(data) + 1
    first = data[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def _padding_ok(embedded: Any) -> bool:
    contents = bytes(embedded.sig_object["/Contents"].original_bytes)
    end = _der_length(contents)
    return end <= len(contents) and not any(contents[end:])


def _cn(cert: Any) -> str:
    try:
        return str(cert.subject.native.get("common_name", ""))
    except Exception:  # pragma: no cover - a certificate without a readable subject
        return ""


def _check_signature(embedded: Any, context_factory: Any) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    is_timestamp = embedded.sig_object_type == "/DocTimeStamp"
    cert = embedded.signer_cert
    base = {
        "kind": "timestamp" if is_timestamp else "signature",
        "field": str(embedded.field_name or ""),
        "signer": _cn(cert),
        "signer_fingerprint": hashlib.sha256(cert.dump()).hexdigest(),
    }
    try:
        if is_timestamp:
            stamp = validate_pdf_timestamp(embedded, validation_context=context_factory())
            when: datetime.datetime | None = stamp.timestamp
            changes_ok = stamp.modification_level in (
                None,
                ModificationLevel.NONE,
                ModificationLevel.LTA_UPDATES,
            )
            status: Any = stamp
        else:
            signed = validate_pdf_signature(
                embedded,
                signer_validation_context=context_factory(),
                ts_validation_context=context_factory(),
            )
            tst = signed.timestamp_validity
            when = tst.timestamp if tst is not None else signed.signer_reported_dt
            changes_ok = bool(signed.docmdp_ok or signed.modification_level is None)
            if tst is not None and not (tst.intact and tst.valid and tst.trusted):
                changes_ok = False
            status = signed
    except (SignatureValidationError, Exception) as exc:  # any damage: not valid
        return SignatureCheck(
            **base,
            when=None,
            intact=False,
            valid=False,
            trusted=False,
            changes_ok=False,
            padding_ok=False,
            covers_file=False,
            problem=str(exc)[:200] or type(exc).__name__,
        )
    return SignatureCheck(
        **base,
        when=when,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        changes_ok=changes_ok,
        padding_ok=_padding_ok(embedded),
        covers_file=embedded.coverage == SignatureCoverageLevel.ENTIRE_FILE
        or status.modification_level == ModificationLevel.LTA_UPDATES,
    )


def _embedded_files(reader: Any) -> dict[str, bytes]:
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except KeyError:
        return {}
    found = {}
    for index in range(0, len(names) - 1, 2):
        spec = names[index + 1].get_object()
        found[str(names[index])] = spec["/EF"]["/F"].get_object().data
    return found


def _claimed(reader: Any) -> str | None:
    try:
        subject = str(reader.trailer_view["/Info"].get("/Subject", ""))
    except KeyError:
        return None
    match = CLAIM_RE.search(subject)
    return match.group(1) if match else None


def check_pdf(data: bytes, trust: list[Any] | None = None) -> FileCheck:
    """Check `data` offline against `trust` (default: the installation CA). Unreadable when
    it is not a PDF at all; a damaged PDF is a FileCheck with a `problem` (not genuine)."""
    from . import pki

    if not data.lstrip()[:5] == b"%PDF-":
        raise Unreadable("not a PDF file")
    with pki.crypto_lock:
        roots = trust if trust is not None else pki.authority().trust_roots()
        result: FileCheck = pki.outside_event_loop(_check, data, roots)
    return result


def _check(data: bytes, roots: list[Any]) -> FileCheck:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    from . import pki

    digest = hashlib.sha256(data).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
        signatures = tuple(
            _check_signature(sig, lambda: pki.validation_context(roots)) for sig in embedded
        )
        files = _embedded_files(reader)
        claimed = _claimed(reader)
    except (PdfError, Exception) as exc:  # zlib, parsing, structure: damaged, not genuine
        return FileCheck(sha256=digest, problem=f"the file is damaged ({str(exc)[:120]})")
    return FileCheck(
        sha256=digest,
        signatures=signatures,
        record_json=files.get(RECORD_JSON),
        has_markdown=RECORD_MD in files,
        claimed_sha256=claimed,
    )
