"""Proposed roles for the columns of an export (the web app's mapping page).

``propose(table)`` looks at each column's name and values and proposes a role —
``kommune``, ``maalgruppe``, ``baggrund``, ``spoergsmaal`` or ``ignorer`` — and, for
questions, a built-in scale (by the answer labels, or by the numeric codes), the missing
codes seen and whether the question looks reverse-coded (a catalogue's ``omvendt`` or a
column name ending in ``_r``/``_omv``). A respondent id — a column named like one
(respondent_id, id, løbenummer, …) or, failing that, the first whose values are unique,
filled integers or codes like ``R0001`` — is proposed as ``ignorer`` with the key
``respondent_id``: it is not analysed, only used to find repeated respondents.
``to_data_settings`` turns the (corrected) roles into the case file's ``data.kolonner``
and ``data.spoergsmaal``, the mapping the CLI reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import re
from dataclasses import dataclass, replace
from typing import Any

from reportgen.core.templating import message
from reportgen.ingest.catalogue import norm_name
from reportgen.ingest.read import RawTable
from reportgen.ingest.scales import BUILTIN, DEFAULT_MISSING, normalize_label
from reportgen.models.survey import Scale

ROLES = ("kommune", "maalgruppe", "baggrund", "spoergsmaal", "ignorer")
BACKGROUND_KEYS = ("respondent_id", "koen", "alder", "periode", "kommentar")
_NAMES = {
    "kommune": ("kommune", "kommunenavn", "municipality"),
    "maalgruppe": ("maalgruppe", "målgruppe", "ydelse", "ydelsesgruppe", "gruppe"),
    "respondent_id": ("respondent_id", "respondentid", "id", "respondent", "respondentnummer", "resp_id",
                      "løbenummer", "loebenummer", "lobenummer", "løbenr", "løbenr.", "loebenr", "lobenr"),
    "koen": ("koen", "køn", "gender"),
    "alder": ("alder", "aldersgruppe", "age"),
    "periode": ("periode", "aar", "år", "maaling", "måling"),
    "kommentar": ("kommentar", "kommentarer", "fritekst", "bemaerkning"),
}
MISSING_CODE_GUESSES = (9.0, 99.0, 999.0, -1.0, -9.0, -99.0)
ID_VALUE = re.compile(r"\d+|(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[\w\-./]{2,40}")  # 17, R000017, A-17/2024
SAMPLES = 4


@dataclass(frozen=True)
class ColumnProposal:
    column: str
    role: str
    key: str | None          # the case file's kolonner key for a background role (koen, alder, ...)
    scale: str | None
    missing_codes: tuple[float, ...]
    reverse: bool
    samples: tuple[str, ...]
    distinct: int
    blank: int
    rows: int


def _name_key(column: str) -> str | None:
    n = norm_name(column)
    for key, names in _NAMES.items():
        if n in {norm_name(x) for x in names}:
            return key
    return None


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def scale_for(values: Sequence[str], scales: Mapping[str, Scale] = BUILTIN) -> tuple[str | None, tuple[float, ...]]:
    """The scale whose labels (or codes) cover the answers, and the missing codes seen."""
    missing = {normalize_label(x) for x in DEFAULT_MISSING}
    answers = [v for v in values if v.strip() and normalize_label(v) not in missing]
    if not answers:
        return None, ()
    labels = {normalize_label(v) for v in answers if _number(v) is None}
    numbers = {n for v in answers if (n := _number(v)) is not None}
    for name, scale in scales.items():  # labels first: the clearest evidence
        known = {normalize_label(x) for x in scale.labels}
        if labels and labels <= known:
            extra = tuple(sorted(n for n in numbers if n not in scale.values))
            if all(n in MISSING_CODE_GUESSES for n in extra):
                return name, extra
    if labels:
        return None, ()
    codes = sorted(numbers - set(MISSING_CODE_GUESSES)) or sorted(numbers)
    missing_codes = tuple(sorted(numbers & set(MISSING_CODE_GUESSES))) if codes != sorted(numbers) else ()
    if not codes or any(not float(c).is_integer() for c in codes):
        return None, ()
    lo, hi = min(codes), max(codes)
    if lo >= 1 and hi <= 4 and hi - lo >= 2:  # no 5 in the data: a four-point scale
        return "grad4", missing_codes
    if lo >= 1 and hi <= 5 and hi - lo >= 2:
        return "tilfredshed5", missing_codes
    if set(codes) <= {0.0, 1.0}:
        return "janej", missing_codes
    return None, ()


def propose_column(table: RawTable, column: str, reverse_hint: bool = False) -> ColumnProposal:
    codes, uniques = table.distinct(column)
    values = [str(u) for u in uniques]
    rows = len(table.frame)
    filled = [v for v in values if v.strip()]
    blank = int((table.frame[column].astype(str).str.strip() == "").sum())
    samples = tuple(filled)[:SAMPLES]
    key = _name_key(column)
    scale, missing_codes = (None, ())
    if key in ("kommune", "maalgruppe"):
        role = key
    elif key == "respondent_id":
        role = "ignorer"
    elif key is not None:
        role = "baggrund"
    else:
        scale, missing_codes = scale_for(values)
        if scale is not None:
            role = "spoergsmaal"
        elif looks_like_ids(filled, blank, rows):
            role, key = "ignorer", "respondent_id"
        elif len(filled) <= 12:
            role, key = "baggrund", None
        else:
            role = "ignorer"
    n = norm_name(column)
    reverse = role == "spoergsmaal" and (reverse_hint or n.endswith(("_r", "_omv", "omvendt")))
    return ColumnProposal(column, role, key, scale, missing_codes, reverse, samples, len(filled), blank, rows)


def looks_like_ids(filled: Sequence[str], blank: int, rows: int) -> bool:
    """True when a column holds one distinct id per row: no blanks, every value unique,
    and each an integer or a code of letters and digits without spaces."""
    return rows >= 2 and blank == 0 and len(filled) == rows and all(ID_VALUE.fullmatch(v) for v in filled)


def propose(table: RawTable, catalogue_columns: Mapping[str, bool] | None = None) -> list[ColumnProposal]:
    """One proposal per column, in the file's order. ``catalogue_columns``: the columns a
    question catalogue names, with their ``omvendt`` flag (they are questions). One column
    at most keeps the key ``respondent_id``: the first named like an id, else the first
    whose values look like ids."""
    out = _proposals(table, catalogue_columns)
    ids = [p for p in out if p.key == "respondent_id"]
    named = [p for p in ids if _name_key(p.column) == "respondent_id"]
    keep = (named or ids)[:1]
    return [p if p.key != "respondent_id" or p in keep else replace(p, key=None) for p in out]


def _proposals(table: RawTable, catalogue_columns: Mapping[str, bool] | None) -> list[ColumnProposal]:
    out = []
    for column in table.header:
        p = propose_column(table, column, bool(catalogue_columns and catalogue_columns.get(column)))
        if catalogue_columns is not None and column in catalogue_columns and p.role != "spoergsmaal":
            scale, codes = scale_for([str(u) for u in table.distinct(column)[1]])
            p = ColumnProposal(column, "spoergsmaal", None, scale, codes, bool(catalogue_columns[column]),
                               p.samples, p.distinct, p.blank, p.rows)
        out.append(p)
    return out


def role_names() -> dict[str, str]:
    """Each of ``ROLES`` → its name on the mapping page ("Målgruppe")."""
    return {role: message("ingest", "proposal_role", role=role) for role in ROLES}


def background_key(column: str, taken: set[str]) -> str:
    """The kolonner key a background column is stored under: a known key or ``ekstra``."""
    key = _name_key(column)
    return key if key in BACKGROUND_KEYS and key not in taken else "ekstra"


def theme_of(column: str) -> str:
    """A theme name for a question without a catalogue: its name's prefix (``q1_2`` → Tema q1)."""
    head = column.split("_")[0] if "_" in column else column
    return message("ingest", "proposed_theme", name=head)


