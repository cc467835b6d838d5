"""Survey → ``Results``: means, shares, theme scores, benchmark, ranks, groups, response rates.

The method (also in docs/metode.md):

* A valid answer is a value on the question's scale; blanks, "Ved ikke"-type labels and
  declared missing codes are excluded from every mean and share (and counted).
* Question mean: the mean of valid answers. Theme score: the mean over respondents of each
  respondent's mean of their valid answers in the theme. The overall index is the same over
  all questions sharing the most common scale range.
* Shares: the share of valid answers in the scale's positive / neutral / negative categories.
* 95 % confidence intervals: t-based for means, Wilson for shares.
* Benchmark: pooled over all respondents in all participating municipalities
  (``analyse.benchmark: samlet``), or the mean of the municipalities' own results
  (``kommunegennemsnit``; only municipalities with at least ``min_n`` respondents count).
* Comparison rule: the focus municipality is "over"/"under" the benchmark when Welch's
  t-test of its respondents against the other municipalities' respondents gives
  p < ``signifikansniveau`` AND the difference is at least ``min_forskel`` scale points;
  otherwise it is "på niveau med".
* Anonymity: no figure for a group with fewer than ``min_n`` respondents, plus
  complementary suppression (see ``suppress``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from reportgen.case import Analyse
from reportgen.models import (
    VALID,
    Comparison,
    Estimate,
    GroupBreakdown,
    Question,
    QuestionResult,
    Rank,
    Results,
    Survey,
    ThemeResult,
    UnitResult,
)
from reportgen.suppress import complementary

OVERALL = "_samlet"
UNKNOWN_GROUP = "Uoplyst"


def analyze(settings: Analyse, survey: Survey, period: str | None = None) -> Results:
    """Compute everything the document states, for the latest (or the given) period."""
    df, kinds = _period_slice(survey, period)
    questions = survey.questions
    themes = survey.themes
    resp = respondent_scores(df, questions, themes)
    is_focus = (df["kommune"] == survey.focus).to_numpy()
    min_n = settings.min_n

    focus = unit_result(survey.focus, df, kinds, resp, is_focus, questions, themes, min_n)
    everyone = np.ones(len(df), dtype=bool)
    muni_names = sorted(df["kommune"].unique()) if survey.has_municipalities else [survey.focus]
    if settings.benchmark == "kommunegennemsnit" and len(muni_names) > 1:
        benchmark = _mean_of_municipalities(settings, df, kinds, resp, questions, themes, muni_names)
    else:
        benchmark = unit_result(settings.benchmark_navn, df, kinds, resp, everyone, questions, themes, min_n)

    comparisons = {}
    for measure in (OVERALL, *themes):
        comparisons[measure] = compare(settings, resp[measure][is_focus], resp[measure][~is_focus],
                                       _measure(focus, measure).value, _measure(benchmark, measure).value)
    ranks = _ranks(df, resp, survey.focus, (OVERALL, *themes), min_n) if len(muni_names) > 1 else {}

    focus_groups, bench_groups = {}, {}
    for col in settings.grupper:
        if col not in df.columns:
            continue
        title = survey.labels.get(col, col)
        focus_groups[col] = breakdown(col, title, df, kinds, resp, is_focus, questions, themes, min_n)
        bench_groups[col] = breakdown(col, title, df, kinds, resp, everyone, questions, themes, min_n)

    n_focus = int(is_focus.sum())
    rr_focus = rr_bench = inv_focus = inv_bench = None
    if survey.invited:
        inv_focus = survey.invited.get(survey.focus)
        if inv_focus:
            rr_focus = n_focus / inv_focus
        inv_bench = sum(survey.invited.get(m, 0) for m in muni_names)
        if inv_bench:
            rr_bench = len(df) / inv_bench
    return Results(
        focus=focus, benchmark=benchmark, themes=themes, questions=questions, comparisons=comparisons,
        ranks=ranks, focus_groups=focus_groups, benchmark_groups=bench_groups,
        response_rate_focus=rr_focus, response_rate_benchmark=rr_bench, invited_focus=inv_focus,
        invited_benchmark=inv_bench, n_municipalities=len(muni_names), min_n=min_n, account=survey.account,
        benchmark_name=settings.benchmark_navn,
    )


def _period_slice(survey: Survey, period: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    df, kinds = survey.responses, survey.missing_kind
    if survey.periods and "periode" in df.columns:
        chosen = period or survey.periods[-1]
        mask = (df["periode"] == chosen).to_numpy()
        return df.loc[mask].reset_index(drop=True), kinds.loc[mask].reset_index(drop=True)
    return df, kinds


def overall_questions(questions: Sequence[Question]) -> list[Question]:
    """Questions on the most common scale range (the overall index does not mix ranges)."""
    if not questions:
        return []
    ranges = Counter((q.scale.minimum, q.scale.maximum) for q in questions)
    common = ranges.most_common(1)[0][0]
    return [q for q in questions if (q.scale.minimum, q.scale.maximum) == common]


def respondent_scores(df: pd.DataFrame, questions: Sequence[Question], themes: Sequence[str]) -> dict[str, np.ndarray]:
    """Each respondent's mean of valid answers per theme and overall (NaN with none)."""
    out: dict[str, np.ndarray] = {}
    groups = {t: [q.id for q in questions if q.theme == t] for t in themes}
    groups[OVERALL] = [q.id for q in overall_questions(questions)]
    for key, ids in groups.items():
        if not ids:
            out[key] = np.full(len(df), np.nan)
            continue
        m = df[ids].to_numpy(dtype=float)
        cnt = (~np.isnan(m)).sum(axis=1)
        tot = np.nansum(m, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[key] = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan)
    return out


