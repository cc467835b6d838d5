"""The one PNG writer: unfiltered rows in one zlib stream, no text chunks, no dates.

Used for the charts (``png_rgb``), for the placeholders a PDF layout sizes its images by
(``placeholder_png``) and for the tiny pictures the renderers need (a transparent DOCX
logo fallback, a warm-up image). The same pixels give the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["PNG_SIGNATURE", "chunk", "png_bytes", "png_rgb", "placeholder_png", "png_size"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RGB, RGBA = 2, 6  # PNG colour types


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, color_type: int, raw: bytes | memoryview | object, *,
              dpi: float | None = None, level: int = -1,
              extra: Sequence[tuple[bytes, bytes]] = ()) -> bytes:
    """An 8-bit PNG of ``raw`` scanlines (each row: filter byte, then the pixels), with
    ``dpi`` in a pHYs chunk when given and the ``extra`` (type, data) chunks before IDAT."""
    parts = [PNG_SIGNATURE, chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0))]
    if dpi is not None:
        ppm = int(dpi / 0.0254 + 0.5)  # pixels per metre, rounded as Pillow does
        parts.append(chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)))
    parts += [chunk(kind, data) for kind, data in extra]
    parts += [chunk(b"IDAT", zlib.compress(raw, level)), chunk(b"IEND", b"")]  # type: ignore[arg-type]
    return b"".join(parts)


def png_rgb(rgba: np.ndarray, dpi: float, level: int = 3) -> bytes:
    """An 8-bit RGB PNG of the ``(height, width, 4)`` pixels ``rgba`` (alpha dropped: the
    figures are opaque), with ``dpi`` in a pHYs chunk and nothing else.

    Rows are stored unfiltered (filter type 0) in one zlib stream: a chart is mostly
    runs of one colour, which deflate packs as well as PNG's filters would, and leaving
    out the filter search makes encoding about three times as fast as Pillow's.
    """
    import numpy as np

    height, width = rgba.shape[:2]
    rows = np.empty((height, 3 * width + 1), np.uint8)  # each row: filter byte 0, then RGB
    rows[:, 0] = 0
    body = rows[:, 1:]
    for channel in range(3):  # three one-byte strided copies: faster than one 3-byte one
        body[:, channel::3] = rgba[:, :, channel]
    return png_bytes(width, height, RGB, rows, dpi=dpi, level=level)


def placeholder_png(width: int, height: int, dpi: float, key: str) -> bytes:
    """The header of an RGB PNG of ``width`` × ``height`` pixels — IHDR, pHYs, a private
    ``rgFk`` chunk naming ``key`` (so that two placeholders never coincide) and an empty
    IDAT: enough for a layout engine to size the image, never meant to be decoded."""
    return png_bytes(width, height, RGB, b"", dpi=dpi, extra=((b"rgFk", key.encode("utf-8")),))


def png_size(png: bytes) -> tuple[int, int] | None:
    """A PNG's (width, height) from its IHDR chunk; None if ``png`` is not a PNG."""
    if not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        return None
    return struct.unpack_from(">II", png, 16)