def to_data_settings(roles: Mapping[str, dict[str, Any]], *, with_catalogue: bool) -> dict[str, Any]:
    """``data.kolonner`` (and, without a catalogue, ``data.spoergsmaal``) for the roles.

    ``roles``: column → {"role", "scale", "reverse", "missing_codes", "key"} in file order;
    an ``ignorer`` column with the key ``respondent_id`` becomes ``kolonner.respondent_id``.
    """
    kolonner: dict[str, Any] = {"kommune": None, "maalgruppe": None}
    ekstra: dict[str, str] = {}
    questions: list[dict[str, Any]] = []
    missing: set[float] = set()
    taken: set[str] = set()
    for column, r in roles.items():
        role = r["role"]
        if role in ("kommune", "maalgruppe"):
            kolonner[role] = column
        elif role == "baggrund":
            key = background_key(column, taken)
            if key == "ekstra":
                ekstra[norm_name(column).replace(" ", "_") or column] = column
            else:
                kolonner[key] = column
                taken.add(key)
        elif role == "ignorer" and r.get("key") == "respondent_id" and "respondent_id" not in taken:
            kolonner["respondent_id"] = column  # not analysed; checked for repeated respondents
            taken.add("respondent_id")
        elif role == "spoergsmaal":
            missing.update(r.get("missing_codes") or ())
            if not with_catalogue:
                q: dict[str, Any] = {"kolonne": column, "tema": theme_of(column),
                                     "skala": r.get("scale") or "tilfredshed5"}
                if r.get("reverse"):
                    q["omvendt"] = True
                questions.append(q)
    if ekstra:
        kolonner["ekstra"] = ekstra
    out: dict[str, Any] = {"kolonner": kolonner}
    if questions:
        out["spoergsmaal"] = questions
    if missing:
        out["manglende_koder"] = sorted(missing)
    return out
