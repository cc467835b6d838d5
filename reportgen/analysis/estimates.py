"""Sums (``CellStats``) → estimates, unit results and significance tests.

* Means get a t-based 95 % confidence interval, shares a Wilson interval.
* A figure resting on fewer than ``min_n`` respondents is suppressed. A benchmark figure
  is also suppressed when the respondents it adds to the focus municipality's (``rest``)
  are between 1 and ``min_n - 1``: otherwise their result could be worked out by
  subtraction.
* Tests: Welch's t-test for two means (from the summary statistics: identical to
  ``scipy.stats.ttest_ind(..., equal_var=False)`` on the raw values), a two-proportion
  z-test for two shares (pooled standard error; only when every expected count is at
  least 5), and a one-sample t-test against a published value.

The distribution functions come from ``scipy.special`` (``stdtr``, ``stdtrit``, ``ndtr``):
the very functions ``scipy.stats`` evaluates for ``t.ppf``, ``t.sf``, ``norm.sf`` and
``ttest_ind_from_stats``, without importing ``scipy.stats`` (about 0.35 s at start-up).
tests/test_estimates_scipy.py holds them to ``scipy.stats``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import ndtr, stdtr, stdtrit

from reportgen.analysis.cellstats import OVERALL, CellStats, SurveyArrays, overall_questions
from reportgen.models.results import Comparison, Estimate, QuestionResult, ThemeResult, UnitResult
from reportgen.models.survey import Question

Z95 = 1.959963984540054
MIN_EXPECTED = 5  # two-proportion test: smallest expected count in any cell


def mean_estimate_from(n: int, mean: float | None, var: float | None, min_n: int) -> Estimate:
    """A mean with its t-based 95 % interval; suppressed below min_n."""
    if n < min_n or n == 0 or mean is None:
        return Estimate(n=n, value=None, suppressed=True)
    if n < 2 or var is None:
        return Estimate(n=n, value=mean)
    sd = math.sqrt(max(var, 0.0))
    half = float(stdtrit(n - 1, 0.975)) * sd / math.sqrt(n)  # = scipy.stats.t.ppf(0.975, n - 1)
    return Estimate(n=n, value=mean, ci_low=mean - half, ci_high=mean + half, sd=sd)


def share_estimate(k: int, n: int, min_n: int) -> Estimate:
    """A share with its Wilson 95 % interval; suppressed below min_n."""
    if n < min_n or n == 0:
        return Estimate(n=n, value=None, suppressed=True)
    p = k / n
    z = Z95
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Estimate(n=n, value=p, ci_low=max(0.0, centre - half), ci_high=min(1.0, centre + half))


def hidden_by_rest(n_rest: int | float | None, min_n: int) -> bool:
    """True when a benchmark's extra respondents are too few to be shown (1 … min_n-1)."""
    return n_rest is not None and 0 < round(n_rest) < min_n


def question_result(q: Question, j: int, st: CellStats, slots: np.ndarray, min_n: int,
                    rest: CellStats | None = None) -> QuestionResult:
    counts = st.counts[j]
    n = int(counts.sum())
    k = len(q.scale.values)
    on_scale = tuple(int(c) for c in counts[:k])
    pos = int(sum(c for v, c in zip(slots, counts) if v in q.scale.positive))
    neg = int(sum(c for v, c in zip(slots, counts) if v in q.scale.negative))
    suppressed = n < min_n or (rest is not None and hidden_by_rest(rest.q_n(j), min_n))
    if suppressed:
        return QuestionResult(question=q, n=n, n_missing=int(st.n_invalid[j]), mean=Estimate(n, None, suppressed=True),
                              share_positive=Estimate(n, None, suppressed=True), share_neutral=None,
                              share_negative=None, counts=tuple(0 for _ in on_scale), suppressed=True)
    n_, mean, var = st.q_mean_var(j, slots)
    return QuestionResult(
        question=q, n=n, n_missing=int(st.n_invalid[j]), mean=mean_estimate_from(n_, mean, var, min_n),
        share_positive=share_estimate(pos, n, min_n), share_neutral=(n - pos - neg) / n, share_negative=neg / n,
        counts=on_scale, suppressed=False, n_positive=pos,
    )


def measure_estimate(st: CellStats, m: int, min_n: int, rest: CellStats | None = None) -> Estimate:
    n, mean, var = st.m_mean_var(m)
    if rest is not None and hidden_by_rest(rest.m_n[m], min_n):
        return Estimate(n=n, value=None, suppressed=True)
    return mean_estimate_from(n, mean, var, min_n)


def pooled_share(qres: Sequence[QuestionResult], n_resp: Estimate, min_n: int) -> Estimate:
    """Share positive over several questions' answers; hidden with the measure it belongs to."""
    shown = [r for r in qres if not r.suppressed]
    pos = sum(r.n_positive for r in shown)
    n = sum(r.n for r in shown)
    if n_resp.suppressed:
        return Estimate(n=n, value=None, suppressed=True)
    return share_estimate(pos, n, min_n)


