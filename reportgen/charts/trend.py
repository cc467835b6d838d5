"""Results → the trend figure: the score per period, one small panel per measure.

One panel for the overall score and one per theme, three to a row, sharing one y range
so the panels compare. The focus municipality is a solid dark line with 95 % confidence
intervals as whiskers; the benchmark (when the data has one per period) a dashed lighter
line with hollow markers. Suppressed values are left out of the line and named in the
alt text (``trend_alt_text``, a pure function the anonymity tests also read). Drawn like
``reportgen.charts.figures``: bare Agg figure, fixed size and dpi, deterministic PNG.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D

from reportgen.core import fmt
from reportgen.core.templating import label, render_text
from reportgen.analysis.cellstats import OVERALL
from reportgen.charts.canvas import ChartCanvas
from reportgen.charts.labels import ci_label, figure_caption, not_given, not_shown
from reportgen.charts.pending import PendingFigure
from reportgen.charts.style import (
    AXIS_COLOR,
    BENCHMARK_HATCH_COLOR,
    CI_COLOR,
    DPI,
    FOCUS_COLOR,
    FONT_SIZE,
    GRID_COLOR,
    SMALL_FONT_SIZE,
    TEXT_COLOR,
    WIDTH_CM,
    font_family,
)
from reportgen.models.document import Figure
from reportgen.models.results import Estimate, Results, UnitResult

COLUMNS = 3
PANEL_H_IN = 1.45


def _est(unit: UnitResult | None, key: str) -> Estimate | None:
    if unit is None:
        return None
    if key == OVERALL:
        return unit.overall
    tr = unit.themes.get(key)
    return tr.score if tr is not None else None


def _value(e: Estimate | None) -> float | None:
    return None if e is None or e.suppressed else e.value


def _series(results: Results, key: str) -> tuple[list[float | None], list[float | None], list[Estimate | None]]:
    t = results.trend
    assert t is not None
    focus = [_est(pr.focus, key) for pr in t.results]
    bench = [_value(_est(pr.benchmark, key)) for pr in t.results]
    return [_value(e) for e in focus], bench, focus


def _title(key: str) -> str:
    """A panel's measure: 'Samlet score' (templates/text/etiketter.txt.j2) or the theme."""
    return label("samlet_score") if key == OVERALL else key


def trend_alt_text(results: Results) -> str:
    """The chart's alt text: every value shown, per measure and period."""
    t = results.trend
    if t is None:
        return ""
    has_bench = any(pr.benchmark is not None for pr in t.results)
    parts = []
    for key in (OVERALL, *results.themes):
        f, b, _ = _series(results, key)
        vals = fmt.join_da(f"{p}: {fmt.num(v) if v is not None else not_shown()}" for p, v in zip(t.periods, f))
        text = f"{_title(key)}: {vals}"
        if has_bench and any(v is not None for v in b):
            text += " (" + results.benchmark_name.lower() + ": " + fmt.join_da(
                f"{fmt.num(v) if v is not None else not_given()}" for v in b) + ")"
        parts.append(text)
    head = render_text("figur_udvikling", "alt", focus=results.focus.name, periods=t.periods,
                       bench=results.benchmark_name if has_bench else "")
    return head + " " + "; ".join(parts) + "."


def trend_chart(results: Results, *, number: int | None = None) -> Figure:
    """The trend chart, drawn."""
    return trend_chart_pending(results, number=number).draw()


def trend_chart_pending(results: Results, *, number: int | None = None) -> PendingFigure:
    """The trend chart, laid out but not drawn (``charts.PendingFigure``): one panel per
    measure, three to a row, on one y range (``_y_range``), then the legend."""
    t = results.trend
    if t is None:
        raise ValueError("trend_chart: the results have no trend (fewer than two periods)")
    family = font_family()
    keys = [OVERALL, *results.themes]
    rows = math.ceil(len(keys) / COLUMNS)
    width = WIDTH_CM / 2.54
    legend_h = 0.32
    height = rows * PANEL_H_IN + legend_h + 0.1
    fig = MplFigure(figsize=(width, height), dpi=DPI, facecolor="white")
    canvas = ChartCanvas(fig)
    y_range = _y_range(results, keys)
    has_bench = any(pr.benchmark is not None for pr in t.results)
    left_pad, gap_x = 0.42, 0.18
    pw = (width - left_pad - 0.1 - gap_x * (COLUMNS - 1)) / COLUMNS
    for idx, key in enumerate(keys):
        r, c = divmod(idx, COLUMNS)
        x0 = left_pad + c * (pw + gap_x)
        y0 = height - (r + 1) * PANEL_H_IN + 0.28
        ax = fig.add_axes((x0 / width, y0 / height, pw / width, (PANEL_H_IN - 0.55) / height))
        _panel_axes(ax, t.periods, y_range, family, first_column=c == 0)
        ax.set_title(textwrap.shorten(_title(key), 34, placeholder=" …"), fontfamily=family, fontsize=FONT_SIZE,
                     color=TEXT_COLOR, loc="left", pad=3, fontweight="bold" if key == OVERALL else "normal")
        _panel_lines(ax, results, key, has_bench, family)
    _legend(fig, results, has_bench, family)
    caption = figure_caption(number, render_text("figur_udvikling", "titel", focus=results.focus.name,
                                                 periods=t.periods))
    return PendingFigure(canvas, caption, trend_alt_text(results), WIDTH_CM)


