"""Spreadsheets (python-calamine) and SPSS files (pyreadstat) → ``RawTable``."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest import prefetch
from reportgen.ingest.table import (
    HEADER_SEARCH_ROWS,
    RawTable,
    cell_text,
    clean_header,
    column_letter,
    finish,
    header_index,
    nonblank,
    norm_name,
)


def read_excel(path: Path, data: bytes, display: str, expected: Sequence[str], sheet: str | int | None,
                header_row: int | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    from reportgen.core.ziplimits import check_archive

    check_archive(data, display, message("ingest", "workbook"))  # before calamine unpacks anything
    early = prefetch.take(data)  # parsed on a thread while the program started (ingest.prefetch)
    if early is not None:
        names = list(early[0])
        name = _pick_sheet(names, sheet, display)
        rows = early[2] if early[1] == name else None
    if early is None or rows is None:
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # calamine raises its own error types
            raise InputError(Problem(message("ingest", "workbook_unreadable"), file=display,
                                     expected=message("ingest", "workbook_unreadable_expected"))) from exc
        names = list(wb.sheet_names)
        name = _pick_sheet(names, sheet, display)
        try:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:  # noqa: BLE001 - calamine errors on odd sheets (charts, macros)
            raise InputError(Problem(message("ingest", "sheet_unreadable"), file=display, value=name,
                                     expected=message("ingest", "sheet_unreadable_expected"))) from exc
    head = [[cell_text(v).strip() for v in r] for r in rows[:max(HEADER_SEARCH_ROWS + 1, header_row or 0)]]
    idx = header_index(head, expected, header_row, display, sheet_hint=names)
    header, duplicates = clean_header(head[idx])
    width = len(header)
    body = rows[idx + 1:]
    notes = _excel_extra_columns(body, width, display, idx + 2)
    frame = pd.DataFrame([r[:width] + [None] * (width - len(r)) if len(r) < width else r[:width] for r in body],
                         columns=range(width), dtype=object) if body else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return finish(display, header, duplicates, frame, first_row=idx + 2, header_row=idx + 1,
                   sheet=name, kind="excel", notes=notes)


def _pick_sheet(names: list[str], sheet: str | int | None, display: str) -> str:
    if not names:
        raise InputError(Problem(message("ingest", "no_sheets"), file=display))
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit() and sheet not in names):
        k = int(sheet)
        if not 1 <= k <= len(names):
            raise InputError(Problem(message("ingest", "sheet_missing"), file=display, value=str(sheet),
                                     expected=message("ingest", "sheet_number_expected", n=len(names), names=names)))
        return names[k - 1]
    if sheet in names:
        return sheet
    norm = {norm_name(n): n for n in names}
    if norm_name(sheet) in norm:
        return norm[norm_name(sheet)]
    import difflib

    hint = difflib.get_close_matches(sheet, names, n=1)
    raise InputError(Problem(message("ingest", "sheet_not_in_workbook"), file=display, value=sheet,
                             expected=message("ingest", "sheet_name_expected", hint=hint[0] if hint else None,
                                              names=names)))


def _excel_extra_columns(body: list[list[object]], width: int, display: str, first_row: int) -> tuple[str, ...]:
    used: dict[int, int] = {}
    for i, r in enumerate(body):
        for j in range(width, len(r)):
            if cell_text(r[j]).strip():
                used.setdefault(j, first_row + i)
    return tuple(message("ingest", "unnamed_column", file=display, letter=column_letter(j + 1), row=row)
                 for j, row in sorted(used.items()))


def read_sav(path: Path, display: str, encoding: str | None) -> RawTable:
    import pyreadstat

    try:
        kwargs = {"encoding": encoding} if encoding else {}
        df, meta = pyreadstat.read_sav(str(path), user_missing=True, apply_value_formats=False, **kwargs)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(Problem(message("ingest", "spss_unreadable"), file=display,
                                 expected=message("ingest", "spss_unreadable_expected"))) from exc
    frame = pd.DataFrame({str(c): _texts(df[c]) for c in df.columns}, dtype=object, copy=False)
    value_labels = {str(k): {cell_text(code).strip(): str(lab).strip() for code, lab in v.items()}
                    for k, v in (meta.variable_value_labels or {}).items()}
    declared, ranges = _spss_missing(meta)
    labels = {str(k): str(v).strip() for k, v in (meta.column_names_to_labels or {}).items() if v and str(v).strip()}
    if not len(frame.columns):
        raise InputError(Problem(message("ingest", "spss_no_variables"), file=display))
    keep = nonblank(frame)
    numbers = np.arange(2, len(keep) + 2, dtype=np.int64)[keep]  # as in Excel with the variable names on row 1
    frame = frame.loc[keep].reset_index(drop=True)
    return RawTable(file=display, frame=frame, row_numbers=numbers, header_row=1, value_labels=value_labels,
                    declared_missing=declared, missing_ranges=ranges, variable_labels=labels,
                    kind="spss", blank_rows=int((~keep).sum()))


def _spss_missing(meta: object) -> tuple[dict[str, frozenset[str]], dict[str, tuple[tuple[float, float], ...]]]:
    """User-missing values: text codes as a set, numeric codes and ranges as (lo, hi) pairs."""
    texts: dict[str, set[str]] = {}
    ranges: dict[str, list[tuple[float, float]]] = {}
    for col, items in (getattr(meta, "missing_ranges", None) or {}).items():
        for rng in items:
            lo, hi = rng["lo"], rng["hi"]
            if isinstance(lo, str) or isinstance(hi, str):
                texts.setdefault(str(col), set()).update({str(lo).strip(), str(hi).strip()})
            else:
                ranges.setdefault(str(col), []).append((float(lo), float(hi)))
    for col, values in (getattr(meta, "missing_user_values", None) or {}).items():
        for v in values:
            if isinstance(v, str):
                texts.setdefault(str(col), set()).add(v.strip())
            else:
                ranges.setdefault(str(col), []).append((float(v), float(v)))
    return ({k: frozenset(v) for k, v in texts.items()}, {k: tuple(v) for k, v in ranges.items()})


def _texts(s: pd.Series) -> np.ndarray:
    """A column of any dtype → object array of cell texts, converting each distinct value once."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.array([cell_text(u).strip() for u in uniques] + [""], dtype=object)
    return table[codes]


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    from reportgen.core.ziplimits import check_archive

    data = path.read_bytes()
    check_archive(data, path.name, message("ingest", "workbook"))
    return list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
