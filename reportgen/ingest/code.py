"""Answer cells (text) → scale values and missing codes, one question column at a time.

A cell is valid when it is one of the scale's labels ("Tilfreds"; case, surrounding
whitespace and NFC/NFD are ignored) or one of its codes (``4``, ``4,0``, ``4.0``). For
SPSS files a code's value label counts as the answer's label. Empty cells, missing labels
("Ved ikke", "Ikke relevant", …) and declared missing codes (the scale's, the case's
``data.manglende_koder`` and SPSS user-missing values) are not valid and are counted by
kind. Anything else is a problem naming file, row, column and value. Work is done per
distinct value, so a million rows cost little more than a thousand.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from reportgen.core.templating import message
from reportgen.errors import Problem
from reportgen.ingest.table import RawTable
from reportgen.models.survey import BLANK, MISSING_CODE, MISSING_LABEL, VALID, Question, Scale
from reportgen.ingest.scales import Coding, normalize_label

MAX_VALUES_PER_COLUMN = 5
MAX_ROWS_LISTED = 5
LOOKS_MISSING = {"#null!", "na", "n/a", "-", ".", "null", "none", "nan", "#i/t", "#n/a", "mangler", "uoplyst"}


def parse_number(text: str) -> float | None:
    """'4' → 4.0, '4,0' → 4.0, '4.0' → 4.0; anything else → None."""
    t = text.strip().replace("\u2212", "-")
    if not t:
        return None
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        f = float(t)
    except ValueError:
        return None
    return f if np.isfinite(f) else None


@dataclass(frozen=True)
class Coder:
    """Everything needed to code one question's cells: labels, codes and missing markers."""

    scale: Scale
    by_label: Mapping[str, float]
    by_code: Mapping[float, float]
    missing_labels: frozenset[str]
    missing_codes: frozenset[float]
    missing_texts: frozenset[str]


def make_coder(scale: Scale, coding: Coding | None = None, extra_codes: Iterable[float | str] = (),
               extra_labels: Iterable[str] = ()) -> Coder:
    """A coder for ``scale``; ``extra_*`` are the case's global missing codes and labels."""
    codes: set[float] = set(scale.missing_codes)
    texts: set[str] = set()
    for c in extra_codes:
        num = c if isinstance(c, (int, float)) else parse_number(str(c))
        if num is None:
            texts.add(normalize_label(str(c)))
        else:
            codes.add(float(num))
    by_code = dict(coding.codes) if coding else {v: v for v in scale.values}
    return Coder(
        scale=scale,
        by_label={normalize_label(lab): val for lab, val in zip(scale.labels, scale.values)},
        by_code=by_code,
        missing_labels=frozenset(normalize_label(m) for m in (*scale.missing_labels, *extra_labels)),
        missing_codes=frozenset(c for c in codes if c not in by_code),
        missing_texts=frozenset(texts),
    )


