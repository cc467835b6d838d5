"""Survey rows → sufficient statistics per cell of a partition (counts, sums, sums of squares).

Every figure reportgen states about a set of respondents — a mean with its confidence
interval, a share, a t-test — follows from a few sums over the set: per question the
number of answers in each scale category (and of invalid answers), and per
respondent-level measure (theme scores, the overall index) the number of valid values,
their sum and their sum of squares. ``partition`` computes these for every cell of a
partition with one ``numpy.bincount`` per question and three per measure, so splitting
a million respondents by period × municipality or by target group costs a fraction of a
second, and cells add up (the benchmark is the sum of the municipalities' cells).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportgen.models.survey import OVERALL, Question



def overall_questions(questions: Sequence[Question]) -> list[Question]:
    """Questions on the most common scale range (the overall index does not mix ranges)."""
    if not questions:
        return []
    ranges = Counter((q.scale.minimum, q.scale.maximum) for q in questions)
    common = ranges.most_common(1)[0][0]
    return [q for q in questions if (q.scale.minimum, q.scale.maximum) == common]


@dataclass(frozen=True)
class SurveyArrays:
    """The survey's answers as flat numpy arrays, built once per analysis.

    ``slots[j]`` are the values question j can take (its scale's values, then any other
    valid value found); ``index[j]`` holds each respondent's slot, ``len(slots[j])`` when
    the answer is not valid. ``scores[m]`` is each respondent's mean of valid answers in
    measure m (a theme, or ``OVERALL``), NaN without any.
    """

    questions: tuple[Question, ...]
    measures: tuple[str, ...]
    n: int
    values: tuple[np.ndarray, ...]
    index: tuple[np.ndarray, ...]
    slots: tuple[np.ndarray, ...]
    scores: tuple[np.ndarray, ...]
    n_scale: tuple[int, ...]

    def measure_index(self, measure: str) -> int:
        return self.measures.index(measure)


def survey_arrays(df: pd.DataFrame, questions: Sequence[Question], themes: Sequence[str]) -> SurveyArrays:
    values, index, slots, n_scale = [], [], [], []
    for q in questions:
        x = df[q.id].to_numpy(dtype=np.float64)
        idx, sl = _slot_index(x, q.scale.values)
        values.append(x)
        index.append(idx)
        slots.append(sl)
        n_scale.append(len(q.scale.values))
    pos = {q.id: j for j, q in enumerate(questions)}
    groups = {t: [pos[q.id] for q in questions if q.theme == t] for t in themes}
    groups[OVERALL] = [pos[q.id] for q in overall_questions(questions)]
    scores = []
    n = len(df)
    for key in (*themes, OVERALL):
        cnt = np.zeros(n, dtype=np.int32)
        tot = np.zeros(n, dtype=np.float64)
        for j in groups[key]:
            valid = ~np.isnan(values[j])
            cnt += valid
            tot += np.where(valid, values[j], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores.append(np.where(cnt > 0, tot / np.maximum(cnt, 1), np.nan))
    return SurveyArrays(tuple(questions), (*themes, OVERALL), n, tuple(values), tuple(index), tuple(slots),
                        tuple(scores), tuple(n_scale))


def _slot_index(x: np.ndarray, scale_values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Slot of each value: its position among the scale values (extra values after them)."""
    sv = np.asarray(scale_values, dtype=np.float64)
    valid = ~np.isnan(x)
    k = len(sv)
    consecutive = np.array_equal(sv, np.arange(sv[0], sv[0] + k)) if k else False
    if consecutive:
        raw = np.where(valid, x - sv[0], k)
        ok = (raw >= 0) & (raw < k) & (raw == np.floor(raw))
        if bool(np.all(ok | ~valid)):
            return raw.astype(np.int16), sv
    order = np.argsort(sv, kind="stable")
    srt = sv[order]
    pos = np.clip(np.searchsorted(srt, np.where(valid, x, srt[0] if k else 0)), 0, max(k - 1, 0))
    on_scale = valid & (srt[pos] == x) if k else np.zeros_like(valid)
    idx = np.where(on_scale, order[pos] if k else 0, k).astype(np.int64)
    extra = np.unique(x[valid & ~on_scale])
    if len(extra):
        slots = np.concatenate([sv, extra])
        idx = np.where(valid & ~on_scale, k + np.searchsorted(extra, np.where(valid & ~on_scale, x, extra[0])), idx)
        idx = np.where(valid, idx, len(slots))
        return idx.astype(np.int16), slots
    return idx.astype(np.int16), sv