def _y_range(results: Results, keys: list[str]) -> tuple[float, float]:
    """One y range for every panel: all values and intervals shown, with some room."""
    values = []
    for key in keys:
        f, b, fe = _series(results, key)
        values += [v for v in f + b if v is not None]
        values += [e.ci_low for e in fe if e is not None and not e.suppressed and e.ci_low is not None]
        values += [e.ci_high for e in fe if e is not None and not e.suppressed and e.ci_high is not None]
    lo, hi = (min(values), max(values)) if values else (1.0, 5.0)
    pad = max((hi - lo) * 0.12, 0.05)
    return lo - pad, hi + pad


def _panel_axes(ax: Any, periods: tuple[str, ...], y_range: tuple[float, float], family: str,
                first_column: bool) -> None:
    """A panel's spines, ticks and grid; y tick labels only in the first column."""
    n = len(periods)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS_COLOR)
        ax.spines[side].set_linewidth(0.7)
    ax.tick_params(labelfontfamily=family, labelsize=SMALL_FONT_SIZE, colors=TEXT_COLOR, color=AXIS_COLOR,
                   width=0.7, length=2.5, pad=2)
    ax.set_xlim(-0.4, n - 0.6)
    ax.set_ylim(*y_range)
    ax.set_xticks(range(n))
    ax.set_xticklabels(list(periods) if n <= 5 else [p if i in (0, n - 1) else "" for i, p in
                                                     enumerate(periods)])
    ax.yaxis.set_major_formatter(lambda v, _p: fmt.num(v, 1))
    ax.locator_params(axis="y", nbins=4)
    if not first_column:
        ax.set_yticklabels([])
    ax.grid(axis="y", color=GRID_COLOR, linewidth=0.5)
    ax.set_axisbelow(True)


def _panel_lines(ax: Any, results: Results, key: str, has_bench: bool, family: str) -> None:
    """A measure's lines (benchmark dashed under the focus), interval whiskers and value labels
    (every value up to four periods, else the first and the last)."""
    n = len(results.trend.periods)  # type: ignore[union-attr]
    f, b, fe = _series(results, key)
    if has_bench:
        _line(ax, b, BENCHMARK_HATCH_COLOR, "--", hollow=True)
    _line(ax, f, FOCUS_COLOR, "-", hollow=False)
    for x, e in enumerate(fe):
        if e is not None and not e.suppressed and e.ci_low is not None and e.ci_high is not None:
            ax.plot([x, x], [e.ci_low, e.ci_high], color=CI_COLOR, linewidth=0.7, zorder=2)
    shown = [(x, v) for x, v in enumerate(f) if v is not None]
    for x, v in shown:
        if n <= 4 or x in (shown[0][0], shown[-1][0]):
            ax.annotate(fmt.num(v), xy=(x, v), xytext=(0, 5), textcoords="offset points", ha="center",
                        fontsize=SMALL_FONT_SIZE - 0.5, fontfamily=family, color=TEXT_COLOR, zorder=4)


def _legend(fig: MplFigure, results: Results, has_bench: bool, family: str) -> None:
    handles = [Line2D([], [], color=FOCUS_COLOR, marker="o", markersize=4, label=results.focus.name)]
    if has_bench:
        handles.append(Line2D([], [], color=BENCHMARK_HATCH_COLOR, linestyle="--", marker="o", markersize=4,
                              markerfacecolor="white", label=results.benchmark_name))
    handles.append(Line2D([], [], color=CI_COLOR, linewidth=0.7, marker="|", markersize=5, label=ci_label()))
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=len(handles), frameon=False,
               prop={"family": family, "size": FONT_SIZE}, handlelength=2.0, columnspacing=1.6, borderaxespad=0.2)


def _line(ax: object, values: list[float | None], color: str, style: str, hollow: bool) -> None:
    """A line through the shown values; a gap where a value is not shown."""
    seg_x: list[int] = []
    seg_y: list[float] = []
    for x, v in enumerate(values + [None]):
        if v is None:
            if seg_x:
                ax.plot(seg_x, seg_y, color=color, linestyle=style, linewidth=1.3, marker="o", markersize=3.5,  # type: ignore[attr-defined]
                        markerfacecolor="white" if hollow else color, markeredgecolor=color, zorder=3)
            seg_x, seg_y = [], []
            continue
        seg_x.append(x)
        seg_y.append(v)
