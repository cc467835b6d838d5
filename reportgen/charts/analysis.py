"""Results → the figures of the analysis blocks: the trend chart and the priority map.

``analysis_pending`` is what the build pipeline calls (``api.plan_figures``): the figures laid
out but not drawn (``charts.PendingFigure``); a figure is made only when the results hold
what it shows (two or more periods; a priority map).
"""

from __future__ import annotations

from reportgen.charts.pending import PendingFigure
from reportgen.models import Results


def analysis_pending(results: Results) -> dict[str, PendingFigure]:
    from reportgen.charts.priority import priority_chart_pending
    from reportgen.charts.trend import trend_chart_pending

    figs: dict[str, PendingFigure] = {}
    if results.trend is not None:
        figs["udviklingsfigur"] = trend_chart_pending(results)
    if results.priority is not None and results.priority.items:
        figs["prioriteringsfigur"] = priority_chart_pending(results)
    return figs