def code_question(q: Question, table: RawTable, problems: list[Problem], coder: Coder | None = None,
                  warnings: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (values as float64 with NaN for missing, missing-kind codes as int8)."""
    coder = coder or make_coder(q.scale)
    if warnings is not None:
        _check_value_labels(q, table, coder, warnings)
    codes, uniques = table.distinct(q.column)
    value_labels = table.value_labels.get(q.column, {})
    declared = table.declared_missing.get(q.column, frozenset())
    ranges = table.missing_ranges.get(q.column, ())
    u_val = np.full(len(uniques), np.nan)
    u_kind = np.zeros(len(uniques), dtype=np.int8)
    bad: list[tuple[int, str, str, str | None]] = []
    for k, raw in enumerate(uniques):
        kind, value, why = _code_cell(str(raw).strip(), coder, value_labels, declared, ranges)
        u_kind[k] = kind
        if value is not None:
            u_val[k] = value
        if why:
            bad.append((k, str(raw).strip(), why, value_labels.get(str(raw).strip())))
    if bad:
        report_bad(q, table, codes, bad, problems)
    values = u_val[codes]
    kinds = u_kind[codes]
    if q.reverse:
        values = reverse(values, q.scale)
    return values, kinds


def _code_cell(text: str, coder: Coder, value_labels: Mapping[str, str], declared: frozenset[str],
               ranges: tuple[tuple[float, float], ...]) -> tuple[int, float | None, str | None]:
    """One distinct cell text → (kind, value or None, why it is bad or None)."""
    if text == "":
        return BLANK, None, None
    if text in declared:
        return MISSING_CODE, None, None
    number = parse_number(text)
    if number is not None and any(lo <= number <= hi for lo, hi in ranges):
        return MISSING_CODE, None, None
    label = value_labels.get(text)
    norm = normalize_label(label if label is not None else text)
    if norm in coder.missing_labels:
        return MISSING_LABEL, None, None
    if norm in coder.by_label:
        return VALID, coder.by_label[norm], None
    if normalize_label(text) in coder.missing_texts:
        return MISSING_CODE, None, None
    if number is None:
        return VALID, None, "label"
    if number in coder.missing_codes:
        return MISSING_CODE, None, None
    if number in coder.by_code:
        return VALID, coder.by_code[number], None
    return VALID, None, "outside"


def _check_value_labels(q: Question, table: RawTable, coder: Coder, warnings: list[str]) -> None:
    """SPSS value labels on scale codes that are not the scale's labels: the codes decide, so say so."""
    odd = []
    for code, label in table.value_labels.get(q.column, {}).items():
        number = parse_number(code)
        norm = normalize_label(label)
        if number in coder.by_code and norm not in coder.by_label and norm not in coder.missing_labels:
            odd.append(f"{code} = '{label}'")
    if odd:
        warnings.append(message("ingest", "value_labels_mismatch", file=table.file, column=q.column,
                                scale=q.scale.name, pairs=odd[:3], more=len(odd) > 3))


def reverse(values: np.ndarray, scale: Scale) -> np.ndarray:
    """Reverse-coded item: the i-th scale value becomes the i-th from the other end."""
    out = np.full(values.shape, np.nan)
    for v, w in zip(scale.values, reversed(scale.values)):
        out[values == v] = w
    return out


def report_bad(q: Question, table: RawTable, codes: np.ndarray, bad: list[tuple[int, str, str, str | None]],
               problems: list[Problem]) -> None:
    """One problem per distinct bad value (its first row; the count and further rows in the text)."""
    for k, text, why, label in bad[:MAX_VALUES_PER_COLUMN]:
        rows = np.flatnonzero(codes == k)
        first = table.row_of(int(rows[0]))
        more = ""
        if len(rows) > 1:
            more = message("ingest", "also_in_rows", n=len(rows) - 1,
                           listed=[table.row_of(int(r)) for r in rows[1:MAX_ROWS_LISTED]],
                           more=len(rows) > MAX_ROWS_LISTED)
        shown = f"{text} ({label})" if label else text
        more = table.case_note(first) + more
        if why == "outside":
            problems.append(Problem(message("ingest", "outside_scale") + more, file=table.file, row=first,
                                    column=q.column, value=shown, expected=_expected_outside(q.scale)))
        else:
            problems.append(Problem(message("ingest", "unknown_answer") + more, file=table.file, row=first,
                                    column=q.column, value=shown, expected=_expected_label(text, q.scale)))
    if len(bad) > MAX_VALUES_PER_COLUMN:
        rest = bad[MAX_VALUES_PER_COLUMN:]
        n = int(np.isin(codes, [k for k, *_ in rest]).sum())
        problems.append(Problem(message("ingest", "more_bad_values", count=len(rest), n=n),
                                file=table.file, column=q.column,
                                value=", ".join(t for _, t, _, _ in rest[:5]) + (" …" if len(rest) > 5 else "")))


def _expected_outside(scale: Scale) -> str:
    return message("ingest", "outside_scale_expected", values=[fmt_value(v) for v in scale.values],
                   scale=scale.name)


def _expected_label(text: str, scale: Scale) -> str:
    candidates = list(scale.labels) + list(scale.missing_labels)
    by_fold = {c.casefold(): c for c in candidates}
    hint = difflib.get_close_matches(text.casefold(), list(by_fold), n=1, cutoff=0.6)
    return message("ingest", "unknown_answer_expected", hint=by_fold[hint[0]] if hint else None,
                   labels=scale.labels, scale=scale.name, missing=scale.missing_labels,
                   looks_missing=normalize_label(text) in LOOKS_MISSING)


def fmt_value(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v).replace(".", ",")


def recode_categories(series: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """Rename category values (``data.omkodning``), matching case/space/NFC-insensitively."""
    if not mapping:
        return series
    norm = {normalize_label(k): v for k, v in mapping.items()}
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    mapped = np.array([norm.get(normalize_label(u), u) for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def apply_value_labels(series: pd.Series, labels: Mapping[str, str]) -> pd.Series:
    """SPSS codes → their value labels (codes without a label stay as they are)."""
    if not labels:
        return series
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    mapped = np.array([labels.get(u, u) for u in uniques] + [""], dtype=object)
    return pd.Series(mapped[codes], index=series.index, dtype=object)


__all__ = ["code_question", "make_coder", "parse_number", "recode_categories", "apply_value_labels", "reverse",
           "Coder", "VALID"]
