"""Files → ``RawTable``: the cells of a CSV, XLSX or SPSS file as text, with row numbers.

Every reader returns the same shape so that the coding stage does not care where the data
came from: a header, rows of strings ("" for empty), and for each row the row number the
user sees (the Excel row for spreadsheets and for CSV files opened in Excel; for SPSS
files the case number + 1, as if saved to Excel with the variable names on row 1). The
header row is found by looking for the expected column names within the first rows, so
title rows above it are skipped.

Text files: the encoding is taken from a BOM, else strict UTF-8, else UTF-16 without BOM,
else a detector (charset-normalizer) restricted to the Western code pages Danish exports
use (cp1252 first). The delimiter (``;``, ``,``, tab or ``|``) is the one that splits the
first records into the most rows of equal width, preferring the one whose header holds
the expected names. Quoted fields may hold delimiters and line breaks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.errors import InputError, Problem

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SPSS_SUFFIXES = (".sav", ".zsav")
SUPPORTED = TEXT_SUFFIXES + EXCEL_SUFFIXES + SPSS_SUFFIXES
HEADER_SEARCH_ROWS = 30
DELIMITERS = (";", "\t", ",", "|")
DELIMITER_NAMES = {";": "semikolon", ",": "komma", "\t": "tabulator", "|": "lodret streg"}
SNIFF_CHARS = 256_000
MAX_PROBLEMS = 5


@dataclass(frozen=True)
class RawTable:
    """Cells as text: ``frame`` has one object column per header cell, "" for empty.

    Column names in ``frame`` are unique: a repeated header name gets a suffix
    (``"q1 (kolonne 7)"``) and is listed in ``duplicates`` with its 1-based positions.
    SPSS files are numbered as if saved to Excel with the variable names on row 1: case 1
    is row 2 (``case_note`` gives the case number for messages).
    """

    file: str
    frame: pd.DataFrame
    row_numbers: np.ndarray
    header_row: int | None
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    declared_missing: dict[str, frozenset[str]] = field(default_factory=dict)
    missing_ranges: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, tuple[int, ...]] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    kind: str = "csv"
    notes: tuple[str, ...] = ()
    blank_rows: int = 0
    factorized: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)

    def distinct(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, distinct values) of a column: codes index the distinct values, -1 never occurs."""
        if column in self.factorized:
            return self.factorized[column]
        codes, uniques = pd.factorize(self.frame[column].to_numpy(dtype=object), use_na_sentinel=True)
        if (codes < 0).any():
            uniques = np.append(np.asarray(uniques, dtype=object), "")
            codes = np.where(codes < 0, len(uniques) - 1, codes)
        return codes, np.asarray(uniques, dtype=object)

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.frame.columns)

    def row_of(self, index: int) -> int:
        """The user-visible row number of the data row at position ``index``."""
        return int(self.row_numbers[index])

    def case_note(self, row: int) -> str:
        """For SPSS files, the case number SPSS shows for a row (row 2 = case 1)."""
        return f" (case nr. {row - 1} i SPSS)" if self.kind == "spss" else ""


def read_table(path: Path, *, display: str, expected: Sequence[str] = (),
               sheet: str | int | None = None, encoding: str | None = None,
               delimiter: str | None = None, header_row: int | None = None) -> RawTable:
    """Read a data file by its extension; ``expected`` column names locate the header row.

    ``header_row`` (1-based, as Excel numbers rows) overrides the search for the header.
    """
    data = _read_bytes(path, display)
    suffix = path.suffix.lower()
    _check_magic(data, suffix, display)
    if suffix in TEXT_SUFFIXES:
        return _read_csv(data, display, expected, encoding, delimiter, header_row)
    if suffix in SPSS_SUFFIXES:
        return _read_sav(path, display, encoding)
    return _read_excel(path, data, display, expected, sheet, header_row)