def mean_estimate(x: np.ndarray, min_n: int) -> Estimate:
    """Mean with a t-based 95 % interval; suppressed below min_n."""
    x = x[~np.isnan(x)]
    n = len(x)
    if n < min_n or n == 0:
        return Estimate(n=n, value=None, suppressed=True)
    mean = float(x.mean())
    if n < 2:
        return Estimate(n=n, value=mean)
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return Estimate(n=n, value=mean, ci_low=mean - half, ci_high=mean + half, sd=sd)


def share_estimate(k: int, n: int, min_n: int) -> Estimate:
    """A share with its Wilson 95 % interval; suppressed below min_n."""
    if n < min_n or n == 0:
        return Estimate(n=n, value=None, suppressed=True)
    p = k / n
    z = 1.959963984540054
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Estimate(n=n, value=p, ci_low=max(0.0, centre - half), ci_high=min(1.0, centre + half))


def question_result(q: Question, values: np.ndarray, kinds: np.ndarray, min_n: int) -> QuestionResult:
    valid = values[~np.isnan(values)]
    n = len(valid)
    n_missing = int((kinds != VALID).sum())
    counts = tuple(int((valid == v).sum()) for v in q.scale.values)
    pos = int(np.isin(valid, list(q.scale.positive)).sum())
    neg = int(np.isin(valid, list(q.scale.negative)).sum())
    suppressed = n < min_n
    return QuestionResult(
        question=q, n=n, n_missing=n_missing, mean=mean_estimate(values, min_n),
        share_positive=share_estimate(pos, n, min_n),
        share_neutral=None if suppressed else (n - pos - neg) / n,
        share_negative=None if suppressed else neg / n,
        counts=tuple(0 for _ in counts) if suppressed else counts, suppressed=suppressed,
    )


def unit_result(name: str, df: pd.DataFrame, kinds: pd.DataFrame, resp: Mapping[str, np.ndarray],
                mask: np.ndarray, questions: Sequence[Question], themes: Sequence[str], min_n: int) -> UnitResult:
    n_resp = int(mask.sum())
    qres = {q.id: question_result(q, df[q.id].to_numpy(dtype=float)[mask], kinds[q.id].to_numpy()[mask], min_n)
            for q in questions}
    tres = {}
    for t in themes:
        score = mean_estimate(resp[t][mask], min_n)
        pos = sum(qres[q.id].share_positive.value * qres[q.id].n for q in questions
                  if q.theme == t and qres[q.id].share_positive.value is not None)
        n_answers = sum(qres[q.id].n for q in questions if q.theme == t and not qres[q.id].suppressed)
        share = share_estimate(int(round(pos)), n_answers, min_n)
        tres[t] = ThemeResult(theme=t, n=score.n, score=score, share_positive=share, suppressed=score.suppressed)
    overall = mean_estimate(resp[OVERALL][mask], min_n)
    return UnitResult(name=name, n_respondents=n_resp, overall=overall, themes=tres, questions=qres,
                      suppressed=n_resp < min_n)


def compare(settings: Analyse, focus_x: np.ndarray, rest_x: np.ndarray, focus_value: float | None,
            bench_value: float | None) -> Comparison:
    """Welch's t-test focus vs the other municipalities, and the verdict by the documented rule."""
    if focus_value is None or bench_value is None:
        return Comparison("", focus_value, bench_value, None, None, None)
    diff = focus_value - bench_value
    a = focus_x[~np.isnan(focus_x)]
    b = rest_x[~np.isnan(rest_x)]
    p = None
    if len(a) >= 2 and len(b) >= 2 and (a.std() > 0 or b.std() > 0):
        p = float(stats.ttest_ind(a, b, equal_var=False).pvalue)
    verdict = verdict_for(diff, p, settings.signifikansniveau, settings.min_forskel)
    return Comparison("", focus_value, bench_value, diff, p, verdict)


def verdict_for(diff: float, p: float | None, alpha: float, min_diff: float) -> str:
    """'over' / 'under' only when significant AND at least min_diff; else 'paa_niveau'."""
    if p is None or p >= alpha or abs(diff) < min_diff:
        return "paa_niveau"
    return "over" if diff > 0 else "under"


def _measure(unit: UnitResult, measure: str) -> Estimate:
    return unit.overall if measure == OVERALL else unit.themes[measure].score


