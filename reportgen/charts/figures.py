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

import struct
import textwrap
import threading
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")  # no display; harmless, pyplot is never imported here

import matplotlib.colors as mcolors  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator  # noqa: E402

from reportgen.core import fmt  # noqa: E402
from reportgen.models import Figure, QuestionResult, Results, Scale, UnitResult  # noqa: E402

__all__ = ["theme_chart", "distribution_chart", "distribution_scales", "scale_colors", "ChartCanvas",
           "PendingFigure", "theme_chart_pending", "distribution_chart_pending"]

# --------------------------------------------------------------------------- constants

WIDTH_CM = 16.0
DPI = 200
PNG_COMPRESS_LEVEL = 3  # zlib level: 6 saves ~5 % size at twice the encoding time
TEXT_HINTING = "no_hinting"  # rcParams["text.hinting"] while measuring and drawing
FONT_SIZE = 8.5
SMALL_FONT_SIZE = 7.5

FOCUS_COLOR = "#1f4e79"  # dark blue, L* 32
BENCHMARK_COLOR = "#a6bddb"  # light grey-blue, L* 76, hatched
BENCHMARK_HATCH_COLOR = "#4a6f96"
HATCH = "////"
CI_COLOR = "#333333"
TEXT_COLOR = "#1a1a1a"
GRID_COLOR = "#d9d9d9"
AXIS_COLOR = "#7f7f7f"
MUTED_TEXT = "#595959"
CI_LABEL = "95 pct. konfidensinterval"

# Diverging scale palette (ColorBrewer PuOr/RdBu adapted): L* 46 / 80 | 91 | 62 / 32.
NEG_DARK, NEG_LIGHT = "#a35a0b", "#fdb863"
NEUTRAL_DARK, NEUTRAL = "#cccccc", "#e6e6e6"
POS_LIGHT, POS_DARK = "#5b9bd5", "#1f4e79"

THEME_LABEL_WIDTH = 28  # characters per line of a theme label
QUESTION_LABEL_WIDTH = 46  # characters per line of a question label, two lines at most
LEGEND_LABEL_WIDTH = 18

_FONT_FAMILY: str | None = None
_FONT_LOCK = threading.Lock()

RGB = tuple[float, float, float]


# --------------------------------------------------------------------------- fonts


def _fonts_dir() -> Path | None:
    candidates: list[Path] = []
    try:
        from reportgen.core.resources import templates_dir

        candidates.append(templates_dir() / "fonts")
    except Exception:  # no resources module or no templates: look in the tree
        pass
    here = Path(__file__).resolve().parent.parent  # the reportgen package
    candidates += [here / "templates" / "fonts", here.parent / "templates" / "fonts"]
    return next((c for c in candidates if c.is_dir()), None)


def font_family() -> str:
    """"Carlito" once the bundled TTFs are registered with matplotlib, else "DejaVu Sans"."""
    global _FONT_FAMILY
    with _FONT_LOCK:
        if _FONT_FAMILY is None:
            folder = _fonts_dir()
            files = sorted(folder.glob("Carlito-*.ttf")) if folder else []
            known = {f.fname for f in font_manager.fontManager.ttflist}
            for path in files:
                if str(path) not in known:
                    font_manager.fontManager.addfont(str(path))
            registered = any(f.name == "Carlito" for f in font_manager.fontManager.ttflist)
            _FONT_FAMILY = "Carlito" if files and registered else "DejaVu Sans"
        return _FONT_FAMILY


# --------------------------------------------------------------------------- colours