def _read_bytes(path: Path, display: str) -> bytes:
    if path.is_dir():
        raise InputError(Problem("Stien peger på en mappe, ikke en fil", file=display, value=str(path),
                                 expected="en fil (stien er relativ til sagsfilen)"))
    if not path.is_file():
        raise InputError(Problem("Filen findes ikke", file=display, value=str(path),
                                 expected="en eksisterende fil (stien er relativ til sagsfilen)"))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(Problem("Filtypen understøttes ikke", file=display, value=path.suffix or "(ingen endelse)",
                                 expected="en af " + ", ".join(SUPPORTED)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(f"Filen kan ikke læses ({exc.strerror or exc})", file=display)) from exc
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError(Problem("Filen er tom", file=display,
                                 expected="en overskriftsrække og mindst én række data"))
    return data


# --------------------------------------------------------------------------- file kinds

KIND_TEXT = {
    "xlsx": "et Excel-regneark (xlsx)", "ods": "et OpenDocument-regneark (ods)",
    "docx": "et Word-dokument (docx)", "pptx": "en PowerPoint-fil (pptx)", "zip": "et zip-arkiv",
    "brokenzip": "et beskadiget zip-arkiv (fx et regneark, der ikke blev gemt helt)",
    "ole": "et gammelt Office-dokument (fx xls eller doc)", "sav": "en SPSS-fil (sav)",
    "pdf": "en PDF-fil", "image": "et billede", "gzip": "et komprimeret arkiv (gzip)",
    "html": "en webside (HTML)", "text": "en tekstfil (CSV)", "binary": "en binær fil, ikke tekst",
}
WANTED = {".csv": "text", ".txt": "text", ".tsv": "text", ".tab": "text", ".xlsx": "xlsx", ".xlsm": "xlsx",
          ".xls": "ole", ".ods": "ods", ".sav": "sav", ".zsav": "sav"}


def file_kind(data: bytes) -> str:
    """What the bytes are, judged by their first bytes (not by the file name)."""
    if data[:4] == b"PK\x03\x04":
        return _zip_kind(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    if data[:4] in (b"$FL2", b"$FL3"):
        return "sav"
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] == b"GIF8":
        return "image"
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _utf16_without_bom(data):
        return "text"
    if b"\x00" in data[:8192]:
        return "binary"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "brokenzip"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names:
        return "ods"
    return "zip"


def _utf16_without_bom(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even) or \
        even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd)


def _check_magic(data: bytes, suffix: str, display: str) -> None:
    actual = file_kind(data)
    wanted = WANTED[suffix]
    if actual == wanted or (suffix == ".xls" and actual == "xlsx") or \
            (actual == "brokenzip" and wanted in ("xlsx", "ods")):
        return  # a damaged workbook gets calamine's message
    advice = {"text": "Omdøb filen til .csv, eller gem den i Excel som .xlsx",
              "xlsx": "Omdøb filen til .xlsx", "sav": "Omdøb filen til .sav"}.get(actual, "")
    raise InputError(Problem(f"Filen er ikke, hvad dens endelse siger: den ligner {KIND_TEXT[actual]}",
                             file=display, value=suffix,
                             expected=KIND_TEXT[wanted] + (f". {advice}" if advice else "")))


# --------------------------------------------------------------------------- text and CSV


def decode_text(data: bytes, display: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode text bytes: an explicit encoding, a BOM, UTF-8, UTF-16, else a detector's guess."""
    if encoding:
        return _decode_explicit(data, display, encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_or_fail(data[3:], "utf-8", display), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_or_fail(data, "utf-16", display), "utf-16"
    if _utf16_without_bom(data):
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _decode_or_fail(data, enc, display), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = _detect_western(data)
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"  # decodes any byte; cp1252's gaps are rare


def _detect_western(data: bytes) -> str:
    """cp1252 unless the detector is sure of another Western code page (Mac, DOS)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"]).best()
    enc = best.encoding if best is not None else "cp1252"
    if enc in ("latin_1", "iso8859_15", "cp1252"):
        try:
            data.decode("cp1252")
            return "cp1252"  # Danish Excel writes cp1252, a superset for the printable range
        except UnicodeDecodeError:
            return "latin-1"
    return enc


def encoding_name(encoding: str) -> str:
    """Names users write for encodings ('ansi', 'unicode', 'windows-1252') → Python's names."""
    return {"utf8": "utf-8", "ansi": "cp1252", "windows-1252": "cp1252", "windows1252": "cp1252",
            "unicode": "utf-16", "latin1": "latin-1", "utf-8-bom": "utf-8-sig"}.get(encoding.strip().lower(),
                                                                                  encoding.strip())


def _decode_explicit(data: bytes, display: str, encoding: str) -> tuple[str, str]:
    enc = encoding_name(encoding)
    try:
        text = data.decode(enc)
    except LookupError as exc:
        raise InputError(Problem("Tegnsættet kendes ikke", file=display, column="data.kodning", value=encoding,
                                 expected="fx utf-8, cp1252, latin-1 eller utf-16")) from exc
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"Filen kan ikke læses med tegnsættet '{encoding}'", file=display,
                                 value=f"byte {exc.start}",
                                 expected="det tegnsæt, filen er gemt i (eller udelad data.kodning, "
                                          "så genkendes det automatisk)")) from exc
    return text.removeprefix("\ufeff"), enc


