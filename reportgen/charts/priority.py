"""Results → the priority-map figure (prioriteringskort): score against importance per question.

Each question is a point: importance (correlation with the overall satisfaction) across,
score up. Dashed lines split the plane at the mean score and the mean importance into
the four named quadrants. Quadrants differ by colour *and* marker shape, so the chart
survives greyscale printing; each point is labelled with its question number. The alt
text (``priority_alt_text``, a pure function the anonymity tests also read) lists every
question with its numbers by quadrant. Drawn like ``reportgen.charts.figures``: bare Agg
figure, fixed size and dpi, deterministic PNG.
"""

from __future__ import annotations

from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D

from reportgen.core import fmt
from reportgen.core.templating import render_text
from reportgen.charts.canvas import ChartCanvas
from reportgen.charts.labels import figure_caption
from reportgen.charts.pending import PendingFigure
from reportgen.charts.style import (
    AXIS_COLOR,
    DPI,
    FONT_SIZE,
    GRID_COLOR,
    MUTED_TEXT,
    NEG_DARK,
    NEUTRAL_DARK,
    POS_DARK,
    POS_LIGHT,
    SMALL_FONT_SIZE,
    TEXT_COLOR,
    WIDTH_CM,
    font_family,
)
from reportgen.models.document import Figure
from reportgen.models.results import QUADRANTS, PriorityMap, Results

STYLE = {  # quadrant → (colour, marker)
    "Udfordringer": (NEG_DARK, "^"),
    "Styrker": (POS_DARK, "o"),
    "Vedligehold": (POS_LIGHT, "s"),
    "Lav prioritet": (NEUTRAL_DARK, "D"),
}
HEIGHT_CM = 10.5


def quadrant_name(quadrant: str) -> str:
    """A quadrant as the figure, the table and the text name it: by its position on the map
    ("Lav score, høj betydning"), never by the claim "udfordring" or "styrke", which the text
    makes only by its own rules (``templates/text/figur_prioritering.txt.j2``, block felt)."""
    return render_text("figur_prioritering", "felt", quadrant=quadrant)


def _score_text(pm: PriorityMap, value: float) -> str:
    return fmt.num(value) if pm.score_measure == "gennemsnit" else fmt.pct_text(value, 0)


def priority_alt_text(results: Results) -> str:
    """The chart's alt text: every question's score and importance, by quadrant."""
    pm = results.priority
    if pm is None:
        return ""
    parts = []
    for quad in QUADRANTS:
        items = [i for i in pm.items if i.quadrant == quad]
        if not items:
            parts.append(render_text("figur_prioritering", "tomt_felt", quadrant=quad))
            continue
        listed = "; ".join(render_text("figur_prioritering", "punkt", number=i.question.number or i.question.id,
                                       score=_score_text(pm, i.score), importance=i.importance) for i in items)
        parts.append(quadrant_name(quad) + ": " + listed)
    head = render_text("figur_prioritering", "alt", focus=results.focus.name, mean=pm.score_measure == "gennemsnit",
                       target=pm.target, score_split=_score_text(pm, pm.score_split),
                       importance_split=pm.importance_split)
    return head + " " + ". ".join(parts) + "."


def priority_chart(results: Results, *, number: int | None = None) -> Figure:
    """The priority map of ``results.priority`` as a scatter plot."""
    return priority_chart_pending(results, number=number).draw()


