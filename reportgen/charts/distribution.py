"""Results → the distribution chart: one 100 % bar per question over its scale's categories."""

from __future__ import annotations

import textwrap
from collections import Counter

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from reportgen.charts.canvas import text_width_in
from reportgen.charts.labels import (
    figure_caption,
    hidden_note,
    question_label,
    two_lines,
    unit_result,
)
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
    FONT_SIZE,
    LEGEND_LABEL_WIDTH,
    MUTED_TEXT,
    QUESTION_LABEL_WIDTH,
    RGB,
    SMALL_FONT_SIZE,
    TEXT_COLOR,
    WIDTH_CM,
    font_family,
    lightness,
    scale_colors,
)
from reportgen.core import fmt
from reportgen.core.templating import render_text
from reportgen.models.document import Figure
from reportgen.models.results import QuestionResult, Results, UnitResult
from reportgen.models.survey import Scale


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
            suppressed.append(question_label(q.number, q.text))
        elif qr is None or sum(qr.counts) == 0 or len(qr.counts) != len(q.scale.labels):
            empty.append(question_label(q.number, q.text))
        else:
            shown.append(qr)
    return shown, suppressed, empty


def distribution_scales(results: Results, *, unit: str = "focus",
                        questions: list[str] | None = None) -> list[Scale]:
    """The scales of the showable questions, most common first (ties: first seen first).

    Call ``distribution_chart(..., scale=s.name)`` for each to get one chart per scale.
    """
    shown, _, _ = _select_questions(results, unit_result(results, unit), questions)
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
    u = unit_result(results, unit)
    shown, suppressed, empty = _select_questions(results, u, questions)
    chosen = _chosen_scale(distribution_scales(results, unit=unit, questions=questions), scale)
    n_other_scale = sum(qr.question.scale.name != chosen.name for qr in shown)
    shown = [qr for qr in shown if qr.question.scale.name == chosen.name]

    colors = scale_colors(chosen)
    family = font_family()
    row_labels = [two_lines(question_label(qr.question.number, qr.question.text),
                             QUESTION_LABEL_WIDTH) for qr in shown]
    max_lines = max(label.count("\n") + 1 for label in row_labels)
    legend_labels = [textwrap.fill(lab, LEGEND_LABEL_WIDTH) for lab in chosen.labels]
    ncols = legend_ncols(legend_labels, family,
                          chosen.points if chosen.points <= 6 else -(-chosen.points // 2))
    n_texts = [f"n = {fmt.integer(sum(qr.counts))}" for qr in shown]
    fig, canvas, ax, legend_top = chart_frame(
        left_in=text_width_in(row_labels, family, FONT_SIZE) + 12 / 72,
        right_in=text_width_in(n_texts, family, SMALL_FONT_SIZE) + 10 / 72,
        plot_h_in=len(shown) * (0.22 + 0.14 * max_lines),
        legend_h_pt=legend_height_pt(legend_labels, ncols), family=family)

    alt_parts = _draw_bars(ax, shown, chosen, colors, n_texts, family)
    ax.set_xlim(0, 100)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    draw_row_labels(ax, row_labels, family)
    draw_x_axis(ax, range(0, 101, 20), render_text("figur_fordeling", "x_akse"), family)
    handles: list[Artist] = [Patch(facecolor=c, edgecolor="none", label=lab)
                             for lab, c in zip(legend_labels, colors)]
    draw_legend(fig, handles, family, ncols=ncols, top=legend_top)

    alt = render_text("figur_fordeling", "alt", focus=u.name) + " " + "; ".join(alt_parts) + "."
    alt += hidden_note(suppressed, empty, "spoergsmaal")
    if n_other_scale:
        alt += " " + render_text("figur_fordeling", "anden_skala", n_other=n_other_scale)
    # With questions on other scales left out, the caption says which questions it shows.
    first, last = (chosen.labels[0], chosen.labels[-1]) if n_other_scale else ("", "")
    caption = figure_caption(number, render_text("figur_fordeling", "titel", focus=u.name, first=first, last=last))
    return PendingFigure(canvas, caption, alt, WIDTH_CM)


def _chosen_scale(scales: list[Scale], name: str | None) -> Scale:
    """The scale named ``name`` among the showable ones, by default the most common."""
    if not scales:
        raise ValueError("distribution_chart: no question has answers that may be shown")
    chosen = scales[0] if name is None else next((s for s in scales if s.name == name), None)
    if chosen is None:
        raise ValueError(f"distribution_chart: no showable question uses scale {name!r}; "
                         f"available: {[s.name for s in scales]}")
    return chosen


def _draw_bars(ax: Axes, shown: list[QuestionResult], scale: Scale, colors: list[RGB], n_texts: list[str],
               family: str) -> list[str]:
    """One 100 % bar per question with its shares (8 % or more) and its n; the alt-text part
    of each question: '1.1 <text>: Meget utilfreds 3 pct., … (n = 120)'."""
    spans, facecolors = [], []
    alt_parts: list[str] = []
    for i, qr in enumerate(shown):
        total = sum(qr.counts)
        left = 0.0
        for count, color in zip(qr.counts, colors):
            width = 100 * count / total
            if width > 0:
                spans.append((left, left + width, i, 0.66))
                facecolors.append(color)
            if width >= 8:
                ax.text(left + width / 2, i, fmt.num(width, 0), ha="center", va="center",
                        fontsize=SMALL_FONT_SIZE, fontfamily=family,
                        color="white" if lightness(color) < 55 else TEXT_COLOR)
            left += width
        ax.annotate(n_texts[i], xy=(100, i), xytext=(4, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=SMALL_FONT_SIZE, fontfamily=family,
                    color=MUTED_TEXT, annotation_clip=False)
        dist = ", ".join(f"{lab} {fmt.num(100 * c / total, 0)} pct."
                         for lab, c in zip(scale.labels, qr.counts))
        alt_parts.append(f"{question_label(qr.question.number, qr.question.text)}: "
                         f"{dist} (n = {fmt.integer(total)})")
    ax.add_collection(PolyCollection(rects(spans), facecolors=facecolors,
                                     edgecolors="white", linewidths=0.8), autolim=False)
    return alt_parts
