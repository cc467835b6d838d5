"""Files → ``RawTable``: the cells of a CSV, XLSX or SPSS file as text, with Excel row numbers.

Every reader returns the same shape so that the coding stage does not care where the data
came from: a header, rows of strings ("" for empty), and for each row the row number the
user sees in Excel (or the record number in a CSV). The header row is found by looking for
the expected column names within the first rows, so title rows above it are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.errors import InputError, Problem

SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".sav", ".zsav")
HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class RawTable:
    """Cells as text: ``frame`` has one object column per header cell, "" for empty."""

    file: str
    frame: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    declared_missing: dict[str, frozenset[str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.frame.columns)

    def row_of(self, index: int) -> int:
        """The user-visible row number of the data row at position ``index``."""
        return int(self.row_numbers[index])


def read_table(path: Path, *, display: str, expected: Sequence[str] = (),
               sheet: str | int | None = None, encoding: str | None = None) -> RawTable:
    """Read a data file by its extension; ``expected`` column names locate the header row."""
    if not path.is_file():
        raise InputError(Problem("Filen findes ikke", file=display,
                                 expected="en eksisterende fil (stien er relativ til sagsfilen)"))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(Problem("Filtypen understøttes ikke", file=display, value=path.suffix,
                                 expected="en af " + ", ".join(SUPPORTED)))
    data = path.read_bytes()
    if not data.strip():
        raise InputError(Problem("Filen er tom", file=display, expected="en overskriftsrække og mindst én række data"))
    _check_magic(data, suffix, display)
    if suffix in (".csv", ".txt"):
        return _read_csv(data, display, expected, encoding)
    if suffix in (".sav", ".zsav"):
        return _read_sav(path, display)
    return _read_excel(path, display, expected, sheet)


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def _check_magic(data: bytes, suffix: str, display: str) -> None:
    is_zip = data[:4] == b"PK\x03\x04"
    is_ole = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    is_sav = data[:4] in (b"$FL2", b"$FL3")
    kinds = {"zip": "et Excel-regneark (xlsx)", "ole": "et gammelt Excel-regneark (xls)", "sav": "en SPSS-fil (sav)",
             "pdf": "en PDF-fil", "text": "en tekstfil (CSV)"}
    actual = ("zip" if is_zip else "ole" if is_ole else "sav" if is_sav
              else "pdf" if data[:5] == b"%PDF-" else "text")
    wanted = {".csv": "text", ".txt": "text", ".xlsx": "zip", ".xlsm": "zip", ".xls": "ole",
              ".sav": "sav", ".zsav": "sav"}[suffix]
    if actual != wanted and not (suffix == ".xls" and actual == "zip"):
        raise InputError(Problem(f"Filen er ikke, hvad dens endelse siger: den ligner {kinds[actual]}",
                                 file=display, value=suffix, expected=kinds[wanted]))


# --------------------------------------------------------------------------- CSV


def decode_text(data: bytes, display: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode CSV bytes: an explicit encoding, a BOM, strict UTF-8, else a detector's best guess."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(Problem(f"Filen kan ikke læses med tegnsættet '{encoding}'", file=display,
                                     expected="det tegnsæt, filen er gemt i (fx utf-8, cp1252, utf-16)")) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "utf_16_le", "utf_16_be",
                                                     "iso8859_15", "mac_roman"]).best()
    enc = best.encoding if best is not None else "cp1252"
    if enc in ("latin_1", "iso8859_15"):
        enc = "cp1252"  # Danish Excel writes cp1252, a superset for the printable range
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError as exc:
        raise InputError(Problem("Filens tegnsæt kan ikke genkendes", file=display,
                                 expected="UTF-8, UTF-16 eller Windows-1252 (cp1252)")) from exc


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", "\t", ",")}
        return max(counts, key=lambda d: counts[d])


def _read_csv(data: bytes, display: str, expected: Sequence[str], encoding: str | None) -> RawTable:
    text, enc = decode_text(data, display, encoding)
    delim = _sniff_delimiter(text)
    # Find the header among the first records with the csv module (quoted line breaks
    # count as one record, as Excel shows them), then let pandas' C parser read the body.
    head: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for i, rec in enumerate(reader):
            head.append((i + 1, rec))
            if i >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise InputError(Problem(f"CSV-filen kan ikke læses ({exc})", file=display)) from exc
    header_idx = _find_header([r for _, r in head], expected)
    if header_idx is None:
        raise InputError(Problem("Filen indeholder ingen data", file=display,
                                 expected="en overskriftsrække og mindst én række data"))
    header_record = head[header_idx][0]
    raw_width = len(head[header_idx][1])
    header = _clean_header(head[header_idx][1])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for _ in range(header_record):
            next(reader)
        body_start = reader.line_num
    except (csv.Error, StopIteration):
        body_start = None
    if body_start is None:
        frame = pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
        return RawTable(display, frame, np.array([], dtype=np.int64), header_record,
                        encoding=enc, delimiter=delim)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, skiprows=body_start,
                            dtype=object, keep_default_na=False, na_filter=False,
                            skip_blank_lines=False, engine="c", names=range(max(raw_width, len(header))),
                            index_col=False, on_bad_lines="error")
    except (pd.errors.ParserError, ValueError) as exc:
        import re

        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            raise InputError(Problem("Rækken har flere felter end overskriftsrækken", file=display,
                                     row=int(m.group(2)), value=f"{m.group(3)} felter",
                                     expected=f"{m.group(1)} felter adskilt af '{delim}'")) from exc
        raise InputError(Problem(f"CSV-filen kan ikke læses ({exc})", file=display)) from exc
    extra = frame.iloc[:, len(header):]
    if extra.shape[1]:
        filled = (extra.fillna("").astype(str).apply(lambda c: c.str.strip()) != "").any(axis=1).to_numpy()
        if filled.any():
            i = int(np.flatnonzero(filled)[0])
            raise InputError(Problem("Rækken har værdier i kolonner uden overskrift", file=display,
                                     row=header_record + 1 + i, column=f"kolonne {len(header) + 1}",
                                     expected="en overskrift over hver kolonne med data"))
    return _finish(display, header, frame, header_record + 1, header_record, enc, delim)


# --------------------------------------------------------------------------- Excel


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return str(v)


def _read_excel(path: Path, display: str, expected: Sequence[str], sheet: str | int | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise InputError(Problem(f"Regnearket kan ikke åbnes ({exc})", file=display)) from exc
    names = list(wb.sheet_names)
    if sheet is None:
        ws = wb.get_sheet_by_index(0)
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise InputError(Problem("Arket findes ikke", file=display, value=str(sheet),
                                     expected=f"et arknummer fra 0 til {len(names) - 1}"))
        ws = wb.get_sheet_by_index(sheet)
    else:
        if sheet not in names:
            raise InputError(Problem("Arket findes ikke i regnearket", file=display, value=sheet,
                                     expected="et af arkene " + ", ".join(names)))
        ws = wb.get_sheet_by_name(sheet)
    rows = ws.to_python(skip_empty_area=False)
    header_idx = _find_header([[_cell_text(v) for v in r] for r in rows[:HEADER_SEARCH_ROWS + 1]], expected)
    if header_idx is None:
        raise InputError(Problem("Regnearket indeholder ingen data", file=display,
                                 expected="en overskriftsrække og mindst én række data"))
    header = _clean_header([_cell_text(v) for v in rows[header_idx]])
    width = len(header)
    body = [[_cell_text(v) for v in r[:width]] + [""] * max(0, width - len(r)) for r in rows[header_idx + 1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object) if body else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return _finish(display, header, frame, header_idx + 2, header_idx + 1)


# --------------------------------------------------------------------------- SPSS


def _read_sav(path: Path, display: str) -> RawTable:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), user_missing=True, apply_value_formats=False)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(Problem(f"SPSS-filen kan ikke læses ({exc})", file=display)) from exc
    frame = pd.DataFrame({str(c): [_cell_text(v) for v in df[c].tolist()] for c in df.columns}, dtype=object)
    value_labels = {str(k): {_cell_text(code): str(lab) for code, lab in v.items()}
                    for k, v in (meta.variable_value_labels or {}).items()}
    missing: dict[str, set[str]] = {}
    for col, ranges in (meta.missing_ranges or {}).items():
        for rng in ranges:
            lo, hi = rng["lo"], rng["hi"]
            for code in value_labels.get(str(col), {}):
                try:
                    if float(lo) <= float(code) <= float(hi):
                        missing.setdefault(str(col), set()).add(code)
                except ValueError:
                    continue
            if lo == hi:
                missing.setdefault(str(col), set()).add(_cell_text(lo))
    for col, values in (getattr(meta, "missing_user_values", None) or {}).items():
        missing.setdefault(str(col), set()).update(_cell_text(v) for v in values)
    labels = {str(k): str(v) for k, v in (meta.column_names_to_labels or {}).items() if v}
    return RawTable(file=display, frame=frame, row_numbers=np.arange(2, len(frame) + 2),
                    header_row=1, value_labels=value_labels,
                    declared_missing={k: frozenset(v) for k, v in missing.items()},
                    variable_labels=labels)


# --------------------------------------------------------------------------- shared


def _find_header(rows: list[list[str]], expected: Sequence[str]) -> int | None:
    """Index of the header among the first rows: the first holding expected names, else the first non-empty."""
    first = next((i for i, r in enumerate(rows) if any(str(c).strip() for c in r)), None)
    wanted = {e for e in expected if e}
    if not wanted or first is None:
        return first
    need = max(1, min(2, len(wanted)))
    for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if len(wanted & {str(c).strip() for c in r}) >= need:
            return i
    return first


def _clean_header(cells: list[str]) -> list[str]:
    header = [str(c).strip() for c in cells]
    while header and header[-1] == "":
        header.pop()
    return [h if h else f"(kolonne {i + 1})" for i, h in enumerate(header)]


def _finish(display: str, header: list[str], frame: pd.DataFrame, first_row: int, header_row: int,
            encoding: str | None = None, delimiter: str | None = None) -> RawTable:
    """Name the columns, strip cells, drop empty rows, and number the rows as Excel does."""
    frame = frame.iloc[:, :len(header)]
    for i in range(frame.shape[1], len(header)):
        frame[i] = ""
    frame.columns = header
    frame = frame.fillna("")
    for col in frame.columns:
        s = frame[col]
        if s.dtype != object:
            s = s.astype(object)
        frame[col] = s.str.strip() if len(s) else s
    numbers = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    nonempty = (frame != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    if not nonempty.all():
        frame = frame.loc[nonempty].reset_index(drop=True)
        numbers = numbers[nonempty]
    return RawTable(file=display, frame=frame, row_numbers=numbers, header_row=header_row,
                    encoding=encoding, delimiter=delimiter)