def _lightness(color: str | Sequence[float]) -> float:
    """CIE L* (0–100) of a colour: how light it prints in greyscale."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = mcolors.to_rgb(color)
    y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def _ramp(dark: str, light: str, k: int) -> list[RGB]:
    """k colours from dark to light (k == 1: the dark one)."""
    a, b = np.array(mcolors.to_rgb(dark)), np.array(mcolors.to_rgb(light))
    if k == 1:
        return [tuple(a)]  # type: ignore[list-item]
    return [tuple(a + (b - a) * j / (k - 1)) for j in range(k)]  # type: ignore[misc]


def scale_colors(scale: Scale) -> list[RGB]:
    """One colour per category, most negative first: orange ramp, grey, blue ramp.

    The most negative and the most positive categories are the darkest; the categories
    next to the middle are light, the neutral one(s) lightest.
    """
    neg = [v for v in scale.values if v in scale.negative]
    pos = [v for v in scale.values if v in scale.positive]
    neu = [v for v in scale.values if v not in scale.negative and v not in scale.positive]
    colors: dict[float, RGB] = {}
    colors.update(zip(neg, _ramp(NEG_DARK, NEG_LIGHT, len(neg))))
    colors.update(zip(reversed(pos), _ramp(POS_DARK, POS_LIGHT, len(pos))))
    neutral = _ramp(NEUTRAL_DARK, NEUTRAL, len(neu)) if len(neu) > 1 \
        else [mcolors.to_rgb(NEUTRAL)]
    colors.update(zip(neu, neutral))
    return [colors[v] for v in scale.values]


# --------------------------------------------------------------------------- layout


@contextmanager
def _text_rendering() -> Iterator[None]:
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
    Rotated text, mathtext and a matplotlib without these calls go the standard way.
    """

    _BITMAPS: dict[tuple, tuple[np.ndarray, int, int, int]] = {}
    _METRICS: dict[tuple, tuple[float, float, float]] = {}

    _FAST = all(hasattr(cls, name) for cls, name in (
        (RendererAgg, "_prepare_font"),
        (matplotlib.ft2font.FT2Font, "draw_glyphs_to_bitmap"),
        (matplotlib.ft2font.FT2Font, "get_image"),
        (matplotlib.ft2font.FT2Font, "get_bitmap_offset"),
    ))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # type: ignore[no-untyped-def]
        if ismath or angle or not self._FAST or not hasattr(self._renderer, "draw_text_image"):
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        key = _text_key(self, s, prop, bool(gc.get_antialiased()))
        bitmap = self._BITMAPS.get(key)
        if bitmap is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()  # 26.6 fixed point, as the descent
            image = np.array(font.get_image(), dtype=np.uint8)  # a copy: the font reuses its buffer
            bitmap = (image, xo, yo, font.get_descent())
            _remember(self._BITMAPS, key, bitmap)
        image, xo, yo, descent = bitmap
        # x, y: the text's baseline start, y downwards; the bitmap's bottom row goes at y.
        self._renderer.draw_text_image(image, round(x + xo / 64), round(y + (yo + descent) / 64) + 1, 0, gc)
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
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_lastKey", None) != key or not isinstance(getattr(self, "renderer", None), _ChartRenderer):
            self.renderer = _ChartRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


_MEASURE: list[RendererAgg] = []  # one renderer for measuring, made on first use


@lru_cache(maxsize=4096)
def _line_width_px(line: str, family: str, size: float) -> float:
    """Width in pixels (at ``DPI``) of one line of text; the same in every chart, so the
    labels that recur in every report of a batch are measured once per process."""
    if not _MEASURE:
        _MEASURE.append(RendererAgg(1, 1, DPI))  # text metrics depend on the dpi only
    prop = FontProperties(family=family, size=size)
    with _text_rendering():
        return _MEASURE[0].get_text_width_height_descent(line, prop, ismath=False)[0]


def _text_width_in(texts: Sequence[str], family: str, size: float) -> float:
    """Width in inches of the widest line among ``texts`` (multi-line texts allowed)."""
    widths = [_line_width_px(line, family, size) for text in texts for line in text.split("\n") if line]
    return max(widths, default=0.0) / DPI


def _legend_ncols(labels: Sequence[str], family: str, max_cols: int) -> int:
    """As many legend columns (up to ``max_cols``) as fit across the figure."""
    available = WIDTH_CM / 2.54 - 12 / 72
    per_item = (1.6 + 0.8 + 1.6) * FONT_SIZE / 72  # handle, handle-text pad, col spacing
    for ncols in range(min(max_cols, len(labels)), 1, -1):
        rows = [labels[i:i + ncols] for i in range(0, len(labels), ncols)]
        col_w = [_text_width_in([r[c] for r in rows if c < len(r)], family, FONT_SIZE)
                 for c in range(ncols)]
        if sum(col_w) + ncols * per_item <= available:
            return ncols
    return 1


