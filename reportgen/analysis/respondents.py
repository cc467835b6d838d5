"""Focus respondents → ``RespondentProfile``: who answered (n, gender, age).

The profile names the largest gender category and the narrowest run of adjacent age
groups holding at least half of the respondents (``40-49 år`` + ``50-59 år`` →
"40-59 år"), each with its share of all the focus municipality's respondents. A clause is
only stated when both the category and everybody else number 0 or at least ``min_n``
(so no group below min_n can be read off by subtraction), and when it holds none of the
categories the document's breakdown of the same column hides (``hidden``): with that table's
counts, the clause would otherwise reveal part of the hidden total.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from reportgen.analysis.cellstats import categories
from reportgen.core.templating import render_text
from reportgen.models.results import ProfilePart, RespondentProfile

PLURAL = {"kvinde": "kvinder", "kvinder": "kvinder", "k": "kvinder", "mand": "mænd", "mænd": "mænd", "m": "mænd",
          "female": "kvinder", "male": "mænd"}
_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*(år)?\s*$", re.IGNORECASE)
_OPEN = re.compile(r"^\s*(?:(\d+)\s*\+|(\d+)\s*(?:år)?\s*(?:og|eller)\s*(?:derover|ældre)|over\s+(\d+))\s*(år)?\s*$",
                   re.IGNORECASE)
_UNDER = re.compile(r"^\s*under\s+(\d+)\s*(år)?\s*$", re.IGNORECASE)


def respondent_profile(focus_rows: pd.DataFrame, min_n: int,
                       hidden: Mapping[str, set[str]] | None = None) -> RespondentProfile | None:
    n = len(focus_rows)
    if n < min_n:
        return None
    hidden = hidden or {}
    parts = []
    for col, make in (("koen", _largest), ("alder", _age_window)):
        if col not in focus_rows.columns:
            continue
        part = make(focus_rows[col], n, min_n)
        if part is not None and not set(part.categories) & hidden.get(col, set()):
            parts.append(part)
    return RespondentProfile(n=n, parts=tuple(parts))


def _safe(k: int, n: int, min_n: int) -> bool:
    return k >= min_n and (n - k == 0 or n - k >= min_n)


def _largest(series: pd.Series, n: int, min_n: int) -> ProfilePart | None:
    codes, cats = categories(series)
    sizes = np.bincount(codes[codes >= 0], minlength=len(cats)) if len(cats) else np.zeros(0, dtype=int)
    if not len(cats):
        return None
    order = sorted(range(len(cats)), key=lambda i: (-int(sizes[i]), cats[i]))
    i = order[0]
    k = int(sizes[i])
    if not _safe(k, n, min_n):
        return None
    label = PLURAL.get(cats[i].strip().lower(), cats[i].lower())
    return ProfilePart("koen", render_text("respondentprofil", "koen"), label, (cats[i],), k, k / n)


def age_bounds(label: str) -> tuple[float, float] | None:
    """'40-49 år' → (40, 49); '60+ år' → (60, inf); 'under 25 år' → (0, 24); else None."""
    m = _RANGE.match(label)
    if m:
        return float(m.group(1)), float(m.group(2))
    m = _OPEN.match(label)
    if m:
        lo = next(g for g in m.groups()[:3] if g)
        return float(lo), math.inf
    m = _UNDER.match(label)
    if m:
        return 0.0, float(m.group(1)) - 1
    return None


def age_label(lo: float, hi: float) -> str:
    if math.isinf(hi):
        return render_text("respondentprofil", "alder_og_derover", lo=int(lo))
    if lo <= 0:
        return render_text("respondentprofil", "alder_under", hi=int(hi))
    return render_text("respondentprofil", "alder_interval", lo=int(lo), hi=int(hi))


def _age_window(series: pd.Series, n: int, min_n: int) -> ProfilePart | None:
    codes, cats = categories(series)
    if not cats:
        return None
    bounds = [age_bounds(c) for c in cats]
    sizes = np.bincount(codes[codes >= 0], minlength=len(cats))
    if any(b is None for b in bounds):
        return None
    order = sorted(range(len(cats)), key=lambda i: bounds[i])  # type: ignore[arg-type, return-value]
    best: tuple[int, int, int] | None = None  # (length, -count, start)
    for a in range(len(order)):
        total = 0
        for b in range(a, len(order)):
            total += int(sizes[order[b]])
            if 2 * total >= n:
                cand = (b - a + 1, -total, a)
                if best is None or cand < best:
                    best = cand
                break
    if best is None:
        return None
    length, neg_total, a = best
    chosen = [order[i] for i in range(a, a + length)]
    k = -neg_total
    if not _safe(k, n, min_n):
        return None
    lo = bounds[chosen[0]][0]  # type: ignore[index]
    hi = bounds[chosen[-1]][1]  # type: ignore[index]
    return ProfilePart("alder", render_text("respondentprofil", "alder"), age_label(lo, hi), tuple(cats[i] for i in chosen), k, k / n)
