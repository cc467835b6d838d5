"""Catalogue file and inline definitions → ``Question`` values bound to data columns.

Questions come from a catalogue (CSV/XLSX file, or a sheet of the data workbook) with the
columns ``id`` and/or ``kolonne``, ``tema``, and optionally ``tekst``, ``skala``,
``nummer``, ``omvendt`` (other column names can be mapped with ``data.katalog_kolonner``);
and/or from ``data.spoergsmaal`` in the case file, which picks columns by exact name
(``kolonne``, ``kolonner``), by prefix (``praefiks``), by a regular expression
(``moenster``) or by position (``position``: 1 = A, also ``"H"`` or ranges ``"H:Y"``).
Column names are matched exactly, else ignoring case, surrounding/inner whitespace runs
and Unicode normalisation when that gives a single column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from reportgen.core.templating import message
from reportgen.errors import Problem
from reportgen.ingest.table import RawTable, column_letter
from reportgen.models.survey import Question, Scale
from reportgen.ingest.scales import find_scale, normalize_label, suggest_scale

KEYS = ("id", "kolonne", "tekst", "tema", "skala", "nummer", "omvendt")
YES = {"ja", "j", "yes", "y", "true", "1", "x", "sand", "omvendt"}
NO = {"nej", "n", "no", "false", "0", "", "falsk"}
RESERVED = {"respondent_id", "kommune", "maalgruppe", "koen", "alder", "periode", "kommentar", "_row"}


def norm_name(text: object) -> str:
    """A column name for tolerant matching: NFC, case-folded, whitespace runs collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def resolve_column(name: str, header: Sequence[str]) -> str | None:
    """The header name ``name`` refers to: exact, else the single tolerant match."""
    if name in header:
        return name
    matches = [h for h in header if norm_name(h) == norm_name(name)]
    return matches[0] if len(matches) == 1 else None


def column_hint(name: str, header: Sequence[str]) -> str:
    hint = difflib.get_close_matches(name, list(header), n=1, cutoff=0.6)
    if not hint:
        by_norm = {norm_name(h): h for h in header}
        found = difflib.get_close_matches(norm_name(name), list(by_norm), n=1, cutoff=0.6)
        hint = [by_norm[found[0]]] if found else []
    return message("ingest_catalogue", "column_hint", hint=hint[0] if hint else None, names=header[:20],
                   more=len(header) > 20)


# --------------------------------------------------------------------------- catalogue file


def from_catalogue(table: RawTable, scales: Mapping[str, Scale], problems: list[Problem],
                   colmap: Mapping[str, str] | None = None, default_scale: str | None = None,
                   source: str = "sagsfil") -> list[Question]:
    """Questions from a catalogue table; problems are collected, not raised."""
    cols = _catalogue_columns(table, colmap or {}, problems, default_scale, source)
    if cols is None:
        return []
    f = table.frame
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i in range(len(f)):
        row = table.row_of(i)

        def cell(key: str) -> str:
            return str(f.iat[i, f.columns.get_loc(cols[key])]).strip() if key in cols else ""

        q = _catalogue_row(cell, row, cols, table.file, scales, problems, default_scale, seen)
        if q is not None:
            questions.append(q)
    if not len(f):
        problems.append(Problem(message("ingest_catalogue", "catalogue_no_rows"), file=table.file,
                                row=table.header_row,
                                expected=message("ingest_catalogue", "catalogue_no_rows_expected")))
    return questions


def _catalogue_columns(table: RawTable, colmap: Mapping[str, str], problems: list[Problem],
                       default_scale: str | None, source: str) -> dict[str, str] | None:
    header = list(table.header)
    cols: dict[str, str] = {}
    for key in colmap:
        if key not in KEYS:
            problems.append(Problem(message("ingest_catalogue", "unknown_colmap_key"), file=source,
                                    column="data.katalog_kolonner", value=key,
                                    expected=message("ingest_catalogue", "one_of", names=KEYS)))
    for key in KEYS:
        name = colmap.get(key, key)
        found = resolve_column(name, header)
        if found:
            cols[key] = found
        elif key in colmap:
            problems.append(Problem(message("ingest_catalogue", "colmap_column_missing"),
                                    file=table.file, row=table.header_row, column=name,
                                    expected=column_hint(name, header)))
    missing = [k for k in ("tema",) if k not in cols]
    if "id" not in cols and "kolonne" not in cols:
        missing.insert(0, "id")
    if "skala" not in cols and not default_scale:
        missing.append("skala")
    for key in missing:
        if key in colmap:
            continue
        problems.append(Problem(message("ingest_catalogue", "catalogue_column_missing"), file=table.file,
                                row=table.header_row, column=key,
                                expected=message("ingest_catalogue", "catalogue_column_missing_expected",
                                                 scale=key == "skala")))
    return None if missing else cols


