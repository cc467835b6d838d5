"""Sums per period × municipality → ``Trend``: results per period and the changes in the latest.

Every period is analysed by the same rules as the latest one (suppression included). A
change is tested with Welch's t-test for means (theme scores, the overall index and
question means) and the two-proportion z-test for the questions' share positive; the
respondents of two periods are treated as independent samples. A change is "steget" or
"faldet" only when p < ``signifikansniveau`` and it is at least ``min_forskel`` points
(``min_forskel_andel`` percentage points for shares); otherwise it is "uaendret"
(på niveau med).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportgen.analysis.benchmark import benchmark
from reportgen.settings.case import Analyse
from reportgen.analysis.cellstats import OVERALL, CellStats, Partition, SurveyArrays
from reportgen.analysis.estimates import two_proportion_p, unit_result, verdict_for, welch_p
from reportgen.models.results import Change, PeriodResult, Trend, UnitResult

_CHANGE = {"over": "steget", "under": "faldet", "paa_niveau": "uaendret"}


def trend(settings: Analyse, arrays: SurveyArrays, part: Partition, periods: Sequence[str], n_munis: int,
          focus_code: int, themes: Sequence[str], focus_name: str, bench_name: str, current: int) -> Trend | None:
    """Results for every period up to ``current``; None with fewer than two such periods."""
    labels = list(periods[: current + 1])
    if len(labels) < 2:
        return None
    min_n = settings.min_n
    results, stats = [], []
    for p, label in enumerate(labels):
        cells = range(p * n_munis, (p + 1) * n_munis)
        fcell = p * n_munis + focus_code
        st = part.cell(fcell)
        focus = unit_result(focus_name, st, arrays, themes, min_n)
        bench = benchmark(settings, bench_name, part, cells, fcell, arrays, themes, None)
        results.append(PeriodResult(label, focus, bench.unit if bench.source == "data" else None))
        stats.append(st)
    observed = [p for p in range(len(labels)) if stats[p].size > 0]
    last = len(labels) - 1
    prev = max((p for p in observed if p < last), default=last - 1)
    first = min(observed) if observed else 0
    previous, previous_share = changes(settings, arrays, themes, results[prev].focus, results[last].focus,
                                       stats[prev], stats[last], labels[prev], labels[last])
    if first != prev:
        first_changes, _ = changes(settings, arrays, themes, results[first].focus, results[last].focus,
                                   stats[first], stats[last], labels[first], labels[last])
    else:
        first_changes = previous
    return Trend(periods=tuple(labels), results=tuple(results), previous=previous, previous_share=previous_share,
                 first=first_changes)


def changes(settings: Analyse, arrays: SurveyArrays, themes: Sequence[str], before: UnitResult, after: UnitResult,
            st_before: CellStats, st_after: CellStats, from_label: str, to_label: str
            ) -> tuple[dict[str, Change], dict[str, Change]]:
    """Changes of the means (measures and questions) and of the questions' share positive."""
    alpha, min_diff = settings.signifikansniveau, settings.min_forskel
    means: dict[str, Change] = {}
    for measure in (OVERALL, *themes):
        b = before.overall if measure == OVERALL else before.themes[measure].score
        a = after.overall if measure == OVERALL else after.themes[measure].score
        m = arrays.measure_index(measure)
        p = None
        if a.value is not None and b.value is not None:
            p = welch_p(*st_after.m_mean_var(m), *st_before.m_mean_var(m))
        means[measure] = _change(measure, "mean", from_label, to_label, b.value, a.value, p, alpha, min_diff)
    shares: dict[str, Change] = {}
    for j, q in enumerate(arrays.questions):
        b, a = before.questions[q.id], after.questions[q.id]
        p_mean = p_share = None
        if not a.suppressed and not b.suppressed:
            p_mean = welch_p(*st_after.q_mean_var(j, arrays.slots[j]), *st_before.q_mean_var(j, arrays.slots[j]))
            p_share = two_proportion_p(a.n_positive, a.n, b.n_positive, b.n)
        means[q.id] = _change(q.id, "mean", from_label, to_label, b.mean.value, a.mean.value, p_mean, alpha,
                              min_diff)
        shares[q.id] = _change(q.id, "share", from_label, to_label, b.share_positive.value, a.share_positive.value,
                               p_share, alpha, settings.min_forskel_andel / 100)
    return means, shares


def _change(measure: str, kind: str, from_label: str, to_label: str, before: float | None, after: float | None,
            p: float | None, alpha: float, min_diff: float) -> Change:
    if before is None or after is None:
        return Change(measure, kind, from_label, to_label, before, after, None, None, None)  # type: ignore[arg-type]
    diff = after - before
    verdict = _CHANGE[verdict_for(diff, p, alpha, min_diff)]
    return Change(measure, kind, from_label, to_label, before, after, diff, p, verdict)  # type: ignore[arg-type]