def _ranks(df: pd.DataFrame, resp: Mapping[str, np.ndarray], focus: str, measures: Sequence[str],
           min_n: int) -> dict[str, Rank]:
    frame = pd.DataFrame({m: resp[m] for m in measures})
    frame["kommune"] = df["kommune"].to_numpy()
    means = frame.groupby("kommune", sort=True).mean()
    counts = frame.groupby("kommune", sort=True).count()
    out = {}
    for m in measures:
        ok = counts[m] >= min_n
        scores = means.loc[ok, m]
        if focus not in scores.index:
            continue
        out[m] = Rank(rank=int((scores > scores[focus]).sum()) + 1, of=int(len(scores)))
    return out


def _mean_of_municipalities(settings: Analyse, df: pd.DataFrame, kinds: pd.DataFrame,
                            resp: Mapping[str, np.ndarray], questions: Sequence[Question],
                            themes: Sequence[str], munis: Sequence[str]) -> UnitResult:
    """Benchmark as the unweighted mean of the municipalities' own results."""
    min_n = settings.min_n
    col = df["kommune"].to_numpy()
    units = [unit_result(m, df, kinds, resp, col == m, questions, themes, min_n) for m in munis]
    units = [u for u in units if not u.suppressed]

    def avg(vals: list[float | None]) -> Estimate:
        v = [x for x in vals if x is not None]
        return Estimate(n=len(v), value=float(np.mean(v)) if v else None, suppressed=not v)

    tres = {t: ThemeResult(t, sum(u.themes[t].n for u in units), avg([u.themes[t].score.value for u in units]),
                           avg([u.themes[t].share_positive.value for u in units])) for t in themes}
    qres = {}
    for q in questions:
        rs = [u.questions[q.id] for u in units if not u.questions[q.id].suppressed]
        counts = tuple(sum(r.counts[i] for r in rs) for i in range(len(q.scale.values)))
        qres[q.id] = QuestionResult(
            question=q, n=sum(r.n for r in rs), n_missing=sum(r.n_missing for r in rs),
            mean=avg([r.mean.value for r in rs]), share_positive=avg([r.share_positive.value for r in rs]),
            share_neutral=float(np.mean([r.share_neutral for r in rs])) if rs else None,
            share_negative=float(np.mean([r.share_negative for r in rs])) if rs else None,
            counts=counts, suppressed=not rs)
    return UnitResult(name=settings.benchmark_navn, n_respondents=len(df),
                      overall=avg([u.overall.value for u in units]), themes=tres, questions=qres)


def breakdown(col: str, title: str, df: pd.DataFrame, kinds: pd.DataFrame, resp: Mapping[str, np.ndarray],
              mask: np.ndarray, questions: Sequence[Question], themes: Sequence[str], min_n: int) -> GroupBreakdown:
    """Results per category of ``col`` within ``mask``, with primary and complementary suppression.

    Suppression is decided on respondent counts for the group as a whole, then again for each
    theme score and the overall index on the number of respondents with a valid answer there.
    """
    values = df[col].astype(str).str.strip().to_numpy()
    values = np.where(values == "", UNKNOWN_GROUP, values)
    cats = [c for c in sorted(set(values[mask])) if c != UNKNOWN_GROUP]
    in_cat = {c: mask & (values == c) for c in cats}
    unknown = mask & (values == UNKNOWN_GROUP)
    sizes = {c: int(m.sum()) for c in cats for m in [in_cat[c]]}
    hidden_n = int(unknown.sum())
    suppressed = complementary(sizes, min_n, hidden_n=hidden_n)
    measure_hidden: dict[str, set[str]] = {}
    for t in (*themes, OVERALL):
        valid = ~np.isnan(resp[t])
        t_sizes = {c: int((in_cat[c] & valid).sum()) for c in cats}
        measure_hidden[t] = complementary(t_sizes, min_n, hidden_n=int((unknown & valid).sum()),
                                          forced=suppressed)
    groups = []
    for c in cats:
        if c in suppressed:
            groups.append(UnitResult(name=c, n_respondents=sizes[c], overall=Estimate(0, None, suppressed=True),
                                     themes={}, questions={}, suppressed=True))
            continue
        u = unit_result(c, df, kinds, resp, in_cat[c], questions, themes, min_n)
        th = {}
        for t, r in u.themes.items():
            if c in measure_hidden[t]:
                r = ThemeResult(t, r.n, Estimate(r.n, None, suppressed=True),
                                Estimate(r.share_positive.n, None, suppressed=True), suppressed=True)
            th[t] = r
        overall = Estimate(u.overall.n, None, suppressed=True) if c in measure_hidden[OVERALL] else u.overall
        # Question-level figures are not shown per group; drop them so no renderer can.
        groups.append(UnitResult(c, u.n_respondents, overall, th, {}, False))
    return GroupBreakdown(column=col, title=title, groups=tuple(groups), hidden_n=hidden_n)
