"""A background column (målgruppe, køn, alder, …) → ``GroupBreakdown`` for the focus and the benchmark.

Suppression, in this order (see also ``suppress`` and docs/metode.md):

1. Focus groups: primary and complementary suppression on respondent counts (respondents
   with no category count as hidden), then again per measure (each theme score and the
   overall index) on the respondents with a valid value there.
2. Benchmark groups (all municipalities pooled): a group's figure is also hidden when the
   respondents it adds to the focus group — the other municipalities' respondents in it —
   number 1 … min_n-1 (they could be worked out by subtraction), or when the focus group is
   hidden and the other municipalities add fewer than min_n (the benchmark would show the
   hidden focus group). Then complementary suppression on the pooled counts.
3. Comparisons: a focus group against the same group in the other municipalities
   (Welch's t-test on the overall index), only where both figures are shown and the other
   municipalities have at least min_n respondents in the group.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from reportgen.settings.case import Analyse
from reportgen.analysis.cellstats import OVERALL, CellStats, Partition, SurveyArrays, categories, partition
from reportgen.analysis.estimates import comparison, hidden_by_rest, unit_result, welch_p
from reportgen.models.results import Comparison, Estimate, GroupBreakdown, ThemeResult, UnitResult
from reportgen.analysis.suppress import complementary

UNKNOWN_GROUP = "Uoplyst"


def breakdowns(settings: Analyse, df: pd.DataFrame, arrays: SurveyArrays, current: np.ndarray,
               is_focus: np.ndarray, themes: Sequence[str], labels: dict[str, str], with_benchmark: bool
               ) -> tuple[dict[str, GroupBreakdown], dict[str, GroupBreakdown]]:
    focus_groups, bench_groups = {}, {}
    for col in settings.grupper:
        if col not in df.columns:
            continue
        title = labels.get(col, col)
        f, b = breakdown(settings, col, title, df[col], arrays, current, is_focus, themes, with_benchmark)
        focus_groups[col] = f
        if b is not None:
            bench_groups[col] = b
    return focus_groups, bench_groups


def breakdown(settings: Analyse, col: str, title: str, series: pd.Series, arrays: SurveyArrays,
              current: np.ndarray, is_focus: np.ndarray, themes: Sequence[str], with_benchmark: bool
              ) -> tuple[GroupBreakdown, GroupBreakdown | None]:
    min_n = settings.min_n
    codes, cats = categories(series)
    g = len(cats)
    cat = np.where(codes < 0, g, codes)
    width = g + 1
    cells = np.where(current, is_focus.astype(np.int64) * width + cat, 2 * width)
    part = partition(arrays, cells, 2 * width)
    measures = (*themes, OVERALL)

    def fk(i: int) -> int:  # focus cell of category i (i == g: unknown)
        return width + i

    present = [i for i in range(g) if part.size[fk(i)] > 0]
    sizes = {cats[i]: int(part.size[fk(i)]) for i in present}
    hidden_n = int(part.size[fk(g)])
    suppressed = complementary(sizes, min_n, hidden_n=hidden_n)
    m_hidden: dict[str, set[str]] = {}
    for m, name in enumerate(measures):
        m_sizes = {cats[i]: int(round(part.m_n[fk(i), m])) for i in present}
        m_hidden[name] = complementary(m_sizes, min_n, hidden_n=int(round(part.m_n[fk(g), m])), forced=suppressed)
    n_focus = int(sum(part.size[fk(i)] for i in range(g + 1)))
    groups = [_hidden_group(cats[i], sizes[cats[i]]) if cats[i] in suppressed
              else _shown_group(cats[i], part.cell(fk(i)), arrays, themes, min_n, m_hidden) for i in present]

    bench_bd = None
    comparisons: dict[str, Comparison] = {}
    if with_benchmark:
        bench_bd = _benchmark_breakdown(col, title, part, cats, arrays, themes, min_n, suppressed,
                                                  m_hidden)
        bench_by = {u.name: u for u in bench_bd.groups}
        m = arrays.measure_index(OVERALL)
        for i in present:
            c = cats[i]
            f_unit = next(u for u in groups if u.name == c)
            b_unit = bench_by.get(c)
            rest = part.cell(i)
            if f_unit.overall.value is None or b_unit is None or b_unit.overall.value is None:
                continue
            if rest.m_n[m] < min_n:
                continue
            n1, m1, v1 = part.cell(fk(i)).m_mean_var(m)
            n2, m2, v2 = rest.m_mean_var(m)
            comparisons[c] = comparison(OVERALL, f_unit.overall.value, b_unit.overall.value,
                                        welch_p(n1, m1, v1, n2, m2, v2), settings.signifikansniveau,
                                        settings.min_forskel)
    focus_bd = GroupBreakdown(column=col, title=title, groups=tuple(groups), hidden_n=hidden_n,
                              comparisons=comparisons, n_total=n_focus)
    return focus_bd, bench_bd


def _hidden_group(name: str, size: int) -> UnitResult:
    none = Estimate(0, None, suppressed=True)
    return UnitResult(name=name, n_respondents=size, overall=none, themes={}, questions={}, suppressed=True,
                      overall_share=none)


def _shown_group(name: str, st: CellStats, arrays: SurveyArrays, themes: Sequence[str], min_n: int,
                 m_hidden: dict[str, set[str]]) -> UnitResult:
    """A group's results with the per-measure suppression applied and no question-level figures."""
    u = unit_result(name, st, arrays, themes, min_n)
    th = {}
    for t, r in u.themes.items():
        if name in m_hidden[t] or r.suppressed:
            r = ThemeResult(t, r.n, Estimate(r.n, None, suppressed=True),
                            Estimate(r.share_positive.n, None, suppressed=True), suppressed=True)
        th[t] = r
    overall, share = u.overall, u.overall_share
    if name in m_hidden[OVERALL] or overall.suppressed:
        overall = Estimate(u.overall.n, None, suppressed=True)
        share = Estimate(0, None, suppressed=True)
    # Question-level figures are not shown per group; drop them so no renderer can.
    return UnitResult(name, u.n_respondents, overall, th, {}, False, overall_share=share)


