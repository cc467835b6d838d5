"""Results → figures.

Each public function draws one chart from ``Results`` and returns a
``reportgen.models.Figure``: PNG bytes, a Danish caption and a Danish alt text that
states the numbers shown. Charts are drawn on a bare ``matplotlib.figure.Figure`` with
the Agg canvas (no pyplot state), at a fixed size and dpi and without a ``Software``
PNG chunk, so the same input gives the same bytes. Fonts are set per artist rather than
through ``rcParams``, and the bundled Carlito font is used when it is present.

Colours are chosen to survive colour blindness and greyscale printing: orange for the
negative end of a scale, grey for neutral, blue for the positive end, with lightness
values that stay at least about ten L* units apart within a scale; the benchmark bars
in the theme chart are hatched as well as lighter.
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

matplotlib.use("Agg")  # no display; harmless if pyplot is never imported

import matplotlib.colors as mcolors  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator  # noqa: E402

from reportgen import fmt  # noqa: E402
from reportgen.models import Figure, QuestionResult, Results, Scale, UnitResult  # noqa: E402

__all__ = ["theme_chart", "distribution_chart", "distribution_scales"]

# --------------------------------------------------------------------------- constants

WIDTH_CM = 16.0
DPI = 200
PNG_COMPRESS_LEVEL = 3
FONT_SIZE = 8.5
SMALL_FONT_SIZE = 7.5

FOCUS_COLOR = "#1f4e79"  # dark blue, L* ≈ 32
BENCHMARK_COLOR = "#a6bddb"  # light grey-blue, L* ≈ 76, hatched
BENCHMARK_HATCH_COLOR = "#4a6f96"
CI_COLOR = "#333333"
TEXT_COLOR = "#1a1a1a"
GRID_COLOR = "#d9d9d9"
AXIS_COLOR = "#7f7f7f"
MUTED_TEXT = "#595959"
CI_LABEL = "95 pct. konfidensinterval"

# Diverging scale palette, from the darkest negative to the darkest positive.
# L* values: 46 / 80 | 91 | 62 / 32 — pairwise at least ~11 apart on a 5-point scale.
NEG_DARK, NEG_LIGHT = "#a35a0b", "#fdb863"
NEUTRAL = "#e6e6e6"
POS_LIGHT, POS_DARK = "#5b9bd5", "#1f4e79"

_FONT_FAMILY: str | None = None
_FONT_LOCK = threading.Lock()


# --------------------------------------------------------------------------- fonts


def _fonts_dir() -> Path | None:
    try:
        from reportgen.resources import templates_dir

        candidates = [templates_dir() / "fonts"]
    except Exception:  # resources missing or templates not found: fall back to the tree
        candidates = []
    here = Path(__file__).resolve().parent
    candidates += [here / "templates" / "fonts", here.parent / "templates" / "fonts"]
    for c in candidates:
        if c.is_dir():
            return c
    return None


def font_family() -> str:
    """"Carlito" when the bundled TTFs are found (registered once), else "DejaVu Sans"."""
    global _FONT_FAMILY
    with _FONT_LOCK:
        if _FONT_FAMILY is None:
            family = "DejaVu Sans"
            folder = _fonts_dir()
            files = sorted(folder.glob("Carlito-*.ttf")) if folder else []
            known = {f.fname for f in font_manager.fontManager.ttflist}
            for path in files:
                if str(path) not in known:
                    font_manager.fontManager.addfont(str(path))
            if files and any(f.name == "Carlito" for f in font_manager.fontManager.ttflist):
                family = "Carlito"
            _FONT_FAMILY = family
        return _FONT_FAMILY


# --------------------------------------------------------------------------- helpers


def _lightness(color: str | tuple[float, ...]) -> float:
    """CIE L* (0–100) of a colour: how light it prints in greyscale."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = mcolors.to_rgb(color)
    y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def _ramp(dark: str, light: str, k: int) -> list[tuple[float, float, float]]:
    """k colours from dark to light (k == 1: the dark one)."""
    a, b = mcolors.to_rgb(dark), mcolors.to_rgb(light)
    if k == 1:
        return [a]
    return [tuple(a[i] + (b[i] - a[i]) * j / (k - 1) for i in range(3)) for j in range(k)]  # type: ignore[misc]