def _legend_height_pt(labels: Sequence[str], ncols: int) -> float:
    """Height of a frameless legend with matplotlib's default paddings, in points."""
    rows = -(-len(labels) // ncols)
    lines = max(label.count("\n") + 1 for label in labels)
    row = max(lines * FONT_SIZE * 1.2, 1.1 * FONT_SIZE)
    return rows * row + (rows - 1) * 0.5 * FONT_SIZE + 2 * 0.4 * FONT_SIZE


def _frame(*, left_in: float, right_in: float, plot_h_in: float, legend_h_pt: float,
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


def _row_labels(ax: Axes, labels: Sequence[str], family: str) -> None:
    """Right-aligned labels left of the axes, one per row at y = 0, 1, 2, …"""
    for y, label in enumerate(labels):
        ax.annotate(label, xy=(0, y), xycoords=("axes fraction", "data"), xytext=(-5, 0),
                    textcoords="offset points", ha="right", va="center",
                    fontsize=FONT_SIZE, fontfamily=family, color=TEXT_COLOR,
                    linespacing=1.1, annotation_clip=False)


def _x_axis(ax: Axes, ticks: Sequence[float], label: str, family: str) -> None:
    ax.xaxis.set_major_locator(FixedLocator(list(ticks)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt.num(x, 0)))
    ax.set_xlabel(label, fontfamily=family, fontsize=FONT_SIZE, color=TEXT_COLOR,
                  labelpad=4)


def _legend(fig: MplFigure, handles: list[Artist], family: str, ncols: int,
            top: float) -> None:
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncols=ncols,
               frameon=False, prop={"family": family, "size": FONT_SIZE},
               handlelength=1.6, handleheight=1.1, columnspacing=1.6, borderaxespad=0)


def _rects(spans: Sequence[tuple[float, float, float, float]]) -> list[list[tuple[float, float]]]:
    """(x0, x1, y_center, height) → rectangle polygons for a PolyCollection."""
    return [[(x0, y - h / 2), (x0, y + h / 2), (x1, y + h / 2), (x1, y - h / 2)]
            for x0, x1, y, h in spans]


def _png(canvas: FigureCanvasAgg) -> bytes:
    """Opaque RGB PNG of the figure with only the pHYs chunk (no "Software", no dates)."""
    with _text_rendering():
        canvas.draw()
    return png_rgb(np.asarray(canvas.buffer_rgba()), DPI)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_rgb(rgba: np.ndarray, dpi: float, level: int = PNG_COMPRESS_LEVEL) -> bytes:
    """An 8-bit RGB PNG of the ``(height, width, 4)`` pixels ``rgba`` (alpha dropped: the
    figures are opaque), with ``dpi`` in a pHYs chunk and nothing else.

    Rows are stored unfiltered (filter type 0) in one zlib stream: a chart is mostly
    runs of one colour, which deflate packs as well as PNG's filters would, and leaving
    out the filter search makes encoding about three times as fast as Pillow's.
    """
    height, width = rgba.shape[:2]
    rows = np.empty((height, 3 * width + 1), np.uint8)  # each row: filter byte 0, then RGB
    rows[:, 0] = 0
    body = rows[:, 1:]
    for channel in range(3):  # three one-byte strided copies: faster than one 3-byte one
        body[:, channel::3] = rgba[:, :, channel]
    ppm = int(dpi / 0.0254 + 0.5)  # pixels per metre, rounded as Pillow does
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
        _chunk(b"IDAT", zlib.compress(rows, level)),
        _chunk(b"IEND", b""),
    ))


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


def placeholder_png(width: int, height: int, dpi: float, key: str) -> bytes:
    """The header of an RGB PNG of ``width`` × ``height`` pixels — IHDR, pHYs, a private
    ``rgFk`` chunk naming ``key`` (so that two placeholders never coincide) and an empty
    IDAT: enough for a layout engine to size the image, never meant to be decoded."""
    ppm = int(dpi / 0.0254 + 0.5)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
        _chunk(b"rgFk", key.encode("utf-8")),
        _chunk(b"IDAT", zlib.compress(b"")),
        _chunk(b"IEND", b""),
    ))


