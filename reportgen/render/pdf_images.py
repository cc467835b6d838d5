"""Chart PNGs into the PDF as they are, and figures that arrive after the layout.

WeasyPrint embeds a PNG as a Flate stream with PNG predictors — exactly the IDAT data of
an 8-bit, non-interlaced PNG — but gets that data by decoding the image and encoding it
again with Pillow, about 0.1 s for the charts of a report. For the charts reportgen drew
itself (matplotlib + ``core.png``: 8-bit RGB, no transparency, no interlacing) the IDAT
data is taken as it is (``compat.weasyprint.install_png_data_hook``): the same pixels,
the same PDF objects, only another zlib stream. Every other image (a theme's logo, say)
goes WeasyPrint's own way.

Late figures (``reportgen.render.pdfworker``): a document can be laid out with
placeholder PNGs of the charts' sizes (``core.png.placeholder_png``) while the charts are
drawn elsewhere; when the real PNGs arrive, ``swap`` makes the write step embed their
pixels in place of the placeholders'. The layout needs only the images' sizes, so the PDF
is the one the document with the real figures gives.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from reportgen.compat import weasyprint as compat
from reportgen.core.png import PNG_SIGNATURE as _PNG_SIGNATURE, png_size

_OWN_PNGS: ContextVar[frozenset[bytes]] = ContextVar("reportgen_own_pngs", default=frozenset())
_SWAP_PNGS: ContextVar[Mapping[bytes, bytes]] = ContextVar("reportgen_swap_pngs", default={})


class LateFiguresUnusable(RuntimeError):
    """The figures that arrived after the layout do not fit it (render the document anew)."""


def png_idat(png: bytes, size: tuple[int, int], mode: str) -> bytes | None:
    """The joined IDAT data of ``png`` if it is an 8-bit, non-interlaced, opaque PNG of
    ``size`` in ``mode`` ("RGB" or "L"): what a PDF image stream with PNG predictors
    holds; else None."""
    color_type = {"RGB": 2, "L": 0}.get(mode)
    if color_type is None or not png.startswith(_PNG_SIGNATURE):
        return None
    pos, header, idat = len(_PNG_SIGNATURE), b"", []
    while pos + 8 <= len(png):
        length, kind = struct.unpack_from(">I4s", png, pos)
        body = png[pos + 8:pos + 8 + length]
        if len(body) != length:
            return None
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"tRNS":
            return None
        elif kind == b"IEND":
            break
        pos += 12 + length
    if len(header) != 13 or not idat:
        return None
    width, height, depth, color, compression, filtering, interlace = struct.unpack(">IIBBBBB", header)
    if (width, height) != tuple(size) or depth != 8 or color != color_type or compression or filtering or interlace:
        return None
    return b"".join(idat)


def _own_png_data(pillow_image) -> bytes | None:  # type: ignore[no-untyped-def]
    """The IDAT data of one of this render's own chart PNGs (the real one in place of a
    placeholder), or None for WeasyPrint's own encoding."""
    own = _OWN_PNGS.get()
    fp = getattr(pillow_image, "fp", None)
    if not own or getattr(pillow_image, "format", None) != "PNG" or not hasattr(fp, "getvalue"):
        return None
    png = fp.getvalue()
    png = _SWAP_PNGS.get().get(png, png)  # a placeholder's real pixels (late figures)
    if png not in own:
        return None
    return png_idat(png, pillow_image.size, pillow_image.mode)


PASS_THROUGH = compat.install_png_data_hook(_own_png_data)  # late figures need it


@contextmanager
def own_pngs(pngs: frozenset[bytes], swap: Mapping[bytes, bytes] | None = None) -> Iterator[None]:
    """While rendering: ``pngs`` are reportgen's own (embedded as they are), and a PNG
    in ``swap`` (placeholder → real PNG) is embedded with the real one's pixels."""
    own = _OWN_PNGS.set(pngs)
    swapped = _SWAP_PNGS.set(swap or {})
    try:
        yield
    finally:
        _SWAP_PNGS.reset(swapped)
        _OWN_PNGS.reset(own)


def checked_late_figures(figures: Mapping[str, bytes], real: Mapping[bytes, bytes]) -> dict[bytes, bytes]:
    """``real`` (placeholder → PNG) narrowed to the layout's ``figures`` (URL → placeholder),
    if it gives every one a PNG of the placeholder's size, and distinct figures distinct
    PNGs; else the layout cannot be reused (equal PNGs would have shared one image) and
    ``LateFiguresUnusable`` is raised."""
    out = {placeholder: real[placeholder] for placeholder in figures.values() if placeholder in real}
    if (not PASS_THROUGH or len(out) != len(figures) or len(set(out.values())) != len(out)
            or any(png_size(p) != png_size(r) for p, r in out.items())):
        raise LateFiguresUnusable("the laid-out placeholders do not match the figures")
    return out
