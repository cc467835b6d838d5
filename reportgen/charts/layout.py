"""Hand layout of a chart: the figure frame, row labels, the x axis and the legend."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from reportgen.charts.canvas import ChartCanvas, text_width_in
from reportgen.charts.style import AXIS_COLOR, DPI, FONT_SIZE, TEXT_COLOR, WIDTH_CM
from reportgen.core import fmt


def legend_ncols(labels: Sequence[str], family: str, max_cols: int) -> int:
    """As many legend columns (up to ``max_cols``) as fit across the figure."""
    available = WIDTH_CM / 2.54 - 12 / 72
    per_item = (1.6 + 0.8 + 1.6) * FONT_SIZE / 72  # handle, handle-text pad, col spacing
    for ncols in range(min(max_cols, len(labels)), 1, -1):
        rows = [labels[i:i + ncols] for i in range(0, len(labels), ncols)]
        col_w = [text_width_in([r[c] for r in rows if c < len(r)], family, FONT_SIZE)
                 for c in range(ncols)]
        if sum(col_w) + ncols * per_item <= available:
            return ncols
    return 1


def legend_height_pt(labels: Sequence[str], ncols: int) -> float:
    """Height of a frameless legend with matplotlib's default paddings, in points."""
    rows = -(-len(labels) // ncols)
    lines = max(label.count("\n") + 1 for label in labels)
    row = max(lines * FONT_SIZE * 1.2, 1.1 * FONT_SIZE)
    return rows * row + (rows - 1) * 0.5 * FONT_SIZE + 2 * 0.4 * FONT_SIZE


def chart_frame(*, left_in: float, right_in: float, plot_h_in: float, legend_h_pt: float,
           family: str) -> tuple[MplFigure, FigureCanvasAgg, Axes, float]:
    """A figure 16 cm wide with one axes placed by hand (no layout engine: faster).

    Below the axes, from the top: ticks, tick labels, the x label, a gap, the legend.
    Returns the figure, its canvas, the styled axes and the legend's top in figure
    coordinates.
    """
    top_pt = 6.0
    below_axes_pt = 3 + 3.5 + FONT_SIZE * 1.2 + 4 + FONT_SIZE * 1.2 + 9
    bottom_pt = below_axes_pt + legend_h_pt + 3
    width = WIDTH_CM / 2.54
    height = plot_h_in + (top_pt + bottom_pt) / 72
    fig = MplFigure(figsize=(width, height), dpi=DPI, facecolor="white")
    canvas = ChartCanvas(fig)
    ax = fig.add_axes((left_in / width, bottom_pt / 72 / height,
                       1 - (left_in + right_in) / width, plot_h_in / height))
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(AXIS_COLOR)
    ax.spines["bottom"].set_linewidth(0.8)
    ax.tick_params(labelfontfamily=family, labelsize=FONT_SIZE, colors=TEXT_COLOR,
                   color=AXIS_COLOR, width=0.8, length=3, pad=3.5)
    ax.yaxis.set_major_locator(NullLocator())  # row labels are drawn as texts
    ax.set_axisbelow(True)
    legend_top = (bottom_pt - below_axes_pt) / 72 / height
    return fig, canvas, ax, legend_top


def draw_row_labels(ax: Axes, labels: Sequence[str], family: str) -> None:
    """Right-aligned labels left of the axes, one per row at y = 0, 1, 2, …"""
    for y, label in enumerate(labels):
        ax.annotate(label, xy=(0, y), xycoords=("axes fraction", "data"), xytext=(-5, 0),
                    textcoords="offset points", ha="right", va="center",
                    fontsize=FONT_SIZE, fontfamily=family, color=TEXT_COLOR,
                    linespacing=1.1, annotation_clip=False)


def draw_x_axis(ax: Axes, ticks: Sequence[float], label: str, family: str) -> None:
    ax.xaxis.set_major_locator(FixedLocator(list(ticks)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.num(x, 0)))
    ax.set_xlabel(label, fontfamily=family, fontsize=FONT_SIZE, color=TEXT_COLOR,
                  labelpad=4)


def draw_legend(fig: MplFigure, handles: list[Artist], family: str, ncols: int,
            top: float) -> None:
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncols=ncols,
               frameon=False, prop={"family": family, "size": FONT_SIZE},
               handlelength=1.6, handleheight=1.1, columnspacing=1.6, borderaxespad=0)


def rects(spans: Sequence[tuple[float, float, float, float]]) -> list[list[tuple[float, float]]]:
    """(x0, x1, y_center, height) → rectangle polygons for a PolyCollection."""
    return [[(x0, y - h / 2), (x0, y + h / 2), (x1, y + h / 2), (x1, y - h / 2)]
            for x0, x1, y, h in spans]
