"""The record's canonical JSON, its hash, and which content an export shows.

`record_json` serializes the content canonically (sorted keys, compact separators, UTF-8, no
ASCII escaping); its SHA-256 is the record's hash. An approved review's record is stored once
(`reviews.services.signoff`); exports read that stored content, never the live rows.
"""

from __future__ import annotations

import hashlib
import json

from ..models import DecisionRecord, Review
from .content import RecordContent
from .sections import record_content


def record_json(content: RecordContent) -> bytes:
    """The canonical serialization that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        content.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def record_sha256(content: RecordContent) -> str:
    return hashlib.sha256(record_json(content)).hexdigest()


def stored_or_live(review: Review) -> tuple[RecordContent, DecisionRecord | None]:
    """The content to export: the frozen record's when there is one, else the live one."""
    record = DecisionRecord.objects.filter(review=review).first()
    if record is not None:
        return RecordContent.from_json(json.loads(record.canonical_json)), record
    return record_content(review), None
