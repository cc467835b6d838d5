"""matplotlib internals used by ``reportgen.charts.canvas``.

Checked against matplotlib 3.10 and 3.11 (3.11.2). matplotlib 3.11 draws text glyph by
glyph, with a round trip through Python for every glyph; FreeType can lay out and
rasterise a whole line in one call (``FT2Font.draw_glyphs_to_bitmap``, as matplotlib
itself did up to 3.10), which the Agg renderer then composites once
(``_renderer.draw_text_image``). None of these calls is public API:

- ``RendererAgg._prepare_font(prop)``: the renderer's cached, sized ``FT2Font``;
- ``FT2Font.set_text``, ``draw_glyphs_to_bitmap``, ``get_bitmap_offset``, ``get_image``,
  ``get_descent``: the line's layout, bitmap and offsets (26.6 fixed point);
- ``RendererAgg._renderer.draw_text_image(image, x, y, angle, gc)``: composite a bitmap;
- ``FigureCanvasAgg._lastKey``: the (width, height, dpi) the canvas' renderer was made for.

``FAST_TEXT`` is false when any of them is missing; the caller then draws the standard
way (slower, the same look). ``tests/compat/test_mpl.py`` fails when it turns false.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag

__all__ = ["FAST_TEXT", "can_draw_bitmap", "line_bitmap", "draw_bitmap", "canvas_renderer"]

FAST_TEXT = all(hasattr(cls, name) for cls, name in (
    (RendererAgg, "_prepare_font"),
    (matplotlib.ft2font.FT2Font, "draw_glyphs_to_bitmap"),
    (matplotlib.ft2font.FT2Font, "get_image"),
    (matplotlib.ft2font.FT2Font, "get_bitmap_offset"),
))


def can_draw_bitmap(renderer: RendererAgg) -> bool:
    """Whether ``renderer`` can composite a line's bitmap (``FAST_TEXT`` and its C renderer)."""
    return FAST_TEXT and hasattr(getattr(renderer, "_renderer", None), "draw_text_image")


def line_bitmap(renderer: RendererAgg, s: str, prop: Any, antialiased: bool) -> tuple[Any, int, int, int]:
    """(bitmap, x offset, y offset, descent) of one line of text, offsets in 26.6 fixed point."""
    import numpy as np

    font = renderer._prepare_font(prop)
    font.set_text(s, 0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=antialiased)
    xo, yo = font.get_bitmap_offset()
    image = np.array(font.get_image(), dtype=np.uint8)  # a copy: the font reuses its buffer
    return image, xo, yo, font.get_descent()


def draw_bitmap(renderer: RendererAgg, image: Any, x: int, y: int, gc: Any) -> None:
    """Composite ``image`` with its bottom row at pixel ``(x, y)`` (y downwards), unrotated."""
    renderer._renderer.draw_text_image(image, x, y, 0, gc)


def canvas_renderer(canvas: FigureCanvasAgg, make: Any, kind: type) -> RendererAgg:
    """``canvas``'s renderer, made by ``make(width, height, dpi)`` when the size or dpi
    changed or the renderer is not a ``kind`` — as ``FigureCanvasAgg.get_renderer`` does,
    keyed by the same private ``_lastKey`` so matplotlib's own code sees a consistent canvas."""
    w, h = canvas.get_width_height(physical=True)
    key = w, h, canvas.figure.dpi
    if getattr(canvas, "_lastKey", None) != key or not isinstance(getattr(canvas, "renderer", None), kind):
        canvas.renderer = make(w, h, canvas.figure.dpi)
        canvas._lastKey = key
    return canvas.renderer
