"""Survey → ``Results``: means, shares, theme scores, benchmark, ranks, groups, trends, priority map.

The method (in Danish for readers in docs/metode.md):

* A valid answer is a value on the question's scale; blanks, "Ved ikke"-type labels and
  declared missing codes are excluded from every mean and share (and counted).
* Question mean: the mean of valid answers. Theme score: the mean over respondents of each
  respondent's mean of their valid answers in the theme. The overall index is the same over
  all questions sharing the most common scale range.
* Shares: the share of valid answers in the scale's positive / neutral / negative categories.
* 95 % confidence intervals: t-based for means, Wilson for shares.
* Benchmark (see ``benchmark``): pooled over all respondents in all participating
  municipalities (``analyse.benchmark: samlet``), the mean of the municipalities' own
  results (``kommunegennemsnit``), or a published table (``benchmark_tabel``).
* Comparison rule: "over"/"under" only when the test gives p < ``signifikansniveau`` AND
  the difference is at least ``min_forskel`` scale points (``min_forskel_andel``
  percentage points for shares); otherwise "på niveau med". Means: Welch's t-test of the
  focus municipality's respondents against the other municipalities' respondents; shares:
  the two-proportion z-test.
* Trends (``trends``), priority map (``priority``), respondent profile (``respondents``)
  and comments (``comments``) have their own modules.
* Anonymity: no figure for a group with fewer than ``min_n`` respondents, plus
  complementary suppression (``suppress``, ``groups``, ``estimates.hidden_by_rest``).

All sums are computed once per partition with ``numpy.bincount`` (``cellstats``): no
loop over respondents, so a million respondents take about a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reportgen.analysis.benchmark import benchmark, measure_comparisons, question_comparisons, ranks
from reportgen.settings.case import Analyse
from reportgen.analysis.cellstats import OVERALL, categories, overall_questions, partition, survey_arrays
from reportgen.analysis.comments import comment_summary
from reportgen.analysis.estimates import share_estimate, unit_result, verdict_for
from reportgen.analysis.groups import UNKNOWN_GROUP, breakdowns
from reportgen.models.results import GroupBreakdown, Results
from reportgen.models.survey import Survey
from reportgen.analysis.priority import priority_map
from reportgen.analysis.respondents import respondent_profile
from reportgen.analysis.suppress import complementary
from reportgen.analysis.trends import trend

__all__ = ["analyze", "OVERALL", "UNKNOWN_GROUP", "overall_questions", "share_estimate", "verdict_for"]


def analyze(settings: Analyse, survey: Survey, period: str | None = None) -> Results:
    """Compute everything the document states, for the latest (or the given) period."""
    df = survey.responses
    questions, themes = survey.questions, survey.themes
    min_n = settings.min_n
    arrays = survey_arrays(df, questions, themes)

    periods, period_code, current = _periods(survey, period)
    muni_code, munis = categories(df["kommune"])
    if survey.focus not in munis:
        munis = [*munis, survey.focus]
    focus_code = munis.index(survey.focus)
    n_m = len(munis)
    main = partition(arrays, np.where(muni_code >= 0, period_code * n_m + muni_code, -1), len(periods) * n_m)
    cells = range(current * n_m, (current + 1) * n_m)
    focus_cell = current * n_m + focus_code
    focus_st = main.cell(focus_cell)

    focus = unit_result(survey.focus, focus_st, arrays, themes, min_n)
    table = survey.published_benchmark
    bench = benchmark(settings, settings.benchmark_navn, main, cells, focus_cell, arrays, themes, table)
    comparisons = measure_comparisons(settings, focus, focus_st, bench, arrays, themes, table)
    q_comparisons = question_comparisons(settings, focus, focus_st, bench, arrays)
    rank = ranks(main, cells, focus_cell, arrays, (OVERALL, *themes), min_n) if bench.source == "data" else {}

    in_current = period_code == current
    is_focus = (muni_code == focus_code) & (muni_code >= 0)
    focus_groups, bench_groups = breakdowns(settings, df, arrays, in_current, is_focus, themes,
                                            dict(survey.labels), bench.source == "data")

    trend_result = trend(settings, arrays, main, periods, n_m, focus_code, themes, survey.focus,
                         settings.benchmark_navn, current) if len(periods) > 1 else None
    rows = np.flatnonzero(in_current & is_focus)
    prio = priority_map(settings, arrays, rows, focus, themes) if not focus.suppressed else None
    focus_frame = df.iloc[rows]
    profile = respondent_profile(focus_frame, min_n, {c: {g.name for g in bd.groups if g.suppressed}
                                                      for c, bd in focus_groups.items()})
    comments = None
    if settings.kommentarer.medtag and not focus.suppressed:
        eligible = quotable(focus_frame, survey.group_columns, focus_groups, min_n)
        comments = comment_summary(settings.kommentarer, focus_frame.reset_index(drop=True), eligible, themes,
                                   survey.redact_names, min_n)
    present = [munis[k - current * n_m] for k in cells if main.size[k] > 0]
    rr_focus, rr_bench, inv_focus, inv_bench = _response_rates(
        settings, survey, focus_st.size, int(sum(main.size[k] for k in cells)), present, bench.source)
    return Results(
        focus=focus, benchmark=bench.unit, themes=themes, questions=questions, comparisons=comparisons,
        ranks=rank, focus_groups=focus_groups, benchmark_groups=bench_groups,
        response_rate_focus=rr_focus, response_rate_benchmark=rr_bench, invited_focus=inv_focus,
        invited_benchmark=inv_bench, n_municipalities=bench.n_municipalities, min_n=min_n, account=survey.account,
        benchmark_name=settings.benchmark_navn, question_comparisons=q_comparisons, benchmark_source=bench.source,
        period=periods[current] if survey.periods else None, trend=trend_result, priority=prio, profile=profile,
        comments=comments,
    )


def _response_rates(settings: Analyse, survey: Survey, n_focus: int, n_current: int, present: list[str],
                    source: str) -> tuple[float | None, float | None, int | None, int | None]:
    """(response rate of the focus, of the benchmark, invited in the focus, in the
    benchmark). The benchmark's invited are those of the municipalities with answers in the
    period (``present``); with a published benchmark table its rate is the table's
    ``benchmark_svarprocent``."""
    rr_focus = rr_bench = inv_focus = inv_bench = None
    if survey.invited:
        inv_focus = survey.invited.get(survey.focus)
        if inv_focus:
            rr_focus = n_focus / inv_focus
        inv_bench = sum(survey.invited.get(m, 0) for m in present)
        if inv_bench and source == "data":
            rr_bench = n_current / inv_bench
    if source == "tabel":
        inv_bench = None
        rr_bench = settings.benchmark_svarprocent / 100 if settings.benchmark_svarprocent is not None else None
    return rr_focus, rr_bench, inv_focus, inv_bench


def _periods(survey: Survey, period: str | None) -> tuple[tuple[str, ...], np.ndarray, int]:
    """(period labels in order, each row's period index (-1: none), index of the chosen one)."""
    df = survey.responses
    if not survey.periods or "periode" not in df.columns:
        return ("",), np.zeros(len(df), dtype=np.int64), 0
    periods = tuple(survey.periods)
    chosen = period or periods[-1]
    if chosen not in periods:
        raise ValueError(f"unknown period {chosen!r}; known: {', '.join(periods)}")
    lut = {p: i for i, p in enumerate(periods)}
    codes, uniques = pd.factorize(df["periode"], use_na_sentinel=True)
    per_unique = np.array([lut.get(str(u).strip(), -1) for u in uniques] + [-1], dtype=np.int64)
    return periods, per_unique[codes], periods.index(chosen)


def quotable(focus_rows: pd.DataFrame, columns: Sequence[str], shown: dict[str, GroupBreakdown],
             min_n: int) -> np.ndarray:
    """Focus respondents who may be quoted: in no category below min_n and no suppressed group."""
    ok = np.ones(len(focus_rows), dtype=bool)
    for col in columns:
        if col == "periode" or col not in focus_rows.columns:
            continue
        codes, cats = categories(focus_rows[col])
        sizes = {c: int((codes == i).sum()) for i, c in enumerate(cats)}
        unknown = int((codes < 0).sum())
        hidden = complementary(sizes, min_n, hidden_n=unknown)
        bd = shown.get(col)
        if bd is not None:
            hidden |= {g.name for g in bd.groups if g.suppressed}
        bad = np.array([c in hidden for c in cats] + [0 < unknown < min_n], dtype=bool)
        ok &= ~bad[np.where(codes < 0, len(cats), codes)]
    return ok