def _decode_or_fail(data: bytes, enc: str, display: str) -> str:
    try:
        return data.decode(enc).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(f"Filen kan ikke læses som {enc.upper()}, selv om den begynder sådan",
                                 file=display, value=f"byte {exc.start}",
                                 expected="en gyldig tekstfil (gem den igen fra Excel)")) from exc


def sniff_delimiter(text: str, expected: Sequence[str] = ()) -> str:
    """The delimiter that gives the most records of equal width (> 1 field) in the sample."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    wanted = {_norm(e) for e in expected if e}
    best, best_score = ";", (-1, -1, 0)
    for rank, d in enumerate(DELIMITERS):
        records = _parse_records(sample, d, HEADER_SEARCH_ROWS * 4)
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        multi = [w for w in widths if w > 1]
        if not multi:
            continue
        modal = max(set(multi), key=lambda w: (multi.count(w), w))
        hits = max((len(wanted & {_norm(c) for c in r}) for r in records[:HEADER_SEARCH_ROWS + 1]), default=0)
        score = (min(hits, 2), multi.count(modal), -rank)
        if score > best_score:
            best, best_score = d, score
    return best


def _parse_records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for rec in reader:
            out.append(rec)
            if len(out) >= limit:
                break
    except csv.Error:
        pass
    return out


def _read_csv(data: bytes, display: str, expected: Sequence[str], encoding: str | None,
              delimiter: str | None, header_row: int | None) -> RawTable:
    text, enc = decode_text(data, display, encoding)
    if "\x00" in text:
        raise InputError(Problem("Filen indeholder binære data og er ikke en tekstfil", file=display,
                                 expected="en CSV-fil gemt som tekst"))
    hinted = _sep_line(text)
    start = text.index("\n") + 1 if hinted and "\n" in text else (len(text) if hinted else 0)
    rest = text[start:start + SNIFF_CHARS * 4]  # Excel hides a first line 'sep=;'; so do we
    delim = _delimiter_option(delimiter, display) or hinted or sniff_delimiter(rest, expected)
    head = _parse_records(text[start:] if header_row and header_row > HEADER_SEARCH_ROWS else rest, delim,
                          max(HEADER_SEARCH_ROWS + 1, header_row or 0))
    if not any(any(c.strip() for c in r) for r in head):
        raise InputError(Problem("Filen er tom", file=display,
                                 expected="en overskriftsrække og mindst én række data"))
    idx = _header_index(head, expected, header_row, display)
    header, duplicates = clean_header(head[idx])
    offset = start + _body_offset(text, start, delim, idx + 1)
    frame, problems = _parse_body(_body_bytes(data, text, offset, enc), delim, len(head[idx]), len(header),
                                  display, idx + 2)
    if problems:
        raise InputError(problems)
    return _finish(display, header, duplicates, frame, first_row=idx + 2, header_row=idx + 1,
                   encoding=enc, delimiter=delim, kind="csv")


def _body_bytes(data: bytes, text: str, offset: int, enc: str) -> bytes:
    """The body as UTF-8 bytes: a slice of the file itself when it is UTF-8, else re-encoded."""
    if enc in ("utf-8", "utf-8-sig"):
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        return data[bom + len(text[:offset].encode("utf-8")):]
    return text[offset:].encode("utf-8", errors="surrogatepass")


def _sep_line(text: str) -> str | None:
    """Excel's delimiter hint on the first line ('sep=;'), if there is one."""
    first = text[:12].split("\n", 1)[0].strip().strip('"')
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4]
    return None


