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

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.sheets import read_excel, read_sav, sheet_names
from reportgen.ingest.table import RawTable, cell_text, clean_header, column_letter, find_header
from reportgen.ingest.textfile import (
    decode_text,
    encoding_name,
    read_csv,
    sniff_delimiter,
    utf16_without_bom,
)

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SPSS_SUFFIXES = (".sav", ".zsav")
SUPPORTED = TEXT_SUFFIXES + EXCEL_SUFFIXES + SPSS_SUFFIXES
# A byte that is not blank: a file of only these (spaces, line breaks, NULs, BOM bytes) is empty
_CONTENT_BYTE = re.compile(rb"[^ \t\r\n\x00\xef\xbb\xbf\xff\xfe]")

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
        return read_csv(data, display, expected, encoding, delimiter, header_row)
    if suffix in SPSS_SUFFIXES:
        return read_sav(path, display, encoding)
    return read_excel(path, data, display, expected, sheet, header_row)


def _read_bytes(path: Path, display: str) -> bytes:
    if path.is_dir():
        raise InputError(Problem(message("ingest", "path_is_folder"), file=display, value=str(path),
                                 expected=message("ingest", "path_is_folder_expected")))
    if not path.is_file():
        raise InputError(Problem(message("ingest", "file_missing"), file=display, value=str(path),
                                 expected=message("ingest", "file_missing_expected")))
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(Problem(message("ingest", "unsupported_type"), file=display,
                                 value=path.suffix or message("ingest", "no_suffix"),
                                 expected=message("ingest", "one_of", names=SUPPORTED)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(message("ingest", "file_unreadable", reason=exc.strerror or exc),
                                 file=display)) from exc
    if not _CONTENT_BYTE.search(data):  # not data.strip(…): that copies the whole file
        raise InputError(Problem(message("ingest", "file_empty"), file=display,
                                 expected=message("ingest", "header_and_data_expected")))
    return data


def kind_text(kind: str) -> str:
    """What a ``file_kind`` is, as a message says it ("et Excel-regneark (xlsx)"); an unknown kind as it is."""
    return message("ingest", "file_kind", kind=kind)


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
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or utf16_without_bom(data):
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


def _check_magic(data: bytes, suffix: str, display: str) -> None:
    actual = file_kind(data)
    wanted = WANTED[suffix]
    if actual == wanted or (suffix == ".xls" and actual == "xlsx") or \
            (actual == "brokenzip" and wanted in ("xlsx", "ods")):
        return  # a damaged workbook gets calamine's message
    raise InputError(Problem(message("ingest", "wrong_suffix", actual=kind_text(actual)),
                             file=display, value=suffix,
                             expected=message("ingest", "wrong_suffix_expected", wanted=kind_text(wanted),
                                              found=actual)))


def describe(table: RawTable) -> str:
    """One line on how a file was read, e.g. ``"CSV, tegnsæt utf-8, skilletegn semikolon,
    overskrift i række 1"`` or ``"regneark, ark 'Data', overskrift i række 4"`` (for `validate`)."""
    return message("ingest", "read_as", kind=table.kind, encoding=table.encoding, delimiter=table.delimiter,
                   sheet=table.sheet, header_row=table.header_row if table.kind != "spss" else None)


__all__ = ["RawTable", "read_table", "decode_text", "sniff_delimiter", "find_header", "clean_header",
           "cell_text", "column_letter", "encoding_name", "sheet_names", "file_kind", "kind_text", "describe",
           "SUPPORTED"]
