"""Which stored record is this PDF, or this hash, and does it match?

The caller passes the records the user may see; nothing else is ever named. An uploaded file
matches when it is a stored PDF byte for byte; a file that only says it is a record (its
metadata names a record hash) but is not that PDF is "altered". A hash matches a record's
content hash or its PDF's hash.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Literal

from django.db.models import Q, QuerySet

from ..models import DecisionRecord

CLAIMED_HASH_RE = re.compile(rb"hakari-record-sha256:([0-9a-f]{64})")

Kind = Literal["pdf", "content", "altered", "none"]


@dataclass(frozen=True)
class Verification:
    """`kind`: "pdf" (the stored PDF), "content" (the content's hash), "altered" (claims to be
    `record` but is not its PDF) or "none"; `digest` is the SHA-256 that was checked."""

    kind: Kind
    digest: str
    record: DecisionRecord | None = None


def claimed_hash(data: bytes) -> str | None:
    """The record hash a PDF says it carries (its metadata), if any; never trusted alone."""
    match = CLAIMED_HASH_RE.search(data)
    if match:
        return match.group(1).decode("ascii")
    try:
        from pypdf import PdfReader

        metadata = PdfReader(BytesIO(data)).metadata
        subject = (metadata.get("/Subject") if metadata else None) or ""
    except Exception:  # not a PDF, or a broken one: it simply claims nothing
        return None
    found = re.search(r"hakari-record-sha256:([0-9a-f]{64})", str(subject))
    return found.group(1) if found else None


def verify_upload(data: bytes, records: QuerySet[DecisionRecord]) -> Verification:
    """An uploaded file: one of `records`' PDFs byte for byte, or a file claiming to be one."""
    digest = hashlib.sha256(data).hexdigest()
    record = records.filter(pdf_sha256=digest).first()
    if record is not None:
        return Verification("pdf", digest, record)
    claimed = claimed_hash(data)
    record = records.filter(sha256=claimed).first() if claimed else None
    if record is not None:
        return Verification("altered", digest, record)
    return Verification("none", digest)


def verify_digest(digest: str, records: QuerySet[DecisionRecord]) -> Verification:
    """A SHA-256 typed in: the hash of one of `records`' contents or of its PDF."""
    record = records.filter(Q(sha256=digest) | Q(pdf_sha256=digest)).first()
    if record is None:
        return Verification("none", digest)
    return Verification("content" if record.sha256 == digest else "pdf", digest, record)