def _catalogue_row(cell: Any, row: int, cols: Mapping[str, str], file: str, scales: Mapping[str, Scale],
                   problems: list[Problem], default_scale: str | None, seen: dict[str, int]) -> Question | None:
    qid = cell("id") or cell("kolonne")
    column = cell("kolonne") or qid
    if not qid:
        problems.append(Problem(message("ingest_catalogue", "question_no_id"), file=file, row=row,
                                column=cols.get("id", cols.get("kolonne")),
                                expected=message("ingest_catalogue", "question_no_id_expected")))
        return None
    if qid in seen:
        problems.append(Problem(message("ingest_catalogue", "question_id_twice"), file=file, row=row,
                                column=cols.get("id", cols.get("kolonne")), value=qid,
                                expected=message("ingest_catalogue", "question_id_twice_expected", row=seen[qid])))
        return None
    seen[qid] = row
    theme = cell("tema")
    if not theme:
        problems.append(Problem(message("ingest_catalogue", "question_no_theme"), file=file, row=row,
                                column=cols["tema"], value=qid,
                                expected=message("ingest_catalogue", "question_no_theme_expected")))
    scale_name = cell("skala") or default_scale or ""
    scale = lookup_scale(scale_name, scales, problems, file=file, row=row, column=cols.get("skala", "skala"))
    rev = normalize_label(cell("omvendt"))
    if rev not in YES | NO:
        problems.append(Problem(message("ingest_catalogue", "invalid_reverse"), file=file, row=row,
                                column=cols.get("omvendt"), value=cell("omvendt"),
                                expected=message("ingest_catalogue", "invalid_reverse_expected")))
    if scale is None or not theme:
        return None
    return Question(id=qid, column=column, text=cell("tekst"), theme=theme, scale=scale, reverse=rev in YES,
                    number=cell("nummer"))


def lookup_scale(name: str, scales: Mapping[str, Scale], problems: list[Problem], *, file: str,
                 row: int | None, column: str | None) -> Scale | None:
    if not name.strip():
        problems.append(Problem(message("ingest_catalogue", "question_no_scale"), file=file, row=row, column=column,
                                expected=message("ingest_catalogue", "question_no_scale_expected",
                                                 suggestion=suggest_scale("", scales))))
        return None
    scale = find_scale(name.strip(), scales)
    if scale is None:
        problems.append(Problem(message("ingest_catalogue", "unknown_scale"), file=file, row=row, column=column,
                                value=name, expected=suggest_scale(name, scales)))
    return scale


# --------------------------------------------------------------------------- case-file definitions


def from_definitions(defs: Sequence[Any], header: Sequence[str], scales: Mapping[str, Scale],
                     problems: list[Problem], source: str, taken: set[str],
                     reserved_columns: set[str] = frozenset(),  # type: ignore[assignment]
                     default_scale: str | None = None) -> list[Question]:
    """Questions from ``data.spoergsmaal``: by name(s), prefix, pattern or position."""
    out: list[Question] = []
    for k, d in enumerate(defs):
        where = f"data.spoergsmaal[{k}]"
        name = d.skala if "skala" in d.model_fields_set or not default_scale else default_scale
        scale = lookup_scale(name, scales, problems, file=source, row=None, column=where + ".skala")
        columns = _select(d, header, problems, source, where, taken | set(reserved_columns))
        if scale is None or columns is None:
            continue
        single = len(columns) == 1
        if not single and (d.id or d.tekst or d.nummer):
            problems.append(Problem(message("ingest_catalogue", "one_column_only"), file=source, column=where,
                                    value=message("ingest_catalogue", "n_columns", n=len(columns)),
                                    expected=message("ingest_catalogue", "one_column_only_expected")))
            continue
        for col in columns:
            out.append(Question(id=d.id if single and d.id else col, column=col,
                                text=d.tekst if single and d.tekst else "", theme=d.tema, scale=scale,
                                reverse=d.omvendt, number=(d.nummer or "") if single else ""))
    return out


