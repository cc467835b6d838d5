"""The benchmark ("Alle kommuner") for one period, and the focus municipality against it.

Four sources, in this order of precedence:

* ``tabel`` — a published benchmark table read from a file (``analyse.benchmark_tabel``:
  columns ``tema`` and ``vaerdi``, optionally ``n`` and ``sd``; a row ``Samlet`` for the
  overall score). Used when the user only has their own municipality's data.
* ``samlet`` (default) — pooled over all respondents of all participating municipalities.
* ``kommunegennemsnit`` — the unweighted mean of the municipalities' own results (only
  municipalities with at least ``min_n`` respondents count).
* ``ingen`` — only one municipality and no table: nothing to compare with.

Comparisons: Welch's t-test of the focus municipality's respondents against the other
municipalities' respondents (data), Welch's test from the table's n and SD when both are
given, else a one-sample t-test against the published value (table). The verdict rule is
``estimates.verdict_for``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reportgen.settings.case import Analyse
from reportgen.analysis.cellstats import OVERALL, CellStats, Partition, SurveyArrays
from reportgen.analysis.estimates import (
    comparison,
    empty_unit,
    one_sample_p,
    two_proportion_p,
    unit_result,
    welch_p,
)
from reportgen.models.results import (
    Comparison,
    Estimate,
    QuestionComparison,
    QuestionResult,
    Rank,
    ThemeResult,
    UnitResult,
)
from reportgen.models.survey import PublishedBenchmark



@dataclass(frozen=True)
class Bench:
    """The benchmark unit, where it came from, and the respondents it adds to the focus."""

    unit: UnitResult
    source: str  # "data" | "tabel" | "ingen"
    rest: CellStats | None
    n_municipalities: int


def benchmark(settings: Analyse, name: str, part: Partition, cells: Sequence[int], focus_cell: int,
              arrays: SurveyArrays, themes: Sequence[str], table: PublishedBenchmark | None) -> Bench:
    """The benchmark over ``cells`` (one period's municipalities) of ``part``."""
    min_n = settings.min_n
    present = [k for k in cells if part.size[k] > 0]
    n_munis = len(present)
    if table is not None:
        unit = table_unit(name, table, arrays, themes)
        return Bench(unit, "tabel", None, settings.benchmark_kommuner or max(n_munis, 1))
    others = [k for k in present if k != focus_cell]
    if not others:
        return Bench(empty_unit(name, arrays.questions, themes), "ingen", None, n_munis)
    rest = part.total(others)
    if settings.benchmark == "kommunegennemsnit":
        unit = _mean_of_municipalities(name, part, present, arrays, themes, min_n)
    else:
        unit = unit_result(name, part.total(present), arrays, themes, min_n, rest=rest)
    return Bench(unit, "data", rest, n_munis)


def _mean_of_municipalities(name: str, part: Partition, cells: Sequence[int], arrays: SurveyArrays,
                            themes: Sequence[str], min_n: int) -> UnitResult:
    """Benchmark as the unweighted mean of the municipalities' own results."""
    units = [unit_result(str(k), part.cell(k), arrays, themes, min_n) for k in cells]
    units = [u for u in units if not u.suppressed]

    def avg(vals: list[float | None]) -> Estimate:
        v = [x for x in vals if x is not None]
        return Estimate(n=len(v), value=float(np.mean(v)) if v else None, suppressed=not v)

    tres = {t: ThemeResult(t, sum(u.themes[t].n for u in units), avg([u.themes[t].score.value for u in units]),
                           avg([u.themes[t].share_positive.value for u in units])) for t in themes}
    qres = {}
    for q in arrays.questions:
        rs = [u.questions[q.id] for u in units if not u.questions[q.id].suppressed]
        counts = tuple(sum(r.counts[i] for r in rs) for i in range(len(q.scale.values)))
        qres[q.id] = QuestionResult(
            question=q, n=sum(r.n for r in rs), n_missing=sum(r.n_missing for r in rs),
            mean=avg([r.mean.value for r in rs]), share_positive=avg([r.share_positive.value for r in rs]),
            share_neutral=float(np.mean([r.share_neutral for r in rs])) if rs else None,
            share_negative=float(np.mean([r.share_negative for r in rs])) if rs else None,
            counts=counts, suppressed=not rs, n_positive=sum(r.n_positive for r in rs))
    return UnitResult(name=name, n_respondents=int(sum(part.size[k] for k in cells)),
                      overall=avg([u.overall.value for u in units]), themes=tres, questions=qres,
                      overall_share=avg([u.overall_share.value if u.overall_share else None for u in units]))


def table_unit(name: str, table: PublishedBenchmark, arrays: SurveyArrays, themes: Sequence[str]) -> UnitResult:
    """A benchmark unit holding the published values (no question-level figures)."""
    base = empty_unit(name, arrays.questions, themes)

    def est(key: str) -> Estimate:
        v = table.values.get(key)
        if v is None:
            return Estimate(0, None)
        return Estimate(n=v.n or 0, value=v.value, sd=v.sd)

    tres = {t: ThemeResult(t, est(t).n, est(t), Estimate(0, None)) for t in themes}
    overall = est(OVERALL)
    return UnitResult(name=name, n_respondents=overall.n, overall=overall, themes=tres, questions=base.questions,
                      overall_share=Estimate(0, None))


def measure_comparisons(settings: Analyse, focus: UnitResult, focus_st: CellStats, bench: Bench,
                        arrays: SurveyArrays, themes: Sequence[str], table: PublishedBenchmark | None
                        ) -> dict[str, Comparison]:
    out = {}
    for measure in (OVERALL, *themes):
        f = focus.overall if measure == OVERALL else focus.themes[measure].score
        b = bench.unit.overall if measure == OVERALL else bench.unit.themes[measure].score
        p = None
        m = arrays.measure_index(measure)
        n1, m1, v1 = focus_st.m_mean_var(m)
        if f.value is not None and b.value is not None:
            if bench.source == "data" and bench.rest is not None:
                n2, m2, v2 = bench.rest.m_mean_var(m)
                p = welch_p(n1, m1, v1, n2, m2, v2)
            elif bench.source == "tabel" and table is not None:
                row = table.values.get(measure)
                if row is not None and row.n and row.sd is not None and row.n >= 2:
                    p = welch_p(n1, m1, v1, row.n, row.value, row.sd ** 2)
                elif row is not None:
                    p = one_sample_p(n1, m1, v1, row.value)
        out[measure] = comparison(measure, f.value, b.value, p, settings.signifikansniveau, settings.min_forskel)
    return out


def question_comparisons(settings: Analyse, focus: UnitResult, focus_st: CellStats, bench: Bench,
                         arrays: SurveyArrays) -> dict[str, QuestionComparison]:
    """Per question: the mean (Welch) and the share positive (two-proportion test), focus vs the rest."""
    out = {}
    alpha = settings.signifikansniveau
    for j, q in enumerate(arrays.questions):
        f, b = focus.questions[q.id], bench.unit.questions[q.id]
        p_mean = p_share = None
        if bench.source == "data" and bench.rest is not None and not f.suppressed and not b.suppressed:
            n1, m1, v1 = focus_st.q_mean_var(j, arrays.slots[j])
            n2, m2, v2 = bench.rest.q_mean_var(j, arrays.slots[j])
            p_mean = welch_p(n1, m1, v1, n2, m2, v2)
            k2 = int(sum(c for v, c in zip(arrays.slots[j], bench.rest.counts[j]) if v in q.scale.positive))
            p_share = two_proportion_p(f.n_positive, f.n, k2, n2)
        out[q.id] = QuestionComparison(
            mean=comparison(q.id, f.mean.value, b.mean.value, p_mean, alpha, settings.min_forskel),
            share=comparison(q.id, f.share_positive.value, b.share_positive.value, p_share, alpha,
                             settings.min_forskel_andel / 100),
        )
    return out


def ranks(part: Partition, cells: Sequence[int], focus_cell: int, arrays: SurveyArrays,
          measures: Sequence[str], min_n: int) -> dict[str, Rank]:
    """The focus municipality's place per measure among municipalities with ≥ min_n (1 = highest)."""
    ks = [k for k in cells if part.size[k] > 0]
    if focus_cell not in ks:
        return {}
    fi = ks.index(focus_cell)
    out = {}
    for measure in measures:
        m = arrays.measure_index(measure)
        n = part.m_n[ks, m]
        ok = n >= min_n
        if not ok[fi]:
            continue
        means = part.m_sum[ks, m][ok] / n[ok]
        mine = part.m_sum[focus_cell, m] / part.m_n[focus_cell, m]
        out[measure] = Rank(rank=int((means > mine).sum()) + 1, of=int(ok.sum()))
    return out
