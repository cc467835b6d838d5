"""Results → figures.

Each public function draws one chart from ``Results`` and returns a
``reportgen.models.Figure``: PNG bytes, a Danish caption and a Danish alt text that
states the numbers shown.

Charts are drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas (no pyplot
state), laid out by hand at a fixed width of 16 cm and a fixed dpi, and saved as an
opaque RGB PNG without text chunks, so the same input gives the same bytes. Fonts are set
per artist rather than through ``rcParams``; the bundled Carlito font is used when it is
present, else DejaVu Sans.

Speed (most of a chart's time is text): glyphs are drawn without hinting — at 200 dpi
hinting changes nothing visible, and FreeType's hinting interpreter was half the cost
of the text —, each line of text is rasterised by FreeType in one call (``ChartCanvas``)
rather than glyph by glyph from Python, label widths are measured once per process, and
the PNG is written directly (unfiltered rows, one zlib stream: smaller than Pillow's
adaptive filtering at a third of the time).

Colours survive colour blindness and greyscale printing: orange for the negative end of
a scale, grey for neutral, blue for the positive end, with lightness (CIE L*) values at
least ten units apart within a built-in scale; white gaps separate the segments. In the
theme chart the benchmark bars are lighter than the focus bars and hatched.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display; harmless, pyplot is never imported here

# The public names of the charts, from the modules that hold them.
from reportgen.charts.canvas import ChartCanvas  # noqa: E402
from reportgen.charts.distribution import (
    distribution_chart,
    distribution_chart_pending,
    distribution_scales,
)
from reportgen.charts.pending import PendingFigure, png_rgb
from reportgen.charts.style import (
    BENCHMARK_COLOR,
    DPI,
    FOCUS_COLOR,
    WIDTH_CM,
    font_family,
    scale_colors,
)
from reportgen.charts.priority import priority_chart, priority_chart_pending
from reportgen.charts.theme import theme_chart, theme_chart_pending
from reportgen.charts.trend import trend_chart, trend_chart_pending

__all__ = ["theme_chart", "distribution_chart", "distribution_scales", "scale_colors", "ChartCanvas",
           "PendingFigure", "theme_chart_pending", "distribution_chart_pending", "trend_chart", "trend_chart_pending",
           "priority_chart", "priority_chart_pending", "png_rgb", "font_family",
           "FOCUS_COLOR", "BENCHMARK_COLOR", "WIDTH_CM", "DPI"]