def _select(d: Any, header: Sequence[str], problems: list[Problem], source: str, where: str,
            excluded: set[str]) -> list[str] | None:
    chosen = [key for key in ("kolonne", "kolonner", "praefiks", "moenster", "position")
              if getattr(d, key) not in (None, "", [])]
    if len(chosen) != 1:
        problems.append(Problem(message("ingest_catalogue", "choose_one"), file=source, column=where,
                                value=", ".join(chosen) or message("ingest_catalogue", "none_chosen"),
                                expected=message("ingest_catalogue", "choose_one_expected")))
        return None
    key = chosen[0]
    if key in ("kolonne", "kolonner"):
        names = [d.kolonne] if key == "kolonne" else list(d.kolonner)
        return [resolve_column(n, header) or n for n in names]
    if key == "position":
        return _by_position(d.position, header, problems, source, where)
    free = [h for h in header if h not in excluded]
    if key == "praefiks":
        cols = [h for h in free if h.startswith(d.praefiks)] or \
            [h for h in free if norm_name(h).startswith(norm_name(d.praefiks))]
        shown = d.praefiks
    else:
        try:
            rx = re.compile(d.moenster)
        except re.error as exc:
            pos = exc.pos + 1 if exc.pos is not None else None
            problems.append(Problem(message("ingest_catalogue", "invalid_pattern", pos=pos), file=source,
                                    column=where + ".moenster", value=d.moenster,
                                    expected=message("ingest_catalogue", "invalid_pattern_expected")))
            return None
        cols = [h for h in free if rx.fullmatch(h)]
        shown = d.moenster
    if not cols:
        problems.append(Problem(message("ingest_catalogue",
                                        "prefix_no_match" if key == "praefiks" else "pattern_no_match"),
                                file=source, column=f"{where}.{key}", value=shown,
                                expected=column_hint(shown, [h for h in free])))
        return None
    return cols


def _by_position(spec: int | str, header: Sequence[str], problems: list[Problem], source: str,
                 where: str) -> list[str] | None:
    parts = re.split(r"\s*[:\-–]\s*", str(spec).strip()) if isinstance(spec, str) else [str(spec)]
    nums = [_position(p) for p in parts]
    if len(parts) > 2 or any(n is None for n in nums):
        problems.append(Problem(message("ingest_catalogue", "invalid_position"), file=source,
                                column=where + ".position", value=str(spec),
                                expected=message("ingest_catalogue", "invalid_position_expected")))
        return None
    lo, hi = nums[0], nums[-1]
    assert lo is not None and hi is not None
    if not (1 <= lo <= hi <= len(header)):
        problems.append(Problem(message("ingest_catalogue", "position_out_of_range"), file=source,
                                column=where + ".position", value=str(spec),
                                expected=message("ingest_catalogue", "position_out_of_range_expected",
                                                 n=len(header), letter=column_letter(len(header)))))
        return None
    return list(header[lo - 1:hi])


def _position(text: str) -> int | None:
    t = text.strip()
    if t.isdigit():
        return int(t)
    if t.isalpha() and t.isascii() and len(t) <= 3:
        n = 0
        for ch in t.upper():
            n = n * 26 + ord(ch) - 64
        return n
    return None


# --------------------------------------------------------------------------- binding