# --------------------------------------------------------------------------- text helpers


def _caption(number: int | None, text: str) -> str:
    return f"Figur {number}. {text}" if number is not None else text


def _bound(v: float) -> str:
    """A scale end point: 1 → '1', 2.5 → '2,5'."""
    return fmt.num(v, 0) if float(v).is_integer() else fmt.num(v, 1)


def _two_lines(text: str, width: int) -> str:
    """Wrap to at most two lines of ``width`` characters, ending in ' …' if cut."""
    lines = textwrap.wrap(text, width)
    if len(lines) <= 2:
        return "\n".join(lines)
    second = textwrap.shorten(" ".join(lines[1:]), width=width, placeholder=" …")
    return lines[0] + "\n" + second


def _hidden_note(suppressed: list[str], empty: list[str], singular: str, plural: str
                 ) -> str:
    """' Temaet X vises ikke af hensyn til anonymiteten.' and the like, or ''."""
    out = ""
    for names, reason in ((suppressed, "af hensyn til anonymiteten"),
                          (empty, "fordi der ikke er gyldige svar")):
        if names:
            out += f" {plural if len(names) > 1 else singular} {fmt.join_da(names)} " \
                   f"vises ikke {reason}."
    return out


def _unit(results: Results, unit: str) -> UnitResult:
    if unit == "focus":
        return results.focus
    if unit == "benchmark":
        return results.benchmark
    raise ValueError(f"unit must be 'focus' or 'benchmark', got {unit!r}")


# --------------------------------------------------------------------------- theme chart


def theme_chart(results: Results, *, brand_colors: tuple[str, str] | None = None,
                number: int | None = 1) -> Figure:
    """The theme chart (see ``theme_chart_pending``), drawn."""
    return theme_chart_pending(results, brand_colors=brand_colors, number=number).draw()


