"""Answer cells (text) → scale values and missing codes, one question column at a time.

A cell is valid when it is a value of the question's scale (``4``, ``4,0``) or one of its
labels ("Tilfreds"; case, surrounding whitespace and NFC/NFD are ignored). Empty cells,
missing labels ("Ved ikke", "Ikke relevant", …) and declared missing codes are not valid
and are counted by kind. Anything else is a problem naming file, row, column and value.
Work is done per distinct value, so a million rows cost little more than a thousand.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from reportgen.errors import Problem
from reportgen.load.read import RawTable
from reportgen.models import BLANK, MISSING_CODE, MISSING_LABEL, VALID, Question
from reportgen.scales import normalize_label

MAX_PROBLEMS_PER_COLUMN = 5


def parse_number(text: str) -> float | None:
    """'4' → 4.0, '4,0' → 4.0, '4.0' → 4.0; anything else → None."""
    t = text.strip().replace("\u2212", "-")
    if not t:
        return None
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def code_question(q: Question, table: RawTable, problems: list[Problem],
                  extra_missing: frozenset[str] = frozenset()) -> tuple[np.ndarray, np.ndarray]:
    """Return (values as float64 with NaN for missing, missing-kind codes as int8)."""
    scale = q.scale
    series = table.frame[q.column]
    codes, uniques = pd.factorize(series, sort=False)
    by_label = {normalize_label(lab): val for lab, val in zip(scale.labels, scale.values)}
    missing_labels = {normalize_label(m) for m in scale.missing_labels}
    value_labels = table.value_labels.get(q.column, {})
    declared = table.declared_missing.get(q.column, frozenset()) | extra_missing
    u_val = np.full(len(uniques), np.nan)
    u_kind = np.zeros(len(uniques), dtype=np.int8)
    bad: list[tuple[int, str, str]] = []
    for k, raw in enumerate(uniques):
        text = str(raw).strip()
        if text == "":
            u_kind[k] = BLANK
            continue
        if text in declared:
            u_kind[k] = MISSING_CODE
            continue
        label = value_labels.get(text)
        norm = normalize_label(label if label is not None else text)
        if norm in missing_labels:
            u_kind[k] = MISSING_LABEL
            continue
        if norm in by_label:
            u_val[k] = by_label[norm]
            continue
        number = parse_number(text)
        if number is not None:
            if number in scale.missing_codes:
                u_kind[k] = MISSING_CODE
            elif number in scale.values:
                u_val[k] = number
            else:
                bad.append((k, text, "outside"))
            continue
        bad.append((k, text, "label"))
    if bad:
        _report(q, table, codes, bad, problems)
    values = np.where(codes >= 0, u_val[codes], np.nan)
    kinds = np.where(codes >= 0, u_kind[codes], BLANK).astype(np.int8)
    if q.reverse:
        values = (scale.minimum + scale.maximum) - values
    return values, kinds


def _report(q: Question, table: RawTable, codes: np.ndarray, bad: list[tuple[int, str, str]],
            problems: list[Problem]) -> None:
    scale = q.scale
    values = ", ".join(_fmt_value(v) for v in scale.values)
    shown = 0
    total = 0
    for k, text, why in bad:
        rows = np.flatnonzero(codes == k)
        total += len(rows)
        for r in rows[: max(0, MAX_PROBLEMS_PER_COLUMN - shown)]:
            shown += 1
            if why == "outside":
                problems.append(Problem("Svaret ligger uden for skalaen", file=table.file, row=table.row_of(int(r)),
                                        column=q.column, value=text,
                                        expected=f"en af værdierne {values} på skalaen '{scale.name}' eller en af etiketterne"))
            else:
                hint = difflib.get_close_matches(text, list(scale.labels) + list(scale.missing_labels), n=1, cutoff=0.5)
                problems.append(Problem("Ukendt svarkategori", file=table.file, row=table.row_of(int(r)),
                                        column=q.column, value=text,
                                        expected=(f"mente du '{hint[0]}'? " if hint else "") +
                                        f"en af etiketterne {', '.join(scale.labels)} eller {', '.join(scale.missing_labels)}"))
    if total > shown:
        problems.append(Problem(f"… og {total - shown} andre ugyldige svar i samme kolonne",
                                file=table.file, column=q.column))


def _fmt_value(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def recode_categories(series: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """Rename category values (``data.omkodning``), matching case/space/NFC-insensitively."""
    if not mapping:
        return series
    norm = {normalize_label(k): v for k, v in mapping.items()}
    uniques = pd.unique(series)
    lookup = {u: norm.get(normalize_label(u), u) for u in uniques}
    return series.map(lookup)


__all__ = ["code_question", "parse_number", "recode_categories", "VALID"]
