"""A chart laid out but not drawn (``PendingFigure``), and its PNG (``reportgen.core.png``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from reportgen.charts.canvas import text_rendering
from reportgen.charts.style import DPI, PNG_COMPRESS_LEVEL, WIDTH_CM
from reportgen.core import png
from reportgen.core.png import placeholder_png
from reportgen.models.document import Figure


def _png(canvas: FigureCanvasAgg) -> bytes:
    """Opaque RGB PNG of the figure with only the pHYs chunk (no "Software", no dates)."""
    with text_rendering():
        canvas.draw()
    return png_rgb(np.asarray(canvas.buffer_rgba()), DPI)


def png_rgb(rgba: np.ndarray, dpi: float, level: int = PNG_COMPRESS_LEVEL) -> bytes:
    """``reportgen.core.png.png_rgb`` at the charts' compression level."""
    return png.png_rgb(rgba, dpi, level)


@dataclass(frozen=True)
class PendingFigure:
    """A chart laid out but not drawn yet: its size in pixels is known, its pixels are not.

    ``draw()`` gives the ``Figure`` (the same bytes as the chart function would). A build
    that lays out the PDF in another process while this one draws (see
    ``reportgen.render.pdfworker``) hands that process ``placeholder(key)`` first: a PNG
    of the right size without pixel data, which is all a layout needs.
    """

    canvas: FigureCanvasAgg
    caption: str
    alt_text: str
    width_cm: float = WIDTH_CM

    @property
    def size_px(self) -> tuple[int, int]:
        width, height = self.canvas.get_width_height(physical=True)
        return int(width), int(height)

    def draw(self) -> Figure:
        return Figure(png=_png(self.canvas), caption=self.caption, alt_text=self.alt_text, width_cm=self.width_cm)

    def placeholder(self, key: str) -> Figure:
        """The figure with ``placeholder_png`` (tagged with ``key``) for its pixels."""
        width, height = self.size_px
        return Figure(png=placeholder_png(width, height, DPI, key), caption=self.caption,
                      alt_text=self.alt_text, width_cm=self.width_cm)