def theme_chart_pending(results: Results, *, brand_colors: tuple[str, str] | None = None,
                        number: int | None = 1) -> PendingFigure:
    """Mean theme score, focus municipality against the benchmark, one bar pair per theme.

    Themes are drawn in ``results.themes`` order, the first on top; themes without a
    score that may be shown for the focus municipality are left out and named in the alt
    text. Whiskers show the 95 % confidence interval where the estimate has one.
    ``brand_colors`` replaces the (focus, benchmark) colours — keep the first dark and the
    second light for greyscale printing. ``number`` is the figure number in the caption
    (None: no "Figur n." prefix). Without a benchmark (``results.has_benchmark`` false:
    one municipality and no published table) the chart shows the focus bars alone and
    neither the legend nor the alt text mentions a benchmark.
    """
    focus_color, bench_color = brand_colors or (FOCUS_COLOR, BENCHMARK_COLOR)
    focus_name, bench_name = results.focus.name, results.benchmark_name
    has_bench = results.has_benchmark

    shown: list[str] = []
    suppressed: list[str] = []
    empty: list[str] = []
    for theme in results.themes:
        tr = results.focus.themes.get(theme)
        if tr is not None and (tr.suppressed or tr.score.suppressed):
            suppressed.append(theme)
        elif tr is None or tr.score.value is None:
            empty.append(theme)
        else:
            shown.append(theme)
    if not shown:
        raise ValueError("theme_chart: no theme has a score that may be shown")

    lo, hi = _theme_range(results, shown)
    family = font_family()
    row_labels = [textwrap.fill(t, THEME_LABEL_WIDTH) for t in shown]
    legend_labels = [focus_name, bench_name, CI_LABEL] if has_bench else [focus_name, CI_LABEL]
    ncols = _legend_ncols(legend_labels, family, len(legend_labels))
    max_lines = max(label.count("\n") + 1 for label in row_labels)
    fig, canvas, ax, legend_top = _frame(
        left_in=_text_width_in(row_labels, family, FONT_SIZE) + 12 / 72,
        right_in=_text_width_in(["0,00"], family, FONT_SIZE) + 10 / 72,
        plot_h_in=len(shown) * max(0.5, 0.14 * max_lines + 0.1) + 0.05,
        legend_h_pt=_legend_height_pt(legend_labels, ncols), family=family)

    bar_h, offset = (0.36, 0.19) if has_bench else (0.5, 0.0)
    focus_spans, bench_spans = [], []
    ci_segments: list[list[tuple[float, float]]] = []
    alt_parts: list[str] = []
    for i, theme in enumerate(shown):
        f_est = results.focus.themes[theme].score
        b_tr = results.benchmark.themes.get(theme)
        b_est = None
        if has_bench and b_tr is not None and not (b_tr.suppressed or b_tr.score.suppressed) \
                and b_tr.score.value is not None:
            b_est = b_tr.score
        bars = [(f_est, i - offset, focus_spans)]
        if b_est is not None:
            bars.append((b_est, i + offset, bench_spans))
        for est, y, spans in bars:
            value = float(est.value)  # type: ignore[arg-type]
            spans.append((lo, value, y, bar_h))
            end = value
            if est.ci_low is not None and est.ci_high is not None:
                # A normal-approximation interval can reach past the scale; draw it clipped.
                c0, c1 = max(float(est.ci_low), lo), min(float(est.ci_high), hi)
                cap = bar_h * 0.22
                ci_segments += [[(c0, y), (c1, y)], [(c0, y - cap), (c0, y + cap)],
                                [(c1, y - cap), (c1, y + cap)]]
                end = max(end, c1)
            ax.annotate(fmt.num(value, 2), xy=(end, y), xytext=(3, 0),
                        textcoords="offset points", ha="left", va="center",
                        fontsize=FONT_SIZE, fontfamily=family, color=TEXT_COLOR,
                        annotation_clip=False)
        if has_bench:
            bench_txt = fmt.num(b_est.value, 2) if b_est is not None else "ikke oplyst"
            alt_parts.append(f"{theme}: {fmt.num(f_est.value, 2)} ({bench_txt})")
        else:
            alt_parts.append(f"{theme}: {fmt.num(f_est.value, 2)}")

    ax.add_collection(PolyCollection(_rects(focus_spans), facecolors=focus_color,
                                     edgecolors="none", linewidths=0), autolim=False)
    if bench_spans:
        ax.add_collection(PolyCollection(_rects(bench_spans), facecolors=bench_color,
                                         edgecolors=BENCHMARK_HATCH_COLOR, linewidths=0,
                                         hatch=HATCH), autolim=False)
    if ci_segments:
        ax.add_collection(LineCollection(ci_segments, colors=CI_COLOR, linewidths=0.9,
                                         zorder=3), autolim=False)

    ax.set_xlim(lo, hi)
    ax.set_ylim(len(shown) - 0.45, -0.55)  # first theme on top
    ax.spines["left"].set_visible(True)
    ax.spines["left"].set_color(AXIS_COLOR)
    ax.spines["left"].set_linewidth(0.8)
    _row_labels(ax, row_labels, family)
    _x_axis(ax, np.arange(np.ceil(lo), np.floor(hi) + 1),
            f"Gennemsnitlig score ({_bound(lo)} = mest negativ, {_bound(hi)} = mest positiv)",
            family)
    ax.grid(axis="x", color=GRID_COLOR, linewidth=0.6)

    handles: list[Artist] = [Patch(facecolor=focus_color, edgecolor="none", linewidth=0, label=focus_name)]
    if has_bench:
        handles.append(Patch(facecolor=bench_color, edgecolor=BENCHMARK_HATCH_COLOR, linewidth=0,
                             hatch=HATCH, label=bench_name))
    if ci_segments:
        handles.append(Line2D([], [], color=CI_COLOR, linewidth=0.9, marker="|",
                              markersize=5, label=CI_LABEL))
    _legend(fig, handles, family, ncols=min(ncols, len(handles)), top=legend_top)

    if has_bench:
        alt = (f"Søjlediagram over gennemsnitlig score pr. tema for {focus_name} sammenlignet "
               f"med {bench_name} på en skala fra {_bound(lo)} til {_bound(hi)}, hvor "
               f"{_bound(hi)} er mest positiv. Tallet i parentes gælder {bench_name}. "
               + "; ".join(alt_parts) + ".")
    else:
        alt = (f"Søjlediagram over gennemsnitlig score pr. tema for {focus_name} på en skala fra "
               f"{_bound(lo)} til {_bound(hi)}, hvor {_bound(hi)} er mest positiv. "
               + "; ".join(alt_parts) + ".")
    if ci_segments:
        alt += " Streger ved søjlernes ende viser 95 pct. konfidensintervaller."
    alt += _hidden_note(suppressed, empty, "Temaet", "Temaerne")
    caption = _caption(number, f"Gennemsnitlig score pr. tema (skala {_bound(lo)}–{_bound(hi)})")
    return PendingFigure(canvas, caption, alt, WIDTH_CM)