def priority_chart_pending(results: Results, *, number: int | None = None) -> PendingFigure:
    """The priority map, laid out but not drawn (``charts.PendingFigure``)."""
    pm = results.priority
    if pm is None or not pm.items:
        raise ValueError("priority_chart: the results have no priority map")
    family = font_family()
    width, height = WIDTH_CM / 2.54, HEIGHT_CM / 2.54
    fig = MplFigure(figsize=(width, height), dpi=DPI, facecolor="white")
    canvas = ChartCanvas(fig)
    left, right, bottom, top = 0.62, 0.15, 0.95, 0.12  # inches
    ax = fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS_COLOR)
        ax.spines[side].set_linewidth(0.8)
    ax.tick_params(labelfontfamily=family, labelsize=FONT_SIZE, colors=TEXT_COLOR, color=AXIS_COLOR, width=0.8,
                   length=3)

    xs = [i.importance for i in pm.items]
    ys = [i.score for i in pm.items]
    x0, x1 = min(xs + [pm.importance_split]), max(xs + [pm.importance_split])
    y0, y1 = min(ys + [pm.score_split]), max(ys + [pm.score_split])
    px, py = max((x1 - x0) * 0.12, 0.02), max((y1 - y0) * 0.16, 0.02 if pm.score_measure != "gennemsnit" else 0.05)
    ax.set_xlim(x0 - px, x1 + px)
    ax.set_ylim(y0 - py, y1 + py)
    ax.grid(color=GRID_COLOR, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.axvline(pm.importance_split, color=AXIS_COLOR, linewidth=0.9, linestyle=(0, (4, 3)))
    ax.axhline(pm.score_split, color=AXIS_COLOR, linewidth=0.9, linestyle=(0, (4, 3)))
    for quad in QUADRANTS:
        color, marker = STYLE[quad]
        pts = [i for i in pm.items if i.quadrant == quad]
        if pts:
            ax.scatter([i.importance for i in pts], [i.score for i in pts], s=34, c=[color], marker=marker,
                       edgecolors="#333333", linewidths=0.5, zorder=3)
    corners = {"Styrker": (0.99, 0.98, "right", "top"), "Udfordringer": (0.99, 0.02, "right", "bottom"),
               "Vedligehold": (0.01, 0.98, "left", "top"), "Lav prioritet": (0.01, 0.02, "left", "bottom")}
    names = [ax.text(x, y, quadrant_name(quad), transform=ax.transAxes, ha=ha, va=va, fontsize=FONT_SIZE,
                     fontfamily=family, color=MUTED_TEXT, fontweight="bold")
             for quad, (x, y, ha, va) in corners.items()]
    renderer = canvas.get_renderer()
    _labels(ax, pm, family, taken=[tuple(t.get_window_extent(renderer).extents) for t in names])
    mean = pm.score_measure == "gennemsnit"
    ylabel = render_text("figur_prioritering", "y_akse", mean=mean)
    if mean:
        ax.yaxis.set_major_formatter(lambda v, _p: fmt.num(v, 1))
    else:
        ax.yaxis.set_major_formatter(lambda v, _p: fmt.pct(v, 0))
    ax.xaxis.set_major_formatter(lambda v, _p: fmt.num(v, 2))
    ax.set_ylabel(ylabel, fontfamily=family, fontsize=FONT_SIZE, color=TEXT_COLOR)
    ax.set_xlabel(render_text("figur_prioritering", "x_akse", target=pm.target), fontfamily=family, fontsize=FONT_SIZE,
                  color=TEXT_COLOR)
    handles = [Line2D([], [], linestyle="none", marker=STYLE[q][1], markerfacecolor=STYLE[q][0],
                      markeredgecolor="#333333", markeredgewidth=0.5, markersize=6, label=quadrant_name(q)) for q in QUADRANTS]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=2, frameon=False,
               prop={"family": family, "size": FONT_SIZE}, handlelength=1.2, columnspacing=1.6, borderaxespad=0.2)
    caption = figure_caption(number, render_text("figur_prioritering", "titel", focus=results.focus.name))
    return PendingFigure(canvas, caption, priority_alt_text(results), WIDTH_CM)


_OFFSETS = ((4, 3), (4, -10), (-6, 3), (-6, -10), (0, 7), (0, -14))  # points; right, below, left, …


def _labels(ax: object, pm: PriorityMap, family: str, taken: list[tuple[float, ...]] = ()) -> None:  # type: ignore[assignment]
    """Question numbers next to the points, each placed where it overlaps no marker, no other
    number and no box in ``taken`` (the quadrant names in the corners, in display pixels)."""
    to_px = ax.transData.transform  # type: ignore[attr-defined]
    scale = DPI / 72
    marks = [to_px((i.importance, i.score)) for i in pm.items]
    placed: list[tuple[float, ...]] = list(taken)
    for item, (px, py) in zip(pm.items, marks):
        text = item.question.number or item.question.id
        w, h = len(text) * SMALL_FONT_SIZE * 0.55 * scale, SMALL_FONT_SIZE * 0.9 * scale
        choice = _OFFSETS[0]
        for dx, dy in _OFFSETS:
            x0 = px + dx * scale - (w if dx < 0 else (w / 2 if dx == 0 else 0))
            y0 = py + dy * scale
            box = (x0, y0, x0 + w, y0 + h)
            hits_mark = any(box[0] - 4 * scale < mx < box[2] + 4 * scale and box[1] - 4 * scale < my < box[3] + 4 * scale
                            for mx, my in marks if (mx, my) != (px, py))
            hits_label = any(not (box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]) for b in placed)
            if not hits_mark and not hits_label:
                choice = (dx, dy)
                placed.append(box)
                break
        else:
            placed.append((px, py, px + w, py + h))
        dx, dy = choice
        ax.annotate(text, xy=(item.importance, item.score), xytext=(dx, dy), textcoords="offset points",  # type: ignore[attr-defined]
                    ha="right" if dx < 0 else ("center" if dx == 0 else "left"), va="bottom",
                    fontsize=SMALL_FONT_SIZE, fontfamily=family, color=TEXT_COLOR, zorder=4)
