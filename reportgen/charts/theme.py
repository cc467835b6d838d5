"""Results → the theme chart: mean theme score, focus municipality against the benchmark."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from reportgen.charts.canvas import text_width_in
from reportgen.charts.labels import bound, ci_label, figure_caption, hidden_note, not_given
from reportgen.charts.layout import (
    chart_frame,
    draw_legend,
    draw_row_labels,
    draw_x_axis,
    legend_height_pt,
    legend_ncols,
    rects,
)
from reportgen.charts.pending import PendingFigure
from reportgen.charts.style import (
    AXIS_COLOR,
    BENCHMARK_COLOR,
    BENCHMARK_HATCH_COLOR,
    CI_COLOR,
    FOCUS_COLOR,
    FONT_SIZE,
    GRID_COLOR,
    HATCH,
    TEXT_COLOR,
    THEME_LABEL_WIDTH,
    WIDTH_CM,
    font_family,
)
from reportgen.core import fmt
from reportgen.core.templating import render_text
from reportgen.models.document import Figure
from reportgen.models.results import Results


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
    shown, suppressed, empty = _partition_themes(results)
    if not shown:
        raise ValueError("theme_chart: no theme has a score that may be shown")

    lo, hi = _theme_range(results, shown)
    family = font_family()
    row_labels = [textwrap.fill(t, THEME_LABEL_WIDTH) for t in shown]
    legend_labels = [focus_name, bench_name, ci_label()] if has_bench else [focus_name, ci_label()]
    ncols = legend_ncols(legend_labels, family, len(legend_labels))
    max_lines = max(label.count("\n") + 1 for label in row_labels)
    fig, canvas, ax, legend_top = chart_frame(
        left_in=text_width_in(row_labels, family, FONT_SIZE) + 12 / 72,
        right_in=text_width_in(["0,00"], family, FONT_SIZE) + 10 / 72,
        plot_h_in=len(shown) * max(0.5, 0.14 * max_lines + 0.1) + 0.05,
        legend_h_pt=legend_height_pt(legend_labels, ncols), family=family)

    has_ci, alt_parts = _draw_bars(ax, results, shown, (lo, hi), (focus_color, bench_color), family)
    ax.set_xlim(lo, hi)
    ax.set_ylim(len(shown) - 0.45, -0.55)  # first theme on top
    ax.spines["left"].set_visible(True)
    ax.spines["left"].set_color(AXIS_COLOR)
    ax.spines["left"].set_linewidth(0.8)
    draw_row_labels(ax, row_labels, family)
    draw_x_axis(ax, np.arange(np.ceil(lo), np.floor(hi) + 1),
                render_text("figur_tema", "x_akse", lo=bound(lo), hi=bound(hi)),
                family)
    ax.grid(axis="x", color=GRID_COLOR, linewidth=0.6)

    handles: list[Artist] = [Patch(facecolor=focus_color, edgecolor="none", linewidth=0, label=focus_name)]
    if has_bench:
        handles.append(Patch(facecolor=bench_color, edgecolor=BENCHMARK_HATCH_COLOR, linewidth=0,
                             hatch=HATCH, label=bench_name))
    if has_ci:
        handles.append(Line2D([], [], color=CI_COLOR, linewidth=0.9, marker="|",
                              markersize=5, label=ci_label()))
    draw_legend(fig, handles, family, ncols=min(ncols, len(handles)), top=legend_top)

    alt = _theme_alt_text(results, lo, hi, alt_parts, has_ci)
    alt += hidden_note(suppressed, empty, "tema")
    caption = figure_caption(number, render_text("figur_tema", "titel", lo=bound(lo), hi=bound(hi)))
    return PendingFigure(canvas, caption, alt, WIDTH_CM)


def _partition_themes(results: Results) -> tuple[list[str], list[str], list[str]]:
    """The themes in order: (with a score that may be shown, suppressed, without a score)."""
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
    return shown, suppressed, empty


def _draw_bars(ax: Axes, results: Results, shown: Sequence[str], span: tuple[float, float],
               colors: tuple[str, str], family: str) -> tuple[bool, list[str]]:
    """The bars, whiskers and value labels of the shown themes; (any whiskers, alt-text parts)."""
    lo, hi = span
    focus_color, bench_color = colors
    has_bench = results.has_benchmark
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
            bench_txt = fmt.num(b_est.value, 2) if b_est is not None else not_given()
            alt_parts.append(f"{theme}: {fmt.num(f_est.value, 2)} ({bench_txt})")
        else:
            alt_parts.append(f"{theme}: {fmt.num(f_est.value, 2)}")

    ax.add_collection(PolyCollection(rects(focus_spans), facecolors=focus_color,
                                     edgecolors="none", linewidths=0), autolim=False)
    if bench_spans:
        ax.add_collection(PolyCollection(rects(bench_spans), facecolors=bench_color,
                                         edgecolors=BENCHMARK_HATCH_COLOR, linewidths=0,
                                         hatch=HATCH), autolim=False)
    if ci_segments:
        ax.add_collection(LineCollection(ci_segments, colors=CI_COLOR, linewidths=0.9,
                                         zorder=3), autolim=False)
    return bool(ci_segments), alt_parts


def _theme_alt_text(results: Results, lo: float, hi: float, alt_parts: list[str], has_ci: bool) -> str:
    """The fixed sentence (templates/text/figur_tema.txt.j2), then every theme's numbers."""
    alt = render_text("figur_tema", "alt", focus=results.focus.name, lo=bound(lo), hi=bound(hi),
                      bench=results.benchmark_name if results.has_benchmark else "")
    alt += " " + "; ".join(alt_parts) + "."
    if has_ci:
        alt += " " + render_text("figur_tema", "ki_alt")
    return alt


def _theme_range(results: Results, themes: Sequence[str]) -> tuple[float, float]:
    """The x range: the span of the shown themes' question scales (default 1–5)."""
    scales = [q.scale for q in results.questions if q.theme in themes] \
        or [q.scale for q in results.questions]
    if not scales:
        return 1.0, 5.0
    return min(s.minimum for s in scales), max(s.maximum for s in scales)