def scale_colors(scale: Scale) -> list[tuple[float, float, float]]:
    """One colour per scale category, most negative first: orange ramp, grey, blue ramp."""
    neg = [v for v in scale.values if v in scale.negative]
    pos = [v for v in scale.values if v in scale.positive]
    neu = [v for v in scale.values if v not in scale.negative and v not in scale.positive]
    colors: dict[float, tuple[float, float, float]] = {}
    # Negative: the most negative (first) is darkest; positive: the last is darkest.
    for v, c in zip(sorted(neg, key=scale.values.index), _ramp(NEG_DARK, NEG_LIGHT, len(neg))):
        colors[v] = c
    for v, c in zip(sorted(pos, key=scale.values.index, reverse=True),
                    _ramp(POS_DARK, POS_LIGHT, len(pos))):
        colors[v] = c
    for v, c in zip(neu, _ramp("#cccccc", NEUTRAL, len(neu)) if len(neu) > 1 else [mcolors.to_rgb(NEUTRAL)]):
        colors[v] = c
    return [colors[v] for v in scale.values]


def _num_formatter(decimals: int) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: fmt.num(x, decimals))


def _scale_bound(v: float) -> str:
    return fmt.num(v, 0) if float(v).is_integer() else fmt.num(v, 1)


def _text_width_in(texts: Sequence[str], family: str, size: float) -> float:
    """Width in inches of the widest line among ``texts`` (multi-line texts allowed)."""
    renderer = RendererAgg(1, 1, DPI)  # text metrics depend on dpi only
    prop = FontProperties(family=family, size=size)
    widths = [renderer.get_text_width_height_descent(line, prop, ismath=False)[0]
              for text in texts for line in text.split("\n") if line]
    return max(widths, default=0.0) / DPI


def _legend_height_pt(n_items: int, ncols: int, max_lines: int) -> float:
    """Height of a frameless legend with matplotlib's default paddings, in points."""
    rows = -(-n_items // ncols)
    row = max(max_lines * FONT_SIZE * 1.2, 1.1 * FONT_SIZE)
    return rows * row + (rows - 1) * 0.5 * FONT_SIZE + 2 * 0.4 * FONT_SIZE


def _frame(*, left_in: float, right_in: float, plot_h_in: float, legend_h_pt: float
           ) -> tuple[MplFigure, FigureCanvasAgg, Axes, float]:
    """A figure 16 cm wide with one axes placed by hand (no layout engine: faster and
    stable). Returns the figure, its canvas, the axes and the legend's top in figure
    coordinates. Below the axes: ticks, tick labels, the x label, a gap, the legend."""
    top_pt = 6.0
    below_axes_pt = 3 + 3.5 + FONT_SIZE * 1.2 + 4 + FONT_SIZE * 1.2 + 9
    bottom_pt = below_axes_pt + legend_h_pt + 3
    width = WIDTH_CM / 2.54
    height = plot_h_in + (top_pt + bottom_pt) / 72
    fig = MplFigure(figsize=(width, height), dpi=DPI)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((left_in / width, bottom_pt / 72 / height,
                       1 - (left_in + right_in) / width, plot_h_in / height))
    legend_top = (bottom_pt - below_axes_pt) / 72 / height
    return fig, canvas, ax, legend_top


def _png(canvas: FigureCanvasAgg) -> bytes:
    """Opaque RGB PNG of the drawn figure, without text chunks (no "Software", no dates).

    Written through Pillow directly rather than ``print_png``: dropping the always-opaque
    alpha channel makes the file smaller and faster to encode, and a low zlib level costs
    little size on flat chart graphics while saving a third of the encoding time.
    """
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(DPI, DPI))
    return buf.getvalue()


def _style_axes(ax: Axes, family: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS_COLOR)
        ax.spines[side].set_linewidth(0.8)
    ax.tick_params(labelfontfamily=family, labelsize=FONT_SIZE, colors=TEXT_COLOR,
                   color=AXIS_COLOR, width=0.8, length=3, pad=3.5)
    ax.set_axisbelow(True)


def _legend_ncols(labels: Sequence[str], family: str, max_cols: int | None = None) -> int:
    """As many legend columns (up to ``max_cols``) as fit in one 16 cm row, else fewer."""
    max_cols = max_cols or len(labels)
    available = WIDTH_CM / 2.54 - 12 / 72
    per_item = (1.6 + 0.8 + 1.6) * FONT_SIZE / 72  # handle, handle-text pad, col spacing
    for ncols in range(max_cols, 1, -1):
        rows = [labels[i:i + ncols] for i in range(0, len(labels), ncols)]
        col_w = [_text_width_in([r[c] for r in rows if c < len(r)], family, FONT_SIZE)
                 for c in range(ncols)]
        if sum(col_w) + ncols * per_item <= available:
            return ncols
    return 1