def unit_result(name: str, st: CellStats, arrays: SurveyArrays, themes: Sequence[str], min_n: int,
                rest: CellStats | None = None) -> UnitResult:
    """Everything about one set of respondents, with suppression applied."""
    qres = {q.id: question_result(q, j, st, arrays.slots[j], min_n, rest) for j, q in enumerate(arrays.questions)}
    tres = {}
    for t in themes:
        score = measure_estimate(st, arrays.measure_index(t), min_n, rest)
        share = pooled_share([qres[q.id] for q in arrays.questions if q.theme == t], score, min_n)
        tres[t] = ThemeResult(theme=t, n=score.n, score=score, share_positive=share, suppressed=score.suppressed)
    overall = measure_estimate(st, arrays.measure_index(OVERALL), min_n, rest)
    share = pooled_share([qres[q.id] for q in overall_questions(arrays.questions)], overall, min_n)
    return UnitResult(name=name, n_respondents=st.size, overall=overall, themes=tres, questions=qres,
                      suppressed=st.size < min_n, overall_share=share)


def empty_unit(name: str, questions: Sequence[Question], themes: Sequence[str], n: int = 0) -> UnitResult:
    """A unit with no figures (no benchmark available)."""
    none = Estimate(0, None)
    qres = {q.id: QuestionResult(q, 0, 0, none, none, None, None, tuple(0 for _ in q.scale.values))
            for q in questions}
    return UnitResult(name=name, n_respondents=n, overall=none,
                      themes={t: ThemeResult(t, 0, none, none) for t in themes}, questions=qres,
                      overall_share=none)


# --------------------------------------------------------------------------- tests


def welch_p(n1: int, m1: float | None, v1: float | None, n2: int, m2: float | None, v2: float | None) -> float | None:
    """Welch's two-sided t-test from summary statistics; None when it cannot be computed."""
    if n1 < 2 or n2 < 2 or m1 is None or m2 is None or v1 is None or v2 is None:
        return None
    if v1 <= 0 and v2 <= 0:
        return None
    # As scipy.stats.ttest_ind_from_stats(m1, sd1, n1, m2, sd2, n2, equal_var=False), step
    # by step and bit for bit: it squares the standard deviations it is given as arrays
    # (x * x) and the rest as numpy scalars (pow(), as Python's ** does).
    sd1, sd2 = math.sqrt(max(v1, 0.0)), math.sqrt(max(v2, 0.0))
    vn1, vn2 = sd1 * sd1 / n1, sd2 * sd2 / n2
    num, den = (vn1 + vn2) ** 2, vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1)
    df = num / den if den != 0 else (math.inf if num > 0 else math.nan)
    if math.isnan(df):  # scipy: the variances are zero, and df does not matter
        df = 1.0
    denom, d = math.sqrt(vn1 + vn2), m1 - m2
    t = d / denom if denom != 0 else (math.copysign(math.inf, d) if d != 0 else math.nan)
    p = float(2 * stdtr(df, -abs(t)))
    return None if math.isnan(p) else p


def one_sample_p(n: int, mean: float | None, var: float | None, mu: float) -> float | None:
    """Two-sided one-sample t-test of a mean against a fixed value."""
    if n < 2 or mean is None or var is None or var <= 0:
        return None
    t = (mean - mu) / math.sqrt(var / n)
    return float(2 * stdtr(n - 1, -abs(t)))  # = 2 * scipy.stats.t.sf(|t|, n - 1)


def two_proportion_p(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """Two-sided z-test for two shares with a pooled standard error.

    None when a sample is empty or an expected count is below ``MIN_EXPECTED`` (the normal
    approximation does not hold; the difference is then reported as not significant).
    """
    if n1 == 0 or n2 == 0:
        return None
    p = (k1 + k2) / (n1 + n2)
    if min(n1 * p, n1 * (1 - p), n2 * p, n2 * (1 - p)) < MIN_EXPECTED:
        return None
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    if se == 0:
        return None
    z = (k1 / n1 - k2 / n2) / se
    return float(2 * ndtr(-abs(z)))  # = 2 * scipy.stats.norm.sf(|z|)


def verdict_for(diff: float, p: float | None, alpha: float, min_diff: float) -> str:
    """'over' / 'under' only when significant AND at least min_diff; else 'paa_niveau'."""
    if p is None or p >= alpha or abs(diff) < min_diff:
        return "paa_niveau"
    return "over" if diff > 0 else "under"


def comparison(measure: str, focus: float | None, bench: float | None, p: float | None, alpha: float,
               min_diff: float) -> Comparison:
    if focus is None or bench is None:
        return Comparison(measure, focus, bench, None, None, None)
    diff = focus - bench
    return Comparison(measure, focus, bench, diff, p, verdict_for(diff, p, alpha, min_diff))  # type: ignore[arg-type]
