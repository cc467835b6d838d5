"""The priority map's figure: the question numbers stay clear of the quadrant names in the
corners, also for a point right below a corner (the national shape's 2.1 once touched
"Høj score, lav betydning")."""

from __future__ import annotations

from dataclasses import replace

from matplotlib.text import Annotation, Text

from reportgen.analysis.priority import quadrant
from reportgen.charts.priority import priority_chart_pending
from reportgen.models.results import PriorityItem, PriorityMap
from tests.charts.test_charts import QUESTIONS, make_results


def _map(points: list[tuple[float, float]]) -> PriorityMap:
    s_split = sum(s for _, s in points) / len(points)
    i_split = sum(i for i, _ in points) / len(points)
    items = tuple(PriorityItem(replace(QUESTIONS[k % len(QUESTIONS)], id=f"p{k}", number=f"{k + 1}.1"), score, imp,
                               120, quadrant(score, imp, s_split, i_split))  # type: ignore[arg-type]
                  for k, (imp, score) in enumerate(points))
    return PriorityMap(items=items, score_split=s_split, importance_split=i_split, target="Overordnet tilfredshed",
                       score_measure="gennemsnit")


def _boxes(points: list[tuple[float, float]]):
    pending = priority_chart_pending(replace(make_results(), priority=_map(points)))
    fig = pending.canvas.figure
    renderer = pending.canvas.get_renderer()
    ax = fig.axes[0]
    numbers = [a.get_window_extent(renderer) for a in ax.texts if isinstance(a, Annotation)]
    corners = [t.get_window_extent(renderer) for t in ax.texts
               if isinstance(t, Text) and not isinstance(t, Annotation)]
    return numbers, corners


def test_question_numbers_do_not_touch_the_corner_names():
    # the highest score at the lowest importance: right below the top-left corner's name,
    # and the lowest score at the highest importance: right above the bottom-right one
    points = [(0.45, 4.02), (0.46, 3.85), (0.51, 3.84), (0.56, 3.92), (0.57, 3.95), (0.59, 3.99), (0.60, 3.57),
              (0.64, 3.42), (0.64, 3.18), (0.65, 2.84), (0.50, 3.25), (0.54, 3.00), (0.56, 2.97)]
    numbers, corners = _boxes(points)
    assert len(numbers) == len(points) and len(corners) == 4
    for n in numbers:
        for c in corners:
            assert not n.overlaps(c), (n, c)
