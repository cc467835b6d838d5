"""The canvas every chart is drawn on, and text measuring: glyphs without hinting, each
line of text rasterised and measured once per process."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties

from reportgen.charts.style import DPI, TEXT_HINTING
from reportgen.compat import mpl


@contextmanager
def text_rendering() -> Iterator[None]:
    """Glyphs without hinting while a chart is measured or drawn (``TEXT_HINTING``).

    Hinting is a global rcParam, so it is set for the duration and then restored.
    """
    old = matplotlib.rcParams["text.hinting"]
    matplotlib.rcParams["text.hinting"] = TEXT_HINTING
    try:
        yield
    finally:
        matplotlib.rcParams["text.hinting"] = old


_TEXT_CACHE_SIZE = 2048  # lines of text (bitmaps and metrics) kept per process, each kind


def _text_key(renderer: RendererAgg, s: str, prop: FontProperties, *extra: object) -> tuple:
    """What a line of text's bitmap and metrics depend on: the text, the font, its size,
    the dpi and the hinting."""
    return (s, tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), renderer.dpi,
            get_hinting_flag(), *extra)


def _remember(cache: dict, key: tuple, value: object) -> None:
    if len(cache) >= _TEXT_CACHE_SIZE:
        cache.clear()
    cache[key] = value


class _ChartRenderer(RendererAgg):
    """The Agg renderer, drawing each horizontal line of plain text as one bitmap, and
    rasterising and measuring each distinct line once per process.

    matplotlib 3.11 draws text glyph by glyph, with a round trip through Python for every
    glyph (placing, rasterising and compositing it) — in a chart with a hundred labels most
    of the drawing time. FreeType lays out and rasterises the whole line in one call
    (``draw_glyphs_to_bitmap``, as matplotlib itself did up to 3.10), which is then
    composited once. The bitmap does not depend on where the line goes (it is placed at
    whole pixels), so it is kept, with the line's metrics: the labels every report of a
    batch shares (questions, themes, legends, axes) are rasterised once per worker.
    Rotated text, mathtext and a matplotlib without these calls go the standard way
    (the private calls are in ``reportgen.compat.mpl``).
    """

    _BITMAPS: dict[tuple, tuple[np.ndarray, int, int, int]] = {}
    _METRICS: dict[tuple, tuple[float, float, float]] = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # type: ignore[no-untyped-def]
        if ismath or angle or not mpl.can_draw_bitmap(self):
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        key = _text_key(self, s, prop, bool(gc.get_antialiased()))
        bitmap = self._BITMAPS.get(key)
        if bitmap is None:
            bitmap = mpl.line_bitmap(self, s, prop, gc.get_antialiased())
            _remember(self._BITMAPS, key, bitmap)
        image, xo, yo, descent = bitmap
        # x, y: the text's baseline start, y downwards; the bitmap's bottom row goes at y.
        mpl.draw_bitmap(self, image, round(x + xo / 64), round(y + (yo + descent) / 64) + 1, gc)
        return None

    def get_text_width_height_descent(self, s, prop, ismath):  # type: ignore[no-untyped-def]
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = _text_key(self, s, prop)
        metrics = self._METRICS.get(key)
        if metrics is None:
            metrics = super().get_text_width_height_descent(s, prop, ismath)
            _remember(self._METRICS, key, metrics)
        return metrics


class ChartCanvas(FigureCanvasAgg):
    """The Agg canvas with ``_ChartRenderer``: what every chart is drawn on."""

    def get_renderer(self) -> RendererAgg:
        return mpl.canvas_renderer(self, _ChartRenderer, _ChartRenderer)


_MEASURE: list[RendererAgg] = []  # one renderer for measuring, made on first use


@lru_cache(maxsize=4096)
def _line_width_px(line: str, family: str, size: float) -> float:
    """Width in pixels (at ``DPI``) of one line of text; the same in every chart, so the
    labels that recur in every report of a batch are measured once per process."""
    if not _MEASURE:
        _MEASURE.append(RendererAgg(1, 1, DPI))  # text metrics depend on the dpi only
    prop = FontProperties(family=family, size=size)
    with text_rendering():
        return _MEASURE[0].get_text_width_height_descent(line, prop, ismath=False)[0]


def text_width_in(texts: Sequence[str], family: str, size: float) -> float:
    """Width in inches of the widest line among ``texts`` (multi-line texts allowed)."""
    widths = [_line_width_px(line, family, size) for text in texts for line in text.split("\n") if line]
    return max(widths, default=0.0) / DPI