def bind_columns(questions: list[Question], table: RawTable, problems: list[Problem], source: str,
                 reserved_columns: Mapping[str, str] | None = None,
                 absent: list[Question] | None = None, number_from_header: bool = False) -> list[Question]:
    """Check each question's column (exists, not repeated, not used twice); fill texts and numbers.

    ``number_from_header`` (``data.nummer_fra_overskrift``): a question without a number
    of its own whose header (or SPSS label) reads "Spm. 2a: Hvor tilfreds …" gets the
    number "2a" and, without a text of its own, the text after the number.

    A question whose column is not in the data is a problem, or, when ``absent`` is a
    list, is appended to it and left out (an earlier export without that question).
    """
    header = list(table.header)
    reserved_columns = reserved_columns or {}
    out = []
    used: dict[str, str] = {}
    ids: set[str] = set()
    for q in questions:
        col = resolve_column(q.column, header)
        if col is None and absent is not None:
            absent.append(q)
            continue
        if col is None:
            problems.append(Problem(message("ingest_catalogue", "question_column_missing"), file=table.file,
                                    row=table.header_row, column=q.column,
                                    expected=message("ingest_catalogue", "question_column_missing_expected",
                                                     hint=column_hint(q.column, header), id=q.id, source=source)))
            continue
        if col in table.duplicates:
            continue  # reported with the header
        if col in reserved_columns:
            problems.append(Problem(message("ingest_catalogue", "question_and_background"), file=source, column=col,
                                    value=message("ingest_catalogue", "question_and_background_value", id=q.id,
                                                  role=reserved_columns[col]),
                                    expected=message("ingest_catalogue", "question_and_background_expected")))
            continue
        if col in used:
            problems.append(Problem(message("ingest_catalogue", "column_two_questions"), file=source, column=col,
                                    value=message("ingest_catalogue", "column_two_questions_value", first=used[col],
                                                  second=q.id),
                                    expected=message("ingest_catalogue", "column_two_questions_expected")))
            continue
        if q.id in ids or q.id in RESERVED:
            problems.append(Problem(message("ingest_catalogue",
                                            "question_id_used" if q.id in ids else "question_id_reserved"),
                                    file=source, column=col, value=q.id,
                                    expected=message("ingest_catalogue", "question_id_expected",
                                                     names=sorted(RESERVED - {"_row"}))))
            continue
        used[col] = q.id
        ids.add(q.id)
        text, number = _text_and_number(q, col, table, number_from_header)
        out.append(Question(q.id, col, text, q.theme, q.scale, q.reverse, number))
    return _numbered(out)


def _text_and_number(q: Question, col: str, table: RawTable, number_from_header: bool) -> tuple[str, str]:
    """A question's text (its own, else the SPSS label, else the column) and number (its own,
    else — with ``number_from_header`` — the one its header or label starts with)."""
    own_text = q.text if q.text and q.text != q.id else ""
    text = own_text or table.variable_labels.get(col) or q.text or col
    number = q.number
    if number_from_header and not number:
        found = header_number(table.variable_labels.get(col) or col)
        if found is not None:
            number, rest = found
            text = own_text or rest
    return text, number


# "Spm. 2a: …", "Spørgsmål 13 - …", "Q4.1) …": the questionnaire's number and the text after it.
_HEADER_NUMBER = re.compile(r"^\s*(?:spm\.?|spørgsmål|sp\.|q)\s*(\d+[a-z]?(?:[._]\d+[a-z]?)*)\s*[:.)–-]\s*(.+)$",
                            re.IGNORECASE)


def header_number(header: str) -> tuple[str, str] | None:
    """(number, text) from a header such as "Spm. 2a: Hvor tilfreds …", or None."""
    m = _HEADER_NUMBER.match(header)
    if m is None or not m.group(2).strip():
        return None
    return m.group(1).replace("_", "."), m.group(2).strip()


def _numbered(questions: list[Question]) -> list[Question]:
    """Give questions without a number one like '2.1' (theme order, position in theme)."""
    themes: list[str] = []
    for q in questions:
        if q.theme not in themes:
            themes.append(q.theme)
    counters: dict[str, int] = {}
    out = []
    for q in questions:
        counters[q.theme] = counters.get(q.theme, 0) + 1
        if not q.number:
            q = Question(q.id, q.column, q.text, q.theme, q.scale, q.reverse,
                         f"{themes.index(q.theme) + 1}.{counters[q.theme]}")
        out.append(q)
    return out