def _legend(fig: MplFigure, handles: list[Artist], family: str, ncols: int, top: float
            ) -> None:
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, top), ncols=ncols,
               frameon=False, prop={"family": family, "size": FONT_SIZE},
               handlelength=1.6, handleheight=1.1, columnspacing=1.6, borderaxespad=0)


def _caption(number: int | None, text: str) -> str:
    return f"Figur {number}. {text}" if number is not None else text


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

    Themes are drawn in ``results.themes`` order, the first on top; themes suppressed for
    the focus municipality are left out and named in the alt text. Whiskers show the
    95 % confidence interval where the estimate has one. ``brand_colors`` replaces the
    (focus, benchmark) colours; ``number`` is the figure number in the caption.
    """
    focus_color, bench_color = brand_colors or (FOCUS_COLOR, BENCHMARK_COLOR)
    focus_name, bench_name = results.focus.name, results.benchmark_name

    shown: list[str] = []
    hidden: list[str] = []
    for theme in results.themes:
        tr = results.focus.themes.get(theme)
        if tr is None or tr.suppressed or tr.score.suppressed or tr.score.value is None:
            hidden.append(theme)
        else:
            shown.append(theme)
    if not shown:
        raise ValueError("theme_chart: no theme has a score that may be shown")

    lo, hi = _theme_range(results, shown)
    family = font_family()
    y_labels = [textwrap.fill(t, 26) for t in shown]
    legend_labels = [focus_name, bench_name, CI_LABEL]
    ncols = _legend_ncols(legend_labels, family)
    fig, canvas, ax, legend_top = _frame(
        left_in=_text_width_in(y_labels, family, FONT_SIZE) + 10 / 72,
        right_in=_text_width_in(["0,00"], family, FONT_SIZE) + 9 / 72,
        plot_h_in=0.5 * (len(shown) + 0.1),
        legend_h_pt=_legend_height_pt(3, ncols, 1))
    _style_axes(ax, family)

    bar_h, offset = 0.36, 0.19
    any_ci = False
    alt_parts: list[str] = []
    for i, theme in enumerate(shown):
        f_est = results.focus.themes[theme].score
        b_tr = results.benchmark.themes.get(theme)
        b_est = None
        if b_tr is not None and not (b_tr.suppressed or b_tr.score.suppressed) \
                and b_tr.score.value is not None:
            b_est = b_tr.score
        bars = [(f_est, i - offset, focus_color, None)]
        if b_est is not None:
            bars.append((b_est, i + offset, bench_color, "////"))
        for est, y, color, hatch in bars:
            value = float(est.value)  # type: ignore[arg-type]
            ax.barh(y, value - lo, left=lo, height=bar_h, color=color, hatch=hatch,
                    edgecolor=BENCHMARK_HATCH_COLOR if hatch else color, linewidth=0)
            end = value
            if est.ci_low is not None and est.ci_high is not None:
                any_ci = True
                ax.errorbar(value, y, xerr=[[value - est.ci_low], [est.ci_high - value]],
                            fmt="none", ecolor=CI_COLOR, elinewidth=0.9, capsize=2.5,
                            capthick=0.9)
                end = max(end, float(est.ci_high))
            ax.annotate(fmt.num(value, 2), xy=(end, y), xytext=(3, 0),
                        textcoords="offset points", ha="left", va="center",
                        fontsize=FONT_SIZE, fontfamily=family, color=TEXT_COLOR,
                        annotation_clip=False)
        bench_txt = fmt.num(b_est.value, 2) if b_est is not None else "ikke oplyst"
        alt_parts.append(f"{theme}: {fmt.num(f_est.value, 2)} ({bench_txt})")

    ax.set_xlim(lo, hi)
    ax.set_ylim(len(shown) - 0.45, -0.55)  # first theme on top
    ax.xaxis.set_major_locator(MultipleLocator(1.0))
    ax.xaxis.set_major_formatter(_num_formatter(0))
    ax.set_yticks(range(len(shown)), y_labels)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.grid(axis="x", color=GRID_COLOR, linewidth=0.6)
    range_txt = f"{_scale_bound(lo)}–{_scale_bound(hi)}"
    ax.set_xlabel(f"Gennemsnitlig score ({_scale_bound(lo)} = mest negativ, "
                  f"{_scale_bound(hi)} = mest positiv)", fontfamily=family,
                  fontsize=FONT_SIZE, color=TEXT_COLOR, labelpad=4)

    handles = [Patch(facecolor=focus_color, edgecolor=focus_color, linewidth=0, label=focus_name),
               Patch(facecolor=bench_color, edgecolor=BENCHMARK_HATCH_COLOR, linewidth=0,
                     hatch="////", label=bench_name)]
    if any_ci:
        handles.append(Line2D([], [], color=CI_COLOR, linewidth=0.9, marker="|",
                              markersize=5, label=CI_LABEL))
    _legend(fig, handles, family, ncols=min(ncols, len(handles)), top=legend_top)

    alt = (f"Søjlediagram over gennemsnitlig score pr. tema for {focus_name} sammenlignet "
           f"med {bench_name} på en skala fra {_scale_bound(lo)} til {_scale_bound(hi)}, hvor "
           f"{_scale_bound(hi)} er mest positiv. Tallet i parentes gælder {bench_name}. " + "; ".join(alt_parts) + ".")
    if any_ci:
        alt += " Streger ved søjlernes ende viser 95 pct. konfidensintervaller."
    if hidden:
        alt += (f" {'Temaerne' if len(hidden) > 1 else 'Temaet'} {fmt.join_da(hidden)} "
                f"vises ikke, fordi der er for få besvarelser.")
    caption = _caption(number, f"Gennemsnitlig score pr. tema (skala {range_txt})")
    return Figure(png=_png(canvas), caption=caption, alt_text=alt, width_cm=WIDTH_CM)


def _theme_range(results: Results, themes: Sequence[str]) -> tuple[float, float]:
    scales = [q.scale for q in results.questions if q.theme in themes] or \
        [q.scale for q in results.questions]
    if not scales:
        return 1.0, 5.0
    return min(s.minimum for s in scales), max(s.maximum for s in scales)


# --------------------------------------------------------------------------- distribution


def _shown_question_results(results: Results, unit: UnitResult,
                            questions: list[str] | None
                            ) -> tuple[list[QuestionResult], list[str]]:
    """(question results that may be shown, texts of suppressed questions), in order."""
    wanted = None if questions is None else set(questions)
    if wanted is not None:
        unknown = wanted - {q.id for q in results.questions}
        if unknown:
            raise ValueError(f"distribution_chart: unknown question ids {sorted(unknown)}; "
                             f"known: {[q.id for q in results.questions]}")
    shown: list[QuestionResult] = []
    hidden: list[str] = []
    for q in results.questions:
        if wanted is not None and q.id not in wanted:
            continue
        qr = unit.questions.get(q.id)
        if qr is None or qr.suppressed or sum(qr.counts) == 0 \
                or len(qr.counts) != len(q.scale.labels):
            hidden.append(_question_label(q.number, q.text))
        else:
            shown.append(qr)
    return shown, hidden


def distribution_scales(results: Results, *, unit: str = "focus",
                        questions: list[str] | None = None) -> list[Scale]:
    """The scales of the showable questions, most common first (ties: first seen first).

    Call ``distribution_chart(..., scale=s.name)`` for each to get one chart per scale.
    """
    shown, _ = _shown_question_results(results, _unit(results, unit), questions)
    order: dict[str, Scale] = {}
    for qr in shown:
        order.setdefault(qr.question.scale.name, qr.question.scale)
    counts = Counter(qr.question.scale.name for qr in shown)
    names = sorted(order, key=lambda n: -counts[n])  # stable: ties keep first-seen order
    return [order[n] for n in names]


def _question_label(number: str, text: str) -> str:
    return f"{number} {text}".strip() if number else text


def distribution_chart(results: Results, *, unit: str = "focus",
                       questions: list[str] | None = None, scale: str | None = None,
                       number: int | None = 2) -> Figure:
    """Distribution of valid answers over the scale categories, one 100 % bar per question.

    ``unit`` is "focus" or "benchmark"; ``questions`` limits and keeps the order of
    ``results.questions``. Only questions on one scale fit one chart: ``scale`` names it,
    by default the most common one (see ``distribution_scales``). Suppressed questions
    are left out and named in the alt text.
    """
    u = _unit(results, unit)
    shown, hidden = _shown_question_results(results, u, questions)
    scales = distribution_scales(results, unit=unit, questions=questions)
    if not scales:
        raise ValueError("distribution_chart: no question has answers that may be shown")
    if scale is None:
        chosen = scales[0]
    else:
        matching = [s for s in scales if s.name == scale]
        if not matching:
            raise ValueError(f"distribution_chart: no showable question uses scale {scale!r}; "
                             f"available: {[s.name for s in scales]}")
        chosen = matching[0]
    other_scale = [qr for qr in shown if qr.question.scale.name != chosen.name]
    shown = [qr for qr in shown if qr.question.scale.name == chosen.name]

    colors = scale_colors(chosen)
    family = font_family()
    labels = [textwrap.fill(textwrap.shorten(_question_label(qr.question.number,
                                                             qr.question.text),
                                             width=84, placeholder=" …"), 44)
              for qr in shown]
    max_lines = max(label.count("\n") + 1 for label in labels)
    legend_labels = [textwrap.fill(lab, 18) for lab in chosen.labels]
    ncols = _legend_ncols(legend_labels, family,
                          max_cols=chosen.points if chosen.points <= 6 else -(-chosen.points // 2))
    n_texts = [f"n = {fmt.integer(sum(qr.counts))}" for qr in shown]
    fig, canvas, ax, legend_top = _frame(
        left_in=_text_width_in(labels, family, FONT_SIZE) + 10 / 72,
        right_in=_text_width_in(n_texts, family, SMALL_FONT_SIZE) + 10 / 72,
        plot_h_in=len(shown) * (0.22 + 0.14 * max_lines),
        legend_h_pt=_legend_height_pt(len(legend_labels), ncols,
                                      max(lab.count("\n") + 1 for lab in legend_labels)))
    _style_axes(ax, family)

    shares_by_q = [[c / sum(qr.counts) for c in qr.counts] for qr in shown]
    ys = list(range(len(shown)))
    lefts = [0.0] * len(shown)
    for j, color in enumerate(colors):
        widths = [sh[j] * 100 for sh in shares_by_q]
        ax.barh(ys, widths, left=lefts, height=0.66, color=color, edgecolor="white",
                linewidth=0.8)
        text_color = "white" if _lightness(color) < 55 else TEXT_COLOR
        for i, (left, width) in enumerate(zip(lefts, widths)):
            if width >= 8:
                ax.text(left + width / 2, i, fmt.num(width, 0), ha="center", va="center",
                        fontsize=SMALL_FONT_SIZE, fontfamily=family, color=text_color)
        lefts = [left + width for left, width in zip(lefts, widths)]

    alt_parts: list[str] = []
    for i, (qr, shares) in enumerate(zip(shown, shares_by_q)):
        total = sum(qr.counts)
        ax.annotate(n_texts[i], xy=(100, i), xytext=(4, 0),
                    textcoords="offset points", ha="left", va="center",
                    fontsize=SMALL_FONT_SIZE, fontfamily=family, color=MUTED_TEXT,
                    annotation_clip=False)
        dist = ", ".join(f"{lab} {fmt.num(s * 100, 0)} pct."
                         for lab, s in zip(chosen.labels, shares))
        alt_parts.append(f"{_question_label(qr.question.number, qr.question.text)}: "
                         f"{dist} (n = {fmt.integer(total)})")

    ax.set_xlim(0, 100)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.xaxis.set_major_formatter(_num_formatter(0))
    ax.set_yticks(range(len(shown)), labels)
    ax.tick_params(axis="y", length=0, pad=4)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("Andel af gyldige svar (pct.)", fontfamily=family, fontsize=FONT_SIZE,
                  color=TEXT_COLOR, labelpad=4)
    for tick in ax.get_yticklabels():
        tick.set_linespacing(1.0)

    handles: list[Artist] = [Patch(facecolor=c, edgecolor="white", linewidth=0.5, label=lab)
                             for lab, c in zip(legend_labels, colors)]
    _legend(fig, handles, family, ncols=ncols, top=legend_top)

    alt = (f"Stablet søjlediagram over fordelingen af gyldige svar pr. spørgsmål for "
           f"{u.name}, i procent af de gyldige svar på hvert spørgsmål. "
           + "; ".join(alt_parts) + ".")
    if hidden:
        alt += (f" {'Spørgsmålene' if len(hidden) > 1 else 'Spørgsmålet'} "
                f"{fmt.join_da(hidden)} vises ikke, fordi der er for få svar.")
    if other_scale:
        alt += (f" {len(other_scale)} spørgsmål med en anden svarskala vises ikke i "
                f"denne figur.")
    caption = _caption(number, f"Fordeling af svar pr. spørgsmål, {u.name} "
                               f"(pct. af gyldige svar)")
    return Figure(png=_png(canvas), caption=caption, alt_text=alt, width_cm=WIDTH_CM)
