"""The stamp's font: Noto Sans JP cut down to the characters one stamp shows.

pyHanko embeds the font a stamp is drawn with (PDF/A needs every font embedded) and subsets it
with fontTools; on the whole 5 MB Noto Sans JP that takes half a second a signature. HarfBuzz
cuts the font to the stamp's characters first (a millisecond), so pyHanko works on a few KB.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from django.contrib.staticfiles import finders

FONT_PATH = "fonts/noto-sans-jp/NotoSansJP-Regular.ttf"
ALWAYS = "0123456789-:./ ()年月日"

_face: Any = None
_lock = threading.Lock()


def _full_face() -> Any:
    import uharfbuzz as hb

    global _face
    with _lock:
        if _face is None:
            path = finders.find(FONT_PATH)
            if not path:
                raise FileNotFoundError(FONT_PATH)
            _face = hb.Face(hb.Blob.from_file_path(str(path)))
        return _face


def subset_font(text: str) -> bytes:
    """A TrueType font with the glyphs of `text` (and digits, for dates) only."""
    import uharfbuzz as hb  # type: ignore[import-untyped]

    wanted = hb.SubsetInput()
    wanted.sets(hb.SubsetInputSets.UNICODE).update(
        ord(char) for char in set(text + ALWAYS) if not char.isspace() or char == " "
    )
    wanted.flags = hb.SubsetFlags.NO_HINTING
    return bytes(hb.subset(_full_face(), wanted).blob.data)


def stamp_font_factory(text: str, size: int) -> Any:
    """A pyHanko font-engine factory drawing `text` in Noto Sans JP at `size` points."""
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator

    data = subset_font(text)

    class SubsetFontFactory(FontEngineFactory):  # type: ignore[misc]
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(
                writer=writer, font_handle=io.BytesIO(data), font_size=size, obj_stream=obj_stream
            )

    return SubsetFontFactory()
