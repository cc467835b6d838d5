"""reportgen.compat.mpl: the matplotlib internals the charts draw text with still exist and
give what matplotlib itself draws."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from reportgen.compat import mpl


def test_the_private_text_calls_exist() -> None:
    assert mpl.FAST_TEXT, "matplotlib changed: RendererAgg._prepare_font or FT2Font's bitmap calls are gone"
    assert mpl.can_draw_bitmap(RendererAgg(10, 10, 100)), "RendererAgg._renderer.draw_text_image is gone"


def test_line_bitmap_is_the_line_of_text() -> None:
    renderer = RendererAgg(10, 10, 200)
    prop = FontProperties(family="DejaVu Sans", size=10)
    image, xo, yo, descent = mpl.line_bitmap(renderer, "Aa", prop, True)
    wide, *_ = mpl.line_bitmap(renderer, "Aa Aa Aa", prop, True)
    assert image.dtype == np.uint8 and image.ndim == 2 and image.max() > 0
    assert wide.shape[1] > 2 * image.shape[1]  # the bitmap grows with the text
    assert wide.shape[0] == image.shape[0]
    width = renderer.get_text_width_height_descent("Aa", prop, ismath=False)[0]
    assert abs(image.shape[1] - width) <= 3  # as wide as matplotlib measures the line


def test_draw_bitmap_puts_pixels_where_asked() -> None:
    renderer = RendererAgg(60, 40, 100)
    gc = renderer.new_gc()
    image = np.full((5, 7), 255, np.uint8)
    mpl.draw_bitmap(renderer, image, 10, 20, gc)
    dark = np.argwhere(np.asarray(renderer.buffer_rgba())[..., 0] < 128)
    assert len(dark) == 35
    assert dark[:, 1].min() == 10 and dark[:, 1].max() == 16


def test_canvas_renderer_is_kept_until_the_size_changes() -> None:
    fig = Figure(figsize=(1, 1), dpi=50)
    canvas = FigureCanvasAgg(fig)
    first = mpl.canvas_renderer(canvas, RendererAgg, RendererAgg)
    assert mpl.canvas_renderer(canvas, RendererAgg, RendererAgg) is first
    assert canvas.get_renderer() is first  # matplotlib's own cache agrees (_lastKey)
    fig.set_dpi(100)
    assert mpl.canvas_renderer(canvas, RendererAgg, RendererAgg) is not first
