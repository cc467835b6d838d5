"""Results → the figures of the analysis blocks: the trend chart and the priority map.

``analysis_figures`` is what the build pipeline calls (``api.make_figures``); a figure is
made only when the results hold what it shows (two or more periods; a priority map).
"""

from __future__ import annotations

from reportgen.models import Figure, Results


def analysis_figures(results: Results) -> dict[str, Figure]:
    from reportgen.charts_priority import priority_chart
    from reportgen.charts_trend import trend_chart

    figs: dict[str, Figure] = {}
    if results.trend is not None:
        figs["udviklingsfigur"] = trend_chart(results)
    if results.priority is not None and results.priority.items:
        figs["prioriteringsfigur"] = priority_chart(results)
    return figs
