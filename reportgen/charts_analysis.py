"""Results → the figures of the analysis blocks: the trend chart and the priority map.

``analysis_figures`` is what the build pipeline calls (``api.make_figures``); a figure is
made only when the results hold what it shows (two or more periods; a priority map).
``analysis_pending`` gives the same figures laid out but not drawn (``charts.PendingFigure``).
"""

from __future__ import annotations

from reportgen.charts import PendingFigure
from reportgen.models import Figure, Results


def analysis_figures(results: Results) -> dict[str, Figure]:
    return {key: pending.draw() for key, pending in analysis_pending(results).items()}


def analysis_pending(results: Results) -> dict[str, PendingFigure]:
    from reportgen.charts_priority import priority_chart_pending
    from reportgen.charts_trend import trend_chart_pending

    figs: dict[str, PendingFigure] = {}
    if results.trend is not None:
        figs["udviklingsfigur"] = trend_chart_pending(results)
    if results.priority is not None and results.priority.items:
        figs["prioriteringsfigur"] = priority_chart_pending(results)
    return figs