def _delimiter_option(value: str | None, display: str) -> str | None:
    if value is None:
        return None
    names = {"semikolon": ";", "komma": ",", "tab": "\t", "tabulator": "\t", "\\t": "\t", "pipe": "|"}
    d = names.get(value.strip().lower(), value)
    if len(d) != 1:
        raise InputError(Problem("Skilletegnet skal være ét tegn", file=display, column="data.skilletegn",
                                 value=value, expected="';', ',', 'tab' eller '|'"))
    return d


def _body_offset(text: str, start: int, delim: str, records_before: int) -> int:
    """Characters (from ``start``) that the first ``records_before`` CSV records take up."""
    size = SNIFF_CHARS * 4
    while True:
        head = text[start:start + size]
        lines = _lines_before(head, delim, records_before)
        whole = start + size >= len(text)
        if lines is not None and (whole or lines < head.count("\n")):
            break
        if whole:
            return len(head)
        size *= 4
    offset = 0
    for k, line in enumerate(io.StringIO(head, newline="")):
        if k >= lines:
            break
        offset += len(line)
    return offset


def _lines_before(head: str, delim: str, records: int) -> int | None:
    """Physical lines the first ``records`` records take up, or None if the head ends first."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delim)
    try:
        for _ in range(records):
            next(reader)
    except (StopIteration, csv.Error):
        return None
    return reader.line_num


def _parse_body(body: bytes, delim: str, raw_width: int, width: int, display: str,
                first_row: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Records (UTF-8 bytes) → frame of strings; the C parser first, the csv module when rows are ragged."""
    if not body.strip():
        return pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)}), []
    try:
        with warnings.catch_warnings():  # a first row wider than the header only warns; treat as ragged
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.BytesIO(body), encoding="utf-8",
                                encoding_errors="replace", sep=delim, header=None, dtype=object, keep_default_na=False,
                                na_filter=False, skip_blank_lines=False, engine="c",
                                names=range(max(raw_width, width)), index_col=False, quotechar='"',
                                on_bad_lines="error")
        return _check_extra_columns(frame, width, display, first_row)
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, csv.Error) as exc:
        m = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if m:
            return pd.DataFrame(), [Problem("Et felt i anførselstegn lukkes aldrig, så resten af filen ville blive "
                                            "læst som ét felt", file=display, row=first_row + int(m.group(1)),
                                            expected='et afsluttende anførselstegn (") i feltet, eller ingen '
                                                     "anførselstegn")]
        return _parse_body_slow(body.decode("utf-8", errors="replace"), delim, width, display, first_row)


def _check_extra_columns(frame: pd.DataFrame, width: int, display: str,
                         first_row: int) -> tuple[pd.DataFrame, list[Problem]]:
    extra = frame.iloc[:, width:]
    problems: list[Problem] = []
    if extra.shape[1]:
        filled = np.zeros(len(frame), dtype=bool)
        for c in extra.columns:
            filled |= ~_strip_column(extra[c].to_numpy(dtype=object)).blank()
        for i in np.flatnonzero(filled)[:MAX_PROBLEMS]:
            problems.append(_extra_problem(display, first_row + int(i), width))
    return frame.iloc[:, :width], problems


def _extra_problem(display: str, row: int, width: int, fields: int | None = None) -> Problem:
    return Problem("Rækken har flere felter end overskriftsrækken", file=display, row=row,
                   column=f"kolonne {width + 1}", value=f"{fields} felter" if fields else None,
                   expected=f"{width} felter som i overskriftsrækken (et skilletegn i en tekst skal stå "
                            "i anførselstegn)")


