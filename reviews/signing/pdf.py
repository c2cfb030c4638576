"""Signature fields in a record's 承認欄, and one PAdES signature per approver.

The record PDF marks each approver's box with a named destination (its top-left corner, the
`id` of the box in templates/reviews/pdf/record.html); `add_stamp_fields` puts an empty
signature field of STAMP_WIDTH_MM x STAMP_HEIGHT_MM there, as an incremental update, when
sign-off is requested. `sign_pdf` fills one field: a PAdES signature (CAdES detached, SHA-256,
with a signature timestamp and its validation data), drawn as a stamp with the approver's name,
role, time and comment. The last one also closes the record: a document timestamp over
everything, with the validation data in the DSS (PAdES B-LTA), so it validates offline.
"""

from __future__ import annotations

import datetime
import io
import logging
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import pki, tsa
from .fonts import stamp_font_factory

MM = 72 / 25.4
STAMP_WIDTH_MM = 24.0
STAMP_HEIGHT_MM = 21.0
STAMP_RED = (0.74, 0.09, 0.11)
STAMP_FONT_SIZE = 6
LINE_UNITS = 20  # half-width units a stamp line holds (a kanji is 2)
COMMENT_LINES = 2


# pyHanko warns that validation data is embedded without fetching (by design: everything it
# needs is local); fontTools reports each subset step.
logging.getLogger("pyhanko.sign.signers.pdf_signer").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def field_name(order: int) -> str:
    """The signature field (and the box's id) of the approver who signs `order`-th."""
    return f"approver-{order}"


def _destinations(pdf: bytes) -> dict[str, tuple[int, float, float]]:
    """Named destinations of the PDF: name -> (page index, left, top) in points."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for name, dest in reader.named_destinations.items():
        page = reader.get_destination_page_number(dest)
        if page is not None:
            found[str(name)] = (page, float(dest.left or 0), float(dest.top or 0))
    return found


def add_stamp_fields(pdf: bytes, names: list[str]) -> bytes:
    """The PDF with an empty signature field per name, in the box whose id is that name (an
    invisible field when the PDF has no such box), as one incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    places = _destinations(pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for name in names:
        if name in places:
            page, left, top = places[name]
            box = (
                round(left),
                round(top - STAMP_HEIGHT_MM * MM),
                round(left + STAMP_WIDTH_MM * MM),
                round(top),
            )
            spec = SigFieldSpec(name, box=box, on_page=page)
        else:
            spec = SigFieldSpec(name)
        append_signature_field(writer, sig_field_spec=spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def stamp_lines(text: str, *, units: int = LINE_UNITS, lines: int = COMMENT_LINES) -> list[str]:
    """`text` on one line, wrapped to `lines` lines of `units` half-width units, the last
    ending in … when something was cut."""
    flat = " ".join(text.split())
    result: list[str] = []
    current, used = "", 0
    for index, char in enumerate(flat):
        if used + _width(char) > units:
            result.append(current)
            current, used = "", 0
            if len(result) == lines:
                rest = flat[index:]
                last = result[-1]
                while last and sum(map(_width, last)) + 1 > units:
                    last = last[:-1]
                result[-1] = (last + "…") if rest else last
                return result
        current += char
        used += _width(char)
    if current:
        result.append(current)
    return result


@dataclass(frozen=True)
class Stamp:
    """What an approver's stamp shows: `role` over the name, the time, the comment."""

    name: str
    role: str
    when: datetime.datetime
    comment: str

    def text(self) -> str:
        lines = [self.role, self.name, self.when.strftime("%Y-%m-%d %H:%M")]
        lines += stamp_lines(self.comment)
        return "\n".join(line.replace("%", "%%") for line in lines)


def _stamp_style(stamp: Stamp) -> Any:
    from pyhanko import stamp as stamps
    from pyhanko.pdf_utils import layout, text

    body = stamp.text()
    return stamps.TextStampStyle(
        stamp_text=body,
        text_box_style=text.TextBoxStyle(
            font=stamp_font_factory(body, STAMP_FONT_SIZE),
            font_size=STAMP_FONT_SIZE,
            leading=8,
            text_color=STAMP_RED,
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(2),
        ),
        border_width=1,
        border_color=STAMP_RED,
    )


def sign_pdf(
    pdf: bytes, *, field: str, signer: Any, stamp: Stamp, reason: str, last: bool
) -> bytes:
    """`pdf` with the approver's signature in `field` (and its validation data), as incremental
    updates; with `last`, closed by a document timestamp over all of it, written last so that
    no byte of the file is outside a signature (PAdES B-LTA)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    metadata = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason[:500] or None,
        name=stamp.name,
        embed_validation_info=True,
        validation_context=pki.validation_context(),
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, stamp_style=_stamp_style(stamp), timestamper=tsa.timestamper()
    )
    with pki.crypto_lock:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = pki.outside_event_loop(pdf_signer.sign_pdf, writer, existing_fields_only=True)
        signed = bytes(out.getvalue())
        return close_pdf(signed) if last else signed


def close_pdf(pdf: bytes) -> bytes:
    """`pdf` with a document timestamp over every byte of it: the record is closed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    with pki.crypto_lock:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        stamper = signers.PdfTimeStamper(tsa.timestamper())
        out = pki.outside_event_loop(stamper.timestamp_pdf, writer, "sha256")
        return bytes(out.getvalue())


_warm = False


def warm_up() -> None:
    """Load what signing needs (pyHanko's modules, the CA, the TSA and its sizing token, the
    stamp font), once per process: the sign page calls it, so that the signature itself, a
    moment later, only signs."""
    global _warm
    if _warm:
        return
    import asyncio

    from pyhanko.sign import signers, validation  # noqa: F401

    from .fonts import subset_font

    subset_font("承認")
    with pki.crypto_lock:
        stamper = tsa.timestamper()
        if hasattr(stamper, "async_dummy_response"):
            pki.outside_event_loop(asyncio.run, stamper.async_dummy_response("sha256"))
        pki.validation_context()
    _warm = True