def _theme_range(results: Results, themes: Sequence[str]) -> tuple[float, float]:
    """The x range: the span of the shown themes' question scales (default 1–5)."""
    scales = [q.scale for q in results.questions if q.theme in themes] \
        or [q.scale for q in results.questions]
    if not scales:
        return 1.0, 5.0
    return min(s.minimum for s in scales), max(s.maximum for s in scales)


# --------------------------------------------------------------------------- distribution


def _question_label(number: str, text: str) -> str:
    return f"{number} {text}".strip() if number else text


def _select_questions(results: Results, unit: UnitResult, questions: list[str] | None
                      ) -> tuple[list[QuestionResult], list[str], list[str]]:
    """(showable question results, suppressed labels, labels without answers), in order."""
    if questions is not None:
        unknown = set(questions) - {q.id for q in results.questions}
        if unknown:
            raise ValueError(f"unknown question ids {sorted(unknown)}; "
                             f"known: {[q.id for q in results.questions]}")
    shown: list[QuestionResult] = []
    suppressed: list[str] = []
    empty: list[str] = []
    for q in results.questions:
        if questions is not None and q.id not in questions:
            continue
        qr = unit.questions.get(q.id)
        if qr is not None and qr.suppressed:
            suppressed.append(_question_label(q.number, q.text))
        elif qr is None or sum(qr.counts) == 0 or len(qr.counts) != len(q.scale.labels):
            empty.append(_question_label(q.number, q.text))
        else:
            shown.append(qr)
    return shown, suppressed, empty


def distribution_scales(results: Results, *, unit: str = "focus",
                        questions: list[str] | None = None) -> list[Scale]:
    """The scales of the showable questions, most common first (ties: first seen first).

    Call ``distribution_chart(..., scale=s.name)`` for each to get one chart per scale.
    """
    shown, _, _ = _select_questions(results, _unit(results, unit), questions)
    first_seen: dict[str, Scale] = {}
    for qr in shown:
        first_seen.setdefault(qr.question.scale.name, qr.question.scale)
    counts = Counter(qr.question.scale.name for qr in shown)
    return [first_seen[n] for n in sorted(first_seen, key=lambda n: -counts[n])]


def distribution_chart(results: Results, *, unit: str = "focus",
                       questions: list[str] | None = None, scale: str | None = None,
                       number: int | None = 2) -> Figure:
    """The distribution chart (see ``distribution_chart_pending``), drawn."""
    return distribution_chart_pending(results, unit=unit, questions=questions, scale=scale, number=number).draw()


