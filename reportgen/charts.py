"""Results → figures.

Each public function draws one chart from ``Results`` and returns a
``reportgen.models.Figure``: PNG bytes, a Danish caption and a Danish alt text that
states the numbers shown.

Charts are drawn on a bare ``matplotlib.figure.Figure`` with the Agg canvas (no pyplot
state), laid out by hand at a fixed width of 16 cm and a fixed dpi, and saved as an
opaque RGB PNG without text chunks, so the same input gives the same bytes. Fonts are set
per artist rather than through ``rcParams``; the bundled Carlito font is used when it is
present, else DejaVu Sans.

Colours survive colour blindness and greyscale printing: orange for the negative end of
a scale, grey for neutral, blue for the positive end, with lightness (CIE L*) values at
least ten units apart within a built-in scale; white gaps separate the segments. In the
theme chart the benchmark bars are lighter than the focus bars and hatched.
"""

from __future__ import annotations

import io
import textwrap
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image

matplotlib.use("Agg")  # no display; harmless, pyplot is never imported here

import matplotlib.colors as mcolors  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator  # noqa: E402

from reportgen import fmt  # noqa: E402
from reportgen.models import Figure, QuestionResult, Results, Scale, UnitResult  # noqa: E402

__all__ = ["theme_chart", "distribution_chart", "distribution_scales", "scale_colors"]

# --------------------------------------------------------------------------- constants

WIDTH_CM = 16.0
DPI = 200
PNG_COMPRESS_LEVEL = 3  # zlib level: 6 saves ~3 % size at ~10 % more encoding time
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
        from reportgen.resources import templates_dir

        candidates.append(templates_dir() / "fonts")
    except Exception:  # no resources module or no templates: look in the tree
        pass
    here = Path(__file__).resolve().parent
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


def _text_width_in(texts: Sequence[str], family: str, size: float) -> float:
    """Width in inches of the widest line among ``texts`` (multi-line texts allowed)."""
    renderer = RendererAgg(1, 1, DPI)  # text metrics depend on the dpi only
    prop = FontProperties(family=family, size=size)
    widths = [renderer.get_text_width_height_descent(line, prop, ismath=False)[0]
              for text in texts for line in text.split("\n") if line]
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
    canvas = FigureCanvasAgg(fig)
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
    """Opaque RGB PNG of the figure with only the pHYs chunk (no "Software", no dates).

    Saved through Pillow rather than ``print_png``: dropping the always-opaque alpha
    channel gives a smaller file and faster encoding.
    """
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(DPI, DPI))
    return buf.getvalue()


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
    """Mean theme score, focus municipality against the benchmark, one bar pair per theme.

    Themes are drawn in ``results.themes`` order, the first on top; themes without a
    score that may be shown for the focus municipality are left out and named in the alt
    text. Whiskers show the 95 % confidence interval where the estimate has one.
    ``brand_colors`` replaces the (focus, benchmark) colours — keep the first dark and the
    second light for greyscale printing. ``number`` is the figure number in the caption
    (None: no "Figur n." prefix).
    """
    focus_color, bench_color = brand_colors or (FOCUS_COLOR, BENCHMARK_COLOR)
    focus_name, bench_name = results.focus.name, results.benchmark_name

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
    legend_labels = [focus_name, bench_name, CI_LABEL]
    ncols = _legend_ncols(legend_labels, family, 3)
    max_lines = max(label.count("\n") + 1 for label in row_labels)
    fig, canvas, ax, legend_top = _frame(
        left_in=_text_width_in(row_labels, family, FONT_SIZE) + 12 / 72,
        right_in=_text_width_in(["0,00"], family, FONT_SIZE) + 10 / 72,
        plot_h_in=len(shown) * max(0.5, 0.14 * max_lines + 0.1) + 0.05,
        legend_h_pt=_legend_height_pt(legend_labels, ncols), family=family)

    bar_h, offset = 0.36, 0.19
    focus_spans, bench_spans = [], []
    ci_segments: list[list[tuple[float, float]]] = []
    alt_parts: list[str] = []
    for i, theme in enumerate(shown):
        f_est = results.focus.themes[theme].score
        b_tr = results.benchmark.themes.get(theme)
        b_est = None
        if b_tr is not None and not (b_tr.suppressed or b_tr.score.suppressed) \
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
        bench_txt = fmt.num(b_est.value, 2) if b_est is not None else "ikke oplyst"
        alt_parts.append(f"{theme}: {fmt.num(f_est.value, 2)} ({bench_txt})")

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

    handles: list[Artist] = [
        Patch(facecolor=focus_color, edgecolor="none", linewidth=0, label=focus_name),
        Patch(facecolor=bench_color, edgecolor=BENCHMARK_HATCH_COLOR, linewidth=0,
              hatch=HATCH, label=bench_name)]
    if ci_segments:
        handles.append(Line2D([], [], color=CI_COLOR, linewidth=0.9, marker="|",
                              markersize=5, label=CI_LABEL))
    _legend(fig, handles, family, ncols=min(ncols, len(handles)), top=legend_top)

    alt = (f"Søjlediagram over gennemsnitlig score pr. tema for {focus_name} sammenlignet "
           f"med {bench_name} på en skala fra {_bound(lo)} til {_bound(hi)}, hvor "
           f"{_bound(hi)} er mest positiv. Tallet i parentes gælder {bench_name}. "
           + "; ".join(alt_parts) + ".")
    if ci_segments:
        alt += " Streger ved søjlernes ende viser 95 pct. konfidensintervaller."
    alt += _hidden_note(suppressed, empty, "Temaet", "Temaerne")
    caption = _caption(number, f"Gennemsnitlig score pr. tema (skala {_bound(lo)}–{_bound(hi)})")
    return Figure(png=_png(canvas), caption=caption, alt_text=alt, width_cm=WIDTH_CM)


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
    return Figure(png=_png(canvas), caption=caption, alt_text=alt, width_cm=WIDTH_CM)