@dataclass(frozen=True)
class CellStats:
    """Sums over one set of respondents (a cell, or several cells added)."""

    size: int
    counts: tuple[np.ndarray, ...]  # per question: answers per slot
    n_invalid: np.ndarray  # per question: answers that are not valid
    m_n: np.ndarray  # per measure: respondents with a valid value
    m_sum: np.ndarray
    m_ss: np.ndarray

    def q_n(self, j: int) -> int:
        return int(self.counts[j].sum())

    def q_mean_var(self, j: int, slots: np.ndarray) -> tuple[int, float | None, float | None]:
        """(n, mean, sample variance) of question j's valid answers."""
        c = self.counts[j].astype(np.float64)
        n = float(c.sum())
        if n == 0:
            return 0, None, None
        mean = float((c * slots).sum() / n)
        var = float((c * (slots - mean) ** 2).sum() / (n - 1)) if n > 1 else None
        return int(n), mean, var

    def m_mean_var(self, m: int) -> tuple[int, float | None, float | None]:
        """(n, mean, sample variance) of measure m."""
        n = int(round(self.m_n[m]))
        if n == 0:
            return 0, None, None
        s, ss = float(self.m_sum[m]), float(self.m_ss[m])
        mean = s / n
        if n < 2:
            return n, mean, None
        var = (ss - s * s / n) / (n - 1)
        if var < 1e-12 * max(1.0, mean * mean):  # rounding noise around a zero variance
            var = 0.0
        return n, mean, var


@dataclass(frozen=True)
class Partition:
    """Sums per cell: arrays with one row per cell."""

    size: np.ndarray
    counts: tuple[np.ndarray, ...]  # per question: (K, slots + 1); the last column counts invalid answers
    m_n: np.ndarray  # (K, M)
    m_sum: np.ndarray
    m_ss: np.ndarray

    @property
    def k(self) -> int:
        return len(self.size)

    def cell(self, k: int) -> CellStats:
        return CellStats(int(self.size[k]), tuple(c[k, :-1] for c in self.counts),
                         np.array([int(c[k, -1]) for c in self.counts], dtype=np.int64),
                         self.m_n[k], self.m_sum[k], self.m_ss[k])

    def total(self, cells: Iterable[int]) -> CellStats:
        ks = np.fromiter(cells, dtype=np.int64)
        if len(ks) == 0:
            return empty_like(self)
        return CellStats(int(self.size[ks].sum()), tuple(c[ks, :-1].sum(axis=0) for c in self.counts),
                         np.array([int(c[ks, -1].sum()) for c in self.counts], dtype=np.int64),
                         self.m_n[ks].sum(axis=0), self.m_sum[ks].sum(axis=0), self.m_ss[ks].sum(axis=0))


def empty_like(part: Partition) -> CellStats:
    return CellStats(0, tuple(np.zeros(c.shape[1] - 1, dtype=np.int64) for c in part.counts),
                     np.zeros(len(part.counts), dtype=np.int64), np.zeros(part.m_n.shape[1]),
                     np.zeros(part.m_n.shape[1]), np.zeros(part.m_n.shape[1]))


def partition(arrays: SurveyArrays, codes: np.ndarray, k: int) -> Partition:
    """Sums for cells 0..k-1; rows with code k (or any code outside 0..k-1) are left out."""
    codes = np.where((codes >= 0) & (codes < k), codes, k).astype(np.int64)
    size = np.bincount(codes, minlength=k + 1)[:k]
    counts = []
    for idx, sl in zip(arrays.index, arrays.slots):
        width = len(sl) + 1
        c = np.bincount(codes * width + idx, minlength=(k + 1) * width).reshape(k + 1, width)[:k]
        counts.append(c)
    m = len(arrays.measures)
    m_n = np.zeros((k, m))
    m_sum = np.zeros((k, m))
    m_ss = np.zeros((k, m))
    for i, s in enumerate(arrays.scores):
        valid = ~np.isnan(s)
        z = np.where(valid, s, 0.0)
        m_n[:, i] = np.bincount(codes, weights=valid.astype(np.float64), minlength=k + 1)[:k]
        m_sum[:, i] = np.bincount(codes, weights=z, minlength=k + 1)[:k]
        m_ss[:, i] = np.bincount(codes, weights=z * z, minlength=k + 1)[:k]
    return Partition(size, tuple(counts), m_n, m_sum, m_ss)


def categories(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Category codes of a background column: (-1 for blank/unknown, names stripped).

    Distinct raw values that strip to the same name share a code; codes follow the
    sorted order of the names.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    names = ["" if (u is None or (isinstance(u, float) and np.isnan(u))) else str(u).strip() for u in uniques]
    cats = sorted({nm for nm in names if nm})
    pos = {c: i for i, c in enumerate(cats)}
    lut = np.array([pos[nm] if nm else -1 for nm in names] + [-1], dtype=np.int64)
    return lut[codes], cats