def _parse_body_slow(body: str, delim: str, width: int, display: str,
                     first_row: int) -> tuple[pd.DataFrame, list[Problem]]:
    rows: list[list[str]] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim, strict=False)
    try:
        for rec in reader:
            if len(rec) > width and any(c.strip() for c in rec[width:]):
                if len(problems) < MAX_PROBLEMS:
                    problems.append(_extra_problem(display, first_row + len(rows), width, len(rec)))
            rows.append(rec[:width] + [""] * (width - len(rec)))
    except csv.Error as exc:
        problems.append(Problem("CSV-filen kan ikke læses fra denne række", file=display,
                                row=first_row + len(rows),
                                expected="felter i anførselstegn, der også lukkes med et anførselstegn"))
    frame = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return frame, problems


# --------------------------------------------------------------------------- Excel


def cell_text(v: object) -> str:
    """A spreadsheet or SPSS cell as the text a user would type: 4.0 → '4', None → ''."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or isinstance(v, np.bool_):
        return "1" if v else "0"
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if math.isnan(f):
            return ""
        if f.is_integer() and abs(f) < 1e15:
            return str(int(f))
        return repr(f)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time(0, 0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if v is pd.NaT:
        return ""
    return str(v)


def _read_excel(path: Path, data: bytes, display: str, expected: Sequence[str], sheet: str | int | None,
                header_row: int | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types
        raise InputError(Problem("Regnearket kan ikke åbnes; det er beskadiget, beskyttet med adgangskode eller "
                                 "ikke et regneark", file=display,
                                 expected="et regneark, der kan åbnes i Excel uden adgangskode")) from exc
    name = _pick_sheet(list(wb.sheet_names), sheet, display)
    try:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine errors on odd sheets (charts, macros)
        raise InputError(Problem("Arket kan ikke læses (fx et diagramark)", file=display, value=name,
                                 expected="et almindeligt regneark med celler")) from exc
    head = [[cell_text(v).strip() for v in r] for r in rows[:max(HEADER_SEARCH_ROWS + 1, header_row or 0)]]
    idx = _header_index(head, expected, header_row, display, sheet_hint=list(wb.sheet_names))
    header, duplicates = clean_header(head[idx])
    width = len(header)
    body = rows[idx + 1:]
    notes = _excel_extra_columns(body, width, display, idx + 2)
    frame = pd.DataFrame([r[:width] + [None] * (width - len(r)) if len(r) < width else r[:width] for r in body],
                         columns=range(width), dtype=object) if body else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return _finish(display, header, duplicates, frame, first_row=idx + 2, header_row=idx + 1,
                   sheet=name, kind="excel", notes=notes)


def _pick_sheet(names: list[str], sheet: str | int | None, display: str) -> str:
    if not names:
        raise InputError(Problem("Regnearket har ingen ark", file=display))
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit() and sheet not in names):
        k = int(sheet)
        if not 1 <= k <= len(names):
            raise InputError(Problem("Arket findes ikke", file=display, value=str(sheet),
                                     expected=f"et arknummer fra 1 til {len(names)} (1 = første ark) "
                                              "eller et af arkene " + ", ".join(names)))
        return names[k - 1]
    if sheet in names:
        return sheet
    norm = {_norm(n): n for n in names}
    if _norm(sheet) in norm:
        return norm[_norm(sheet)]
    import difflib

    hint = difflib.get_close_matches(sheet, names, n=1)
    raise InputError(Problem("Arket findes ikke i regnearket", file=display, value=sheet,
                             expected=(f"mente du '{hint[0]}'? " if hint else "") + "et af arkene " + ", ".join(names)))


def _excel_extra_columns(body: list[list[object]], width: int, display: str, first_row: int) -> tuple[str, ...]:
    used: dict[int, int] = {}
    for i, r in enumerate(body):
        for j in range(width, len(r)):
            if cell_text(r[j]).strip():
                used.setdefault(j, first_row + i)
    return tuple(f"{display}: kolonne {column_letter(j + 1)} har værdier (fx i række {row}), men ingen overskrift; "
                 "den er ikke brugt." for j, row in sorted(used.items()))


def column_letter(position: int) -> str:
    """1 → 'A', 27 → 'AA' (Excel's column names)."""
    out = ""
    while position > 0:
        position, rem = divmod(position - 1, 26)
        out = chr(65 + rem) + out
    return out


# --------------------------------------------------------------------------- SPSS


def _read_sav(path: Path, display: str, encoding: str | None) -> RawTable:
    import pyreadstat

    try:
        kwargs = {"encoding": encoding} if encoding else {}
        df, meta = pyreadstat.read_sav(str(path), user_missing=True, apply_value_formats=False, **kwargs)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(Problem("SPSS-filen kan ikke læses; den er beskadiget eller ikke gemt helt", file=display,
                                 expected="en hel, ubeskadiget .sav-fil gemt fra SPSS (prøv evt. data.kodning, "
                                          "hvis filen er fra en gammel SPSS-version)")) from exc
    frame = pd.DataFrame({str(c): _texts(df[c]) for c in df.columns}, dtype=object, copy=False)
    value_labels = {str(k): {cell_text(code).strip(): str(lab).strip() for code, lab in v.items()}
                    for k, v in (meta.variable_value_labels or {}).items()}
    declared, ranges = _spss_missing(meta)
    labels = {str(k): str(v).strip() for k, v in (meta.column_names_to_labels or {}).items() if v and str(v).strip()}
    if not len(frame.columns):
        raise InputError(Problem("SPSS-filen har ingen variable", file=display))
    keep = _nonblank(frame)
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


# --------------------------------------------------------------------------- shared


def _norm(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def _header_index(rows: list[list[str]], expected: Sequence[str], header_row: int | None, display: str,
                  sheet_hint: list[str] | None = None) -> int:
    if header_row is not None:
        if not 1 <= header_row <= len(rows) or not any(str(c).strip() for c in rows[header_row - 1]):
            raise InputError(Problem("Overskriftsrækken er tom eller findes ikke", file=display, row=header_row,
                                     column="data.overskriftsraekke",
                                     expected=f"en række med kolonnenavne blandt de første {len(rows)} rækker"))
        return header_row - 1
    idx = find_header(rows, expected)
    if idx is None:
        more = f" (arkene: {', '.join(sheet_hint)})" if sheet_hint and len(sheet_hint) > 1 else ""
        raise InputError(Problem("Filen indeholder ingen data" + more, file=display,
                                 expected="en overskriftsrække og mindst én række data"))
    return idx


def find_header(rows: list[list[str]], expected: Sequence[str]) -> int | None:
    """Index of the header among the first rows.

    The row holding the most of the expected names (at least two, or one if only one is
    expected; the first such row on a tie); failing that, the first row filled at least
    60 % as wide as the widest row, so that a title block above the table is skipped.
    """
    sample = rows[:max(HEADER_SEARCH_ROWS + 1, len(rows))]
    filled = [sum(1 for c in r if str(c).strip()) for r in sample]
    if not any(filled):
        return None
    wanted = {_norm(e) for e in expected if e}
    if wanted:
        hits = [len(wanted & {_norm(c) for c in r}) for r in sample[:HEADER_SEARCH_ROWS + 1]]
        best = max(hits)
        if best >= min(2, len(wanted)):
            return hits.index(best)
    widest = max(filled)
    need = math.ceil(widest * 0.6) if widest > 1 else 1
    return next(i for i, n in enumerate(filled) if n >= need)


def clean_header(cells: Sequence[object]) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    """Strip names, drop empty trailing cells, name empty cells, make repeated names unique."""
    header = [" ".join(str(c).split()) if "\n" in str(c) else str(c).strip() for c in cells]
    while header and header[-1] == "":
        header.pop()
    header = [h if h else f"(kolonne {column_letter(i + 1)})" for i, h in enumerate(header)]
    positions: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        positions.setdefault(h, []).append(i + 1)
    duplicates = {h: tuple(p) for h, p in positions.items() if len(p) > 1}
    seen: set[str] = set()
    unique = []
    for i, h in enumerate(header):
        unique.append(h if h not in seen else f"{h} (kolonne {column_letter(i + 1)})")
        seen.add(h)
    return unique, duplicates


@dataclass(frozen=True)
class _Column:
    """A cleaned column: its cells, and (for repetitive columns) codes into distinct values."""

    cells: np.ndarray
    codes: np.ndarray | None = None
    uniques: np.ndarray | None = None

    def blank(self) -> np.ndarray:
        if self.codes is not None and self.uniques is not None:
            return (self.uniques == "")[self.codes]
        return self.cells == ""


def _strip_column(values: np.ndarray) -> _Column:
    """Strip every cell and turn NaN/None into "" (once per distinct value where values repeat)."""
    n = len(values)
    sample = values[: min(n, 2000)]
    if n > 10_000 and len(set(map(str, sample))) > 0.5 * len(sample):
        if all(isinstance(v, str) for v in sample):
            try:
                return _Column(np.array([v.strip() for v in values], dtype=object))
            except AttributeError:
                pass
        return _Column(np.array([cell_text(v).strip() for v in values], dtype=object))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([cell_text(u).strip() for u in uniques] + [""], dtype=object)
    codes = np.where(codes < 0, len(uniques), codes) if (codes < 0).any() else codes
    return _Column(cleaned[codes], codes, cleaned)


def _nonblank(frame: pd.DataFrame) -> np.ndarray:
    if not len(frame.columns):
        return np.zeros(len(frame), dtype=bool)
    keep = np.zeros(len(frame), dtype=bool)
    for c in frame.columns:
        keep |= frame[c].to_numpy(dtype=object) != ""
    return keep


def _finish(display: str, header: list[str], duplicates: dict[str, tuple[int, ...]], frame: pd.DataFrame,
            *, first_row: int, header_row: int, encoding: str | None = None, delimiter: str | None = None,
            sheet: str | None = None, kind: str = "csv", notes: tuple[str, ...] = ()) -> RawTable:
    """Name the columns, strip cells, drop empty rows, and number the rows as Excel does."""
    n = len(frame)
    columns: dict[str, _Column] = {}
    for i, name in enumerate(header):
        raw = frame[i].to_numpy(dtype=object) if i in frame.columns else np.full(n, "", dtype=object)
        columns[name] = _strip_column(raw)
    keep = np.zeros(n, dtype=bool)
    for col in columns.values():
        keep |= ~col.blank()
    numbers = np.arange(first_row, first_row + n, dtype=np.int64)
    blank = 0
    factorized: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if keep.all():
        cells = {name: c.cells for name, c in columns.items()}
    else:
        last = int(np.flatnonzero(keep)[-1]) + 1 if keep.any() else 0
        blank = int((~keep[:last]).sum())  # blank rows between data rows (trailing ones are not counted)
        cells = {name: c.cells[keep] for name, c in columns.items()}
        numbers = numbers[keep]
    for name, c in columns.items():
        if c.codes is not None and c.uniques is not None:
            factorized[name] = (c.codes if keep.all() else c.codes[keep], c.uniques)
    index = pd.RangeIndex(len(numbers))
    # copy=False keeps one block per column: consolidating 25 object columns of 1M rows costs ~0.5 s
    out = pd.DataFrame(cells, index=index, columns=header, dtype=object, copy=False) if header else \
        pd.DataFrame(index=index)
    return RawTable(file=display, frame=out, row_numbers=numbers, header_row=header_row, duplicates=duplicates,
                    encoding=encoding, delimiter=delimiter, sheet=sheet, kind=kind, notes=notes, blank_rows=blank,
                    factorized=factorized)


def sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


KIND_NAMES = {"csv": "CSV", "excel": "regneark", "spss": "SPSS"}


def describe(table: RawTable) -> str:
    """One line on how a file was read, e.g. ``"CSV, tegnsæt utf-8, skilletegn semikolon,
    overskrift i række 1"`` or ``"regneark, ark 'Data', overskrift i række 4"`` (for `validate`)."""
    parts = [KIND_NAMES.get(table.kind, table.kind)]
    if table.kind == "csv":
        delim = DELIMITER_NAMES.get(table.delimiter or "", table.delimiter)
        parts.append(f"tegnsæt {table.encoding}, skilletegn {delim}")
    if table.sheet:
        parts.append(f"ark '{table.sheet}'")
    if table.header_row and table.kind != "spss":
        parts.append(f"overskrift i række {table.header_row}")
    return ", ".join(parts)


__all__ = ["RawTable", "read_table", "decode_text", "sniff_delimiter", "find_header", "clean_header",
           "cell_text", "column_letter", "file_kind", "describe", "SUPPORTED"]