def _benchmark_breakdown(col: str, title: str, part: Partition, cats: list[str], arrays: SurveyArrays,
                         themes: Sequence[str], min_n: int, focus_suppressed: set[str],
                         focus_m_hidden: dict[str, set[str]]) -> GroupBreakdown:
    g = len(cats)
    width = g + 1
    measures = (*themes, OVERALL)
    pooled = [part.total([i, width + i]) for i in range(g + 1)]
    present = [i for i in range(g) if pooled[i].size > 0]
    sizes = {cats[i]: pooled[i].size for i in present}
    rest_size = {cats[i]: int(part.size[i]) for i in present}
    forced = {c for c in sizes if hidden_by_rest(rest_size[c], min_n)
              or (c in focus_suppressed and rest_size[c] < min_n)}
    suppressed = complementary(sizes, min_n, hidden_n=pooled[g].size, forced=forced)
    m_hidden: dict[str, set[str]] = {}
    for m, name in enumerate(measures):
        m_sizes = {cats[i]: int(round(pooled[i].m_n[m])) for i in present}
        rest_m = {cats[i]: int(round(part.m_n[i, m])) for i in present}
        m_forced = suppressed | {c for c in m_sizes if hidden_by_rest(rest_m[c], min_n)
                                 or ((c in focus_m_hidden[name] or c in focus_suppressed) and rest_m[c] < min_n)}
        hidden = complementary(m_sizes, min_n, hidden_n=int(round(pooled[g].m_n[m])), forced=m_forced)
        # The other municipalities' part of a group follows from benchmark − focus where both are shown;
        # what is left of their total must then be nobody or at least min_n (as for the focus groups).
        focus_present = {cats[i] for i in range(g) if part.size[width + i] > 0}
        rest_total = int(round(sum(part.m_n[i, m] for i in range(g + 1))))
        while True:
            derivable = [c for c in m_sizes if c not in hidden
                         and (c not in focus_present or c not in focus_m_hidden[name])]
            left = rest_total - sum(rest_m[c] for c in derivable)
            if not 0 < left < min_n or not derivable:
                break
            hidden.add(min(derivable, key=lambda c: (rest_m[c] == 0, rest_m[c], c)))
        m_hidden[name] = hidden
    groups = []
    for i in present:
        c = cats[i]
        groups.append(_hidden_group(c, sizes[c]) if c in suppressed
                      else _shown_group(c, pooled[i], arrays, themes, min_n, m_hidden))
    return GroupBreakdown(column=col, title=title, groups=tuple(groups), hidden_n=pooled[g].size,
                          n_total=int(sum(p.size for p in pooled)))