def distribution_chart_pending(results: Results, *, unit: str = "focus",
                               questions: list[str] | None = None, scale: str | None = None,
                               number: int | None = 2) -> PendingFigure:
    """Distribution of valid answers over the scale categories, one 100 % bar per question.

    ``unit`` is "focus" or "benchmark"; ``questions`` (ids) limits the questions, which
    keep the order of ``results.questions``. One chart holds one scale: ``scale`` names
    it, by default the most common one (see ``distribution_scales``). Shares of 8 % or
    more are printed in the segments. Suppressed questions are left out and named in the
    alt text. ``number`` is the figure number in the caption (None: no prefix).
    """
    u = _unit(results, unit)
    shown, suppressed, empty = _select_questions(results, u, questions)
    scales = distribution_scales(results, unit=unit, questions=questions)
    if not scales:
        raise ValueError("distribution_chart: no question has answers that may be shown")
    chosen = scales[0] if scale is None else next((s for s in scales if s.name == scale), None)
    if chosen is None:
        raise ValueError(f"distribution_chart: no showable question uses scale {scale!r}; "
                         f"available: {[s.name for s in scales]}")
    n_other_scale = sum(qr.question.scale.name != chosen.name for qr in shown)
    shown = [qr for qr in shown if qr.question.scale.name == chosen.name]

    colors = scale_colors(chosen)
    family = font_family()
    row_labels = [_two_lines(_question_label(qr.question.number, qr.question.text),
                             QUESTION_LABEL_WIDTH) for qr in shown]
    max_lines = max(label.count("\n") + 1 for label in row_labels)
    legend_labels = [textwrap.fill(lab, LEGEND_LABEL_WIDTH) for lab in chosen.labels]
    ncols = _legend_ncols(legend_labels, family,
                          chosen.points if chosen.points <= 6 else -(-chosen.points // 2))
    totals = [sum(qr.counts) for qr in shown]
    n_texts = [f"n = {fmt.integer(t)}" for t in totals]
    fig, canvas, ax, legend_top = _frame(
        left_in=_text_width_in(row_labels, family, FONT_SIZE) + 12 / 72,
        right_in=_text_width_in(n_texts, family, SMALL_FONT_SIZE) + 10 / 72,
        plot_h_in=len(shown) * (0.22 + 0.14 * max_lines),
        legend_h_pt=_legend_height_pt(legend_labels, ncols), family=family)

    spans, facecolors = [], []
    alt_parts: list[str] = []
    for i, (qr, total) in enumerate(zip(shown, totals)):
        left = 0.0
        for count, color in zip(qr.counts, colors):
            width = 100 * count / total
            if width > 0:
                spans.append((left, left + width, i, 0.66))
                facecolors.append(color)
            if width >= 8:
                ax.text(left + width / 2, i, fmt.num(width, 0), ha="center", va="center",
                        fontsize=SMALL_FONT_SIZE, fontfamily=family,
                        color="white" if _lightness(color) < 55 else TEXT_COLOR)
            left += width
        ax.annotate(n_texts[i], xy=(100, i), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=SMALL_FONT_SIZE, fontfamily=family,
                    color=MUTED_TEXT, annotation_clip=False)
        dist = ", ".join(f"{lab} {fmt.num(100 * c / total, 0)} pct."
                         for lab, c in zip(chosen.labels, qr.counts))
        alt_parts.append(f"{_question_label(qr.question.number, qr.question.text)}: "
                         f"{dist} (n = {fmt.integer(total)})")
    ax.add_collection(PolyCollection(_rects(spans), facecolors=facecolors,
                                     edgecolors="white", linewidths=0.8), autolim=False)

    ax.set_xlim(0, 100)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    _row_labels(ax, row_labels, family)
    _x_axis(ax, range(0, 101, 20), "Andel af gyldige svar (pct.)", family)

    handles: list[Artist] = [Patch(facecolor=c, edgecolor="none", label=lab)
                             for lab, c in zip(legend_labels, colors)]
    _legend(fig, handles, family, ncols=ncols, top=legend_top)

    alt = (f"Stablet søjlediagram over fordelingen af gyldige svar pr. spørgsmål for "
           f"{u.name}, i procent af de gyldige svar på hvert spørgsmål. "
           + "; ".join(alt_parts) + ".")
    alt += _hidden_note(suppressed, empty, "Spørgsmålet", "Spørgsmålene")
    if n_other_scale:
        alt += f" {n_other_scale} spørgsmål med en anden svarskala vises ikke i denne figur."
    caption = _caption(number, f"Fordeling af svar pr. spørgsmål, {u.name} "
                               f"(pct. af gyldige svar)")
    return PendingFigure(canvas, caption, alt, WIDTH_CM)
