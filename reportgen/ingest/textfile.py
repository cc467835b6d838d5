"""Text bytes → ``RawTable``: the encoding (BOM, UTF-8, UTF-16, else a Western code page),
the delimiter, and the records (the C parser first, the csv module when rows are ragged)."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.table import (
    HEADER_SEARCH_ROWS,
    MAX_PROBLEMS,
    RawTable,
    clean_header,
    finish,
    header_index,
    norm_name,
    raw_columns,
    strip_column,
)

DELIMITERS = (";", "\t", ",", "|")

SNIFF_CHARS = 256_000


def utf16_without_bom(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even) or \
        even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd)


def decode_text(data: bytes, display: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode text bytes: an explicit encoding, a BOM, UTF-8, UTF-16, else a detector's guess."""
    if encoding:
        return _decode_explicit(data, display, encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_or_fail(data[3:], "utf-8", display), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_or_fail(data, "utf-16", display), "utf-16"
    if utf16_without_bom(data):
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
        raise InputError(Problem(message("ingest", "unknown_encoding"), file=display, column="data.kodning",
                                 value=encoding,
                                 expected=message("ingest", "unknown_encoding_expected"))) from exc
    except UnicodeDecodeError as exc:
        raise InputError(Problem(message("ingest", "cannot_decode", encoding=encoding), file=display,
                                 value=f"byte {exc.start}",
                                 expected=message("ingest", "cannot_decode_expected"))) from exc
    return text.removeprefix("\ufeff"), enc


def _decode_or_fail(data: bytes, enc: str, display: str) -> str:
    try:
        return data.decode(enc).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(message("ingest", "bad_bom", encoding=enc.upper()),
                                 file=display, value=f"byte {exc.start}",
                                 expected=message("ingest", "bad_bom_expected"))) from exc


def sniff_delimiter(text: str, expected: Sequence[str] = ()) -> str:
    """The delimiter that gives the most records of equal width (> 1 field) in the sample."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    wanted = {norm_name(e) for e in expected if e}
    best, best_score = ";", (-1, -1, 0)
    for rank, d in enumerate(DELIMITERS):
        records = _parse_records(sample, d, HEADER_SEARCH_ROWS * 4)
        widths = [len(r) for r in records if any(c.strip() for c in r)]
        multi = [w for w in widths if w > 1]
        if not multi:
            continue
        modal = max(set(multi), key=lambda w: (multi.count(w), w))
        hits = max((len(wanted & {norm_name(c) for c in r}) for r in records[:HEADER_SEARCH_ROWS + 1]), default=0)
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


def read_csv(data: bytes, display: str, expected: Sequence[str], encoding: str | None,
              delimiter: str | None, header_row: int | None) -> RawTable:
    text, enc = decode_text(data, display, encoding)
    if "\x00" in text:
        raise InputError(Problem(message("ingest", "binary_file"), file=display,
                                 expected=message("ingest", "binary_file_expected")))
    hinted = _sep_line(text)
    start = text.index("\n") + 1 if hinted and "\n" in text else (len(text) if hinted else 0)
    rest = text[start:start + SNIFF_CHARS * 4]  # Excel hides a first line 'sep=;'; so do we
    delim = _delimiter_option(delimiter, display) or hinted or sniff_delimiter(rest, expected)
    head = _parse_records(text[start:] if header_row and header_row > HEADER_SEARCH_ROWS else rest, delim,
                          max(HEADER_SEARCH_ROWS + 1, header_row or 0))
    if not any(any(c.strip() for c in r) for r in head):
        raise InputError(Problem(message("ingest", "file_empty"), file=display,
                                 expected=message("ingest", "header_and_data_expected")))
    idx = header_index(head, expected, header_row, display)
    header, duplicates = clean_header(head[idx])
    offset = start + _body_offset(text, start, delim, idx + 1)
    body, body_start = _body_bytes(data, text, offset, enc)
    del text  # the decoded file (as large as the file) is not needed while the body is parsed
    frame, problems = _parse_body(body, body_start, delim, len(head[idx]), len(header), display, idx + 2)
    if problems:
        raise InputError(problems)
    del body
    cells = raw_columns(frame)
    del frame  # finish lets each raw column go once it is stripped
    return finish(display, header, duplicates, cells, first_row=idx + 2, header_row=idx + 1,
                  encoding=enc, delimiter=delim, kind="csv")


def _body_bytes(data: bytes, text: str, offset: int, enc: str) -> tuple[bytes, int]:
    """The body as UTF-8 bytes from a position: the file itself (not a copy) when it is
    UTF-8, else re-encoded."""
    if enc in ("utf-8", "utf-8-sig"):
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        return data, bom + len(text[:offset].encode("utf-8"))
    return text[offset:].encode("utf-8", errors="surrogatepass"), 0


_NON_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")  # what bytes.strip() strips


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
        raise InputError(Problem(message("ingest", "delimiter_one_char"), file=display, column="data.skilletegn",
                                 value=value, expected=message("ingest", "delimiter_one_char_expected")))
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


def _parse_body(body: bytes, start: int, delim: str, raw_width: int, width: int, display: str,
                first_row: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Records (UTF-8 bytes from ``start``) → frame of strings; the C parser first, the csv
    module when rows are ragged. The parser reads ``body`` in place (a ``BytesIO`` over
    bytes shares them), so a large file is not copied once more."""
    if not _NON_SPACE.search(body, start):
        return pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)}), []
    try:
        with warnings.catch_warnings():  # a first row wider than the header only warns; treat as ragged
            warnings.simplefilter("error", pd.errors.ParserWarning)
            stream = io.BytesIO(body)
            stream.seek(start)
            frame = pd.read_csv(stream, encoding="utf-8",
                                encoding_errors="replace", sep=delim, header=None, dtype=object, keep_default_na=False,
                                na_filter=False, skip_blank_lines=False, engine="c",
                                names=range(max(raw_width, width)), index_col=False, quotechar='"',
                                on_bad_lines="error")
        return _check_extra_columns(frame, width, display, first_row)
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, csv.Error) as exc:
        m = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if m:
            return pd.DataFrame(), [Problem(message("ingest", "unclosed_quote"), file=display,
                                            row=first_row + int(m.group(1)),
                                            expected=message("ingest", "unclosed_quote_expected"))]
        return _parse_body_slow(body[start:].decode("utf-8", errors="replace"), delim, width, display, first_row)


def _check_extra_columns(frame: pd.DataFrame, width: int, display: str,
                         first_row: int) -> tuple[pd.DataFrame, list[Problem]]:
    extra = frame.iloc[:, width:]
    problems: list[Problem] = []
    if extra.shape[1]:
        filled = np.zeros(len(frame), dtype=bool)
        for c in extra.columns:
            filled |= ~strip_column(extra[c].to_numpy(dtype=object)).blank()
        for i in np.flatnonzero(filled)[:MAX_PROBLEMS]:
            problems.append(_extra_problem(display, first_row + int(i), width))
    return frame.iloc[:, :width], problems


def _extra_problem(display: str, row: int, width: int, fields: int | None = None) -> Problem:
    return Problem(message("ingest", "extra_fields"), file=display, row=row,
                   column=message("ingest", "extra_fields_column", n=width + 1),
                   value=message("ingest", "n_fields", n=fields) if fields else None,
                   expected=message("ingest", "extra_fields_expected", n=width))


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
        problems.append(Problem(message("ingest", "csv_unreadable"), file=display, row=first_row + len(rows),
                                expected=message("ingest", "csv_unreadable_expected")))
    frame = pd.DataFrame(rows, columns=range(width), dtype=object) if rows else \
        pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})
    return frame, problems
