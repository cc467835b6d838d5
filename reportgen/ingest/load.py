"""Files named in the case → ``Survey``: read, map columns, code answers, validate, account.

All problems found are collected and raised together as one ``InputError`` so that the
user can fix every file in one go. Warnings (things worth knowing that do not stop a
build) end up in ``Survey.account.warnings`` and in the document's method note.

Order of work: scales (built-in, shared scale file, case file) → catalogue → data file →
invited file → column mapping → coding of every question → respondent ids, categories,
focus municipality, invited counts → row accounting and warnings.

Public functions besides ``load``, for callers that read the data once and derive a
report per municipality or period (``reportgen.ingest.sources``, the batch):

* ``for_focus`` — a survey loaded without a focus (``warn_focus=False``) as ``load``
  returns it for one focus municipality and period: the account's period split and the
  warnings about that municipality;
* ``focus_warnings`` — those warnings alone;
* ``account_for_period`` — the account with the rows of the analysed, earlier and later
  periods counted;
* ``invited_counts`` — the invited counts of one period, checked as ``load`` checks them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.settings.case import CaseFile
from reportgen.errors import InputError, Problem
from reportgen.ingest.catalogue import (
    bind_columns,
    column_hint,
    from_catalogue,
    from_definitions,
    norm_name,
    resolve_column,
)
from reportgen.ingest.code import apply_value_labels, code_question, make_coder, parse_number, recode_categories
from reportgen.ingest.read import RawTable, column_letter, describe, read_table
from reportgen.models import BLANK, MISSING_CODE, MISSING_LABEL, DataAccount, Question, Scale, Survey
from reportgen.ingest.scales import BUILTIN, Coding, normalize_label, read_scale_file, scale_from_definition

ROLES = ("maalgruppe", "koen", "alder", "periode")
ROLE_TITLES = {"maalgruppe": "Målgruppe", "koen": "Køn", "alder": "Alder", "periode": "Periode",
               "kommune": "Kommune"}
MAX_ID_PROBLEMS = 5
NO_MUNICIPALITY = "ingen kommune angivet"
NO_PERIOD = "ingen periode angivet"
NO_VALID = "ingen gyldige svar (kun blanke eller 'Ved ikke')"


@dataclass
class _Work:
    """What one load collects on its way: problems, warnings, how each file was read."""

    case_file: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def read(self, table: RawTable, first: bool = False) -> RawTable:
        """Note how ``table`` was read (for the account's ``sources``; the data file ``first``)."""
        self.sources.insert(0 if first else len(self.sources), f"{table.file}: {describe(table)}")
        return table


def load(case: CaseFile, base: Path, case_file: str = "sagsfil", *, match_focus: bool = True,
         warn_focus: bool = True, optional_questions: bool = False) -> Survey:
    """Read, code and validate everything the case's ``data`` section names.

    The focus municipality is ``data.fokus`` (else ``sag.kommune``). With ``match_focus``
    it must be in the data (spelled as there, 'Norddjurs Kommune' ~ 'Norddjurs'); with
    ``warn_focus`` the warnings about it for the latest period (``focus_warnings``) end
    the account's warnings. Turn both off to read the data for every municipality and
    derive each focus later with ``for_focus`` (the batch, ``sources.load_all``).

    With ``optional_questions`` a question whose column is not in the data is left out
    and listed in ``account.absent_questions`` instead of being a problem (an earlier
    export that did not ask it), and one without a single valid answer (an empty column,
    or only 'Ved ikke') is left out without a warning or problem; it is listed in
    ``account.unanswered_questions`` either way.
    """
    work = _Work(case_file)
    case = _checked_encoding(case, work)
    d = case.data
    scales, codings = _scales(case, base, work)
    catalogue = _catalogue(case, base, scales, work)
    table = _read_data(case, base, catalogue, work)
    invited_table = _read_invited(case, base, work)
    if table is None:
        raise InputError(work.problems)
    work.warnings.extend(table.notes)
    _check_header(table, work)
    roles = _role_columns(case, table, work)
    check_recode_keys(case, roles, work)
    absent: list[Question] | None = [] if optional_questions else None
    questions = _questions(case, table, catalogue, scales, roles, work, absent)
    values, kinds = _code_all(case, table, questions, codings, work)

    n = len(table.frame)
    if n == 0:
        work.problems.append(Problem("Filen har ingen rækker med besvarelser under overskriften", file=table.file,
                                     row=table.header_row, expected="mindst én række data"))
    ids = _respondent_ids(table, roles.get("respondent_id"), roles.get("periode"), work)
    has_muni = "kommune" in roles
    focus_name = d.fokus or case.sag.kommune
    kommune = _categories(table, roles["kommune"], "kommune", case, work) if has_muni else \
        pd.Series([focus_name] * n, dtype=object)
    background = {role: _categories(table, col, role, case, work) for role, col in roles.items()
                  if role not in ("respondent_id", "kommune", "kommentar")}
    comment = table.frame[roles["kommentar"]] if "kommentar" in roles else None

    excluded, keep = _exclusions(kommune, background.get("periode"), questions, values, n)
    if n and questions and not keep.any() and not work.problems:
        work.problems.append(Problem("Ingen rækker har et gyldigt svar på noget spørgsmål", file=table.file,
                                     expected="svar på skalaen i mindst én række "
                                              "(ikke kun blanke eller 'Ved ikke')"))
    focus = _match_focus(focus_name, kommune[keep], case, work) if match_focus else focus_name
    questions, unanswered = _drop_unanswerable(questions, values, kinds, keep, table, work, optional_questions)
    responses, missing_kind = _frames(ids, kommune, background, comment, table, questions, values, kinds, keep)
    invited = _invited(invited_table, responses, case, work) if invited_table is not None else None
    themes = _themes(questions, d.temaer, work)
    if work.problems:
        raise InputError(work.problems)

    periods: tuple[str, ...] = ()
    if "periode" in responses.columns:
        periods = tuple(sorted(p for p in responses["periode"].unique() if str(p).strip()))
    files = [d.besvarelser, d.katalog, d.inviterede,
             *([d.skalafil] if isinstance(d.skalafil, str) else d.skalafil or [])]
    account = DataAccount(files=tuple(f for f in files if f), rows_read=n, rows_used=int(keep.sum()),
                          rows_excluded=dict(excluded), warnings=tuple(work.warnings), sources=tuple(work.sources),
                          absent_questions=tuple(q.id for q in absent or ()),
                          unanswered_questions=tuple(unanswered))
    survey = Survey(responses=responses, missing_kind=missing_kind, questions=tuple(questions), themes=themes,
                    focus=focus, invited=invited, account=account, group_columns=tuple(background),
                    labels={k: ROLE_TITLES.get(k, k) for k in background}, periods=periods,
                    has_municipalities=has_muni)
    if warn_focus:
        return for_focus(survey, focus, case.analyse.min_n)
    return dataclasses.replace(survey, account=account_for_period(survey))


def _checked_encoding(case: CaseFile, work: _Work) -> CaseFile:
    """An unknown data.kodning is reported once; the files are then read with detection."""
    import codecs

    from reportgen.ingest.read import encoding_name

    enc = case.data.kodning
    if not enc:
        return case
    try:
        codecs.lookup(encoding_name(enc))
    except LookupError:
        work.problems.append(Problem("Tegnsættet kendes ikke", file=work.case_file, column="data.kodning", value=enc,
                                     expected="fx utf-8, cp1252, latin-1 eller utf-16 (eller udelad data.kodning)"))
        return case.model_copy(update={"data": case.data.model_copy(update={"kodning": None})})
    return case


def resolve(base: Path, rel: str) -> Path:
    """A path from the case file, relative to its folder (Windows backslashes are accepted)."""
    p = Path(rel).expanduser()
    p = p if p.is_absolute() else base / p
    if not p.exists() and "\\" in rel:
        alt = Path(rel.replace("\\", "/")).expanduser()
        alt = alt if alt.is_absolute() else base / alt
        if alt.exists():
            return alt
    return p


# --------------------------------------------------------------------------- scales


def _scales(case: CaseFile, base: Path, work: _Work) -> tuple[dict[str, Scale], dict[str, Coding]]:
    """Built-in scales, then the shared scale file(s), then the case file's own (later wins)."""
    scales: dict[str, Scale] = dict(BUILTIN)
    codings: dict[str, Coding] = {}
    files = [case.data.skalafil] if isinstance(case.data.skalafil, str) else list(case.data.skalafil or [])
    for rel in files:
        for name, sd in read_scale_file(resolve(base, rel), rel, work.problems).items():
            _add_scale(name, sd, rel, f"{name}", scales, codings, work)
    for name, sd in case.data.skalaer.items():
        _add_scale(name, sd, work.case_file, f"data.skalaer.{name}", scales, codings, work)
    return scales, codings


def _add_scale(name: str, sd: object, source: str, where: str, scales: dict[str, Scale],
               codings: dict[str, Coding], work: _Work) -> None:
    built = scale_from_definition(name, sd, source, work.problems, where=where)
    if built is not None:
        scales[name], codings[name] = built


# --------------------------------------------------------------------------- files


def _catalogue(case: CaseFile, base: Path, scales: dict[str, Scale], work: _Work) -> list[Question]:
    d = case.data
    if d.katalog:
        path, display, sheet = resolve(base, d.katalog), d.katalog, d.katalog_ark
    elif d.katalog_ark is not None:
        path, display, sheet = resolve(base, d.besvarelser), f"{d.besvarelser} (ark {d.katalog_ark})", d.katalog_ark
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls", ".ods"):
            work.problems.append(Problem("data.katalog_ark kræver, at besvarelserne er et regneark",
                                         file=work.case_file, column="data.katalog_ark", value=str(d.katalog_ark),
                                         expected="et .xlsx-regneark med et ark til kataloget, eller data.katalog"))
            return []
    else:
        return []
    expected = [d.katalog_kolonner.get(k, k) for k in ("id", "kolonne", "tekst", "tema", "skala")]
    try:
        table = work.read(read_table(path, display=display, expected=expected, sheet=sheet, encoding=d.kodning))
    except InputError as exc:
        work.problems.extend(exc.problems)
        return []
    return from_catalogue(table, scales, work.problems, d.katalog_kolonner, d.standardskala, work.case_file)


def _read_data(case: CaseFile, base: Path, catalogue: list[Question], work: _Work) -> RawTable | None:
    d = case.data
    cols = d.kolonner
    expected = [c for c in (cols.respondent_id, cols.kommune, cols.maalgruppe, cols.koen, cols.alder,
                            cols.periode, cols.kommentar, *cols.ekstra.values()) if c]
    expected += [q.column for q in catalogue] + [q.kolonne for q in d.spoergsmaal if q.kolonne]
    expected += [c for q in d.spoergsmaal for c in (q.kolonner or [])]
    try:
        return work.read(read_table(resolve(base, d.besvarelser), display=d.besvarelser, expected=expected,
                                    sheet=d.ark, encoding=d.kodning, delimiter=d.skilletegn,
                                    header_row=d.overskriftsraekke), first=True)
    except InputError as exc:
        work.problems.extend(exc.problems)
        return None


def _read_invited(case: CaseFile, base: Path, work: _Work) -> RawTable | None:
    d = case.data
    if not d.inviterede:
        return None
    try:
        return work.read(read_table(resolve(base, d.inviterede), display=d.inviterede,
                                    expected=("kommune", "inviterede", "periode", "maalgruppe"),
                                    sheet=d.inviterede_ark, encoding=d.kodning))
    except InputError as exc:
        work.problems.extend(exc.problems)
        return None


# --------------------------------------------------------------------------- mapping


def _check_header(table: RawTable, work: _Work) -> None:
    for name, positions in table.duplicates.items():
        where = " og ".join(column_letter(p) for p in positions)
        work.problems.append(Problem("Kolonnenavnet forekommer flere gange i overskriftsrækken", file=table.file,
                                     row=table.header_row, column=name,
                                     value=f"{len(positions)} gange (kolonne {where})",
                                     expected="unikke kolonnenavne; omdøb den ene kolonne"))


def _role_columns(case: CaseFile, table: RawTable, work: _Work) -> dict[str, str]:
    """Role (respondent_id, kommune, maalgruppe, …, ekstra keys) → the data column it names."""
    cols = case.data.kolonner
    mapping: dict[str, str | None] = {"respondent_id": cols.respondent_id, "kommune": cols.kommune,
                                      **{r: getattr(cols, r) for r in ROLES}, "kommentar": cols.kommentar}
    for key, col in cols.ekstra.items():
        if key in mapping or key in ("respondent_id", "_row"):
            work.problems.append(Problem("Nøglen i data.kolonner.ekstra er et reserveret navn", file=work.case_file,
                                         column=f"data.kolonner.ekstra.{key}", value=key,
                                         expected="et andet navn end " + ", ".join(mapping)))
            continue
        mapping[key] = col
    header = list(table.header)
    found: dict[str, str] = {}
    used: dict[str, str] = {}
    for role, col in mapping.items():
        if not col:
            continue
        actual = resolve_column(col, header)
        if actual is None:
            if role == "kommune" and "kommune" not in cols.model_fields_set:
                continue  # the default name; a single-municipality export may have no such column
            work.problems.append(Problem(f"Kolonnen til '{role}' findes ikke i besvarelserne", file=table.file,
                                         row=table.header_row, column=col, expected=column_hint(col, header)))
            continue
        if actual in table.duplicates:
            continue  # reported with the header
        if actual in used:
            work.problems.append(Problem("Kolonnen er angivet til to formål i data.kolonner", file=work.case_file,
                                         column=actual, value=f"{used[actual]} og {role}",
                                         expected="én kolonne pr. formål"))
            continue
        used[actual] = role
        found[role] = actual
    return found


def _questions(case: CaseFile, table: RawTable, catalogue: list[Question], scales: dict[str, Scale],
               roles: dict[str, str], work: _Work, absent: list[Question] | None = None) -> list[Question]:
    d = case.data
    header = list(table.header)
    taken = {resolve_column(q.column, header) or q.column for q in catalogue}
    reserved = {col: role for role, col in roles.items()}
    defined = from_definitions(d.spoergsmaal, table.header, scales, work.problems, work.case_file, taken,
                               set(reserved), d.standardskala)
    source = d.katalog or (f"{d.besvarelser} (ark {d.katalog_ark})" if d.katalog_ark is not None else work.case_file)
    questions = bind_columns(catalogue, table, work.problems, source, reserved, absent) + \
        bind_columns(defined, table, work.problems, work.case_file, reserved, absent)
    questions = _unique(questions, work)
    if not questions and not work.problems:
        work.problems.append(Problem("Der er ingen spørgsmål at analysere", file=work.case_file,
                                     column="data.katalog",
                                     expected="et spørgsmålskatalog (data.katalog) eller data.spoergsmaal"))
    return questions


def _unique(questions: list[Question], work: _Work) -> list[Question]:
    """Catalogue and definitions may not name the same column or id twice."""
    seen_cols: dict[str, str] = {}
    seen_ids: set[str] = set()
    out = []
    for q in questions:
        if q.column in seen_cols or q.id in seen_ids:
            work.problems.append(Problem("Kolonnen er knyttet til to spørgsmål" if q.column in seen_cols else
                                         "Spørgsmålets id er allerede brugt", file=work.case_file, column=q.column,
                                         value=f"{seen_cols.get(q.column, q.id)} og {q.id}",
                                         expected="ét spørgsmål pr. kolonne og unikke id'er"))
            continue
        seen_cols[q.column] = q.id
        seen_ids.add(q.id)
        out.append(q)
    return out


# --------------------------------------------------------------------------- coding


def _code_all(case: CaseFile, table: RawTable, questions: list[Question], codings: dict[str, Coding],
              work: _Work) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    d = case.data
    values: dict[str, np.ndarray] = {}
    kinds: dict[str, np.ndarray] = {}
    coders: dict[str, object] = {}
    for q in questions:
        coder = coders.get(q.scale.name)
        if coder is None:
            coder = make_coder(q.scale, codings.get(q.scale.name), d.manglende_koder, d.manglende_etiketter)
            coders[q.scale.name] = coder
        values[q.id], kinds[q.id] = code_question(q, table, work.problems, coder,  # type: ignore[arg-type]
                                                  work.warnings)
    return values, kinds


def _respondent_ids(table: RawTable, col: str | None, period_col: str | None, work: _Work) -> pd.Series:
    """Respondent ids; blank or repeated ids (within a period, if there is one) are problems."""
    if not col:
        return pd.Series([f"række {r}" for r in table.row_numbers], dtype=object)
    ids = table.frame[col]
    arr = ids.to_numpy(dtype=object)
    blank = np.flatnonzero(arr == "")
    for i in blank[:MAX_ID_PROBLEMS]:
        row = table.row_of(int(i))
        work.problems.append(Problem("Respondent-id mangler" + table.case_note(row), file=table.file, row=row,
                                     column=col,
                                     expected="et id i hver række"))
    if len(blank) > MAX_ID_PROBLEMS:
        work.problems.append(Problem(f"… og {len(blank) - MAX_ID_PROBLEMS} andre rækker uden respondent-id",
                                     file=table.file, column=col))
    key = ids.to_frame("id") if period_col is None else \
        pd.DataFrame({"id": arr, "periode": table.frame[period_col].to_numpy(dtype=object)})
    dup = key.duplicated(keep=False).to_numpy() & (arr != "")
    if dup.any():
        _report_duplicate_ids(key, ids, np.flatnonzero(dup), table, col, work)
    return ids


def _report_duplicate_ids(key: pd.DataFrame, ids: pd.Series, idx: np.ndarray, table: RawTable, col: str,
                          work: _Work) -> None:
    first: dict[tuple[object, ...], int] = {}
    shown = 0
    for i in idx:
        k, v = tuple(key.iloc[int(i)]), ids.iat[int(i)]
        if k not in first:
            first[k] = table.row_of(int(i))
            continue
        if shown < MAX_ID_PROBLEMS:
            row = table.row_of(int(i))
            work.problems.append(Problem("Respondent-id'et forekommer flere gange" + table.case_note(row),
                                         file=table.file, row=row, column=col, value=v,
                                         expected=f"unikke id'er (også brugt i række {first[k]})"))
        shown += 1
    if shown > MAX_ID_PROBLEMS:
        work.problems.append(Problem(f"… og {shown - MAX_ID_PROBLEMS} andre gentagne respondent-id'er",
                                     file=table.file, column=col))


def _categories(table: RawTable, col: str, role: str, case: CaseFile, work: _Work) -> pd.Series:
    """A background column as category names: SPSS value labels, then data.omkodning."""
    s = apply_value_labels(table.frame[col], table.value_labels.get(col, {}))
    recode = _recode_for(role, col, case, work)
    if recode:
        present = {normalize_label(v) for v in pd.unique(s.to_numpy(dtype=object))}
        unused = [k for k in recode if normalize_label(k) not in present]
        for k in unused[:5]:
            work.warnings.append(f"Omkodningen af '{k}' i kolonnen {col} bruges ikke; værdien findes ikke i data.")
    return recode_categories(s, recode)


def _recode_for(role: str, col: str, case: CaseFile, work: _Work) -> dict[str, str]:
    om = case.data.omkodning
    for key in (role, col):
        if key in om:
            return om[key]
    by_norm = {norm_name(k): v for k, v in om.items()}
    return by_norm.get(norm_name(role)) or by_norm.get(norm_name(col)) or {}


def check_recode_keys(case: CaseFile, roles: dict[str, str], work: _Work) -> None:
    cols = case.data.kolonner
    configured = {"kommune": cols.kommune, **{r: getattr(cols, r) for r in ROLES}, **cols.ekstra}
    configured = {k: v for k, v in configured.items() if v}
    known = {norm_name(k) for k in (*configured, *configured.values(), *roles, *roles.values())}
    for key in case.data.omkodning:
        if norm_name(key) not in known:
            work.problems.append(Problem("data.omkodning nævner en kolonne, der ikke er kortlagt", file=work.case_file,
                                         column=f"data.omkodning.{key}", value=key,
                                         expected="en af " + ", ".join(configured) + " (som angivet i data.kolonner)"))


# --------------------------------------------------------------------------- rows


def _exclusions(kommune: pd.Series, periode: pd.Series | None, questions: list[Question],
                values: dict[str, np.ndarray], n: int) -> tuple[Counter[str], np.ndarray]:
    """Rows left out, and why: no municipality, no period (when others have one), no valid answer."""
    excluded: Counter[str] = Counter()
    keep = np.ones(n, dtype=bool)
    blank_muni = kommune.to_numpy(dtype=object) == ""
    if blank_muni.any():
        excluded[NO_MUNICIPALITY] = int(blank_muni.sum())
        keep &= ~blank_muni
    if periode is not None:
        blank_period = keep & (periode.to_numpy(dtype=object) == "")
        if blank_period.any() and not blank_period[keep].all():
            excluded[NO_PERIOD] = int(blank_period.sum())
            keep &= ~blank_period
    if questions and n:
        any_valid = np.zeros(n, dtype=bool)
        for q in questions:
            any_valid |= ~np.isnan(values[q.id])
        none = keep & ~any_valid
        if none.any():
            excluded[NO_VALID] = int(none.sum())
            keep &= any_valid
    return excluded, keep


def _match_focus(name: str, kommune: pd.Series, case: CaseFile, work: _Work) -> str:
    present = sorted(set(kommune.unique()))
    if name in present or not present:
        return name
    by_key: dict[str, list[str]] = {}
    for p in present:
        by_key.setdefault(muni_key(p), []).append(p)
    found = by_key.get(muni_key(name), [])
    if len(found) == 1:
        return found[0]
    import difflib

    hint = difflib.get_close_matches(name, present, n=1)
    key = "data.fokus" if case.data.fokus else "sag.kommune"
    work.problems.append(Problem("Fokuskommunen findes ikke i besvarelserne", file=work.case_file, column=key,
                                 value=name, expected=(f"mente du '{hint[0]}'? " if hint else "") +
                                 "en af " + ", ".join(present[:50]) +
                                 " (sæt data.fokus til navnet, som det står i data)"))
    return name


def _drop_unanswerable(questions: list[Question], values: dict[str, np.ndarray], kinds: dict[str, np.ndarray],
                       keep: np.ndarray, table: RawTable, work: _Work,
                       optional: bool = False) -> tuple[list[Question], list[str]]:
    """No valid answer at all: an error if the column is empty, a warning (and left out) if all are 'Ved ikke'.

    Returns the questions kept and the ids of those left out. With ``optional`` (an
    earlier export) both are only left out; the caller words the warning.
    """
    out, dropped = [], []
    for q in questions:
        v, k = values[q.id][keep], kinds[q.id][keep]
        if (~np.isnan(v)).any() or not len(v):
            out.append(q)
            continue
        answered = (k == MISSING_LABEL) | (k == MISSING_CODE)
        if optional:
            dropped.append(q.id)
        elif answered.any() and not (k == 0).any():
            dropped.append(q.id)
            work.warnings.append(f"Spørgsmål {q.number} ({q.column}) har ingen gyldige svar – alle svar er "
                                 "'Ved ikke' eller lignende – og indgår ikke i rapporten.")
        elif not (k == 0).any():
            work.problems.append(Problem("Spørgsmålet har ingen gyldige svar; kolonnen er tom", file=table.file,
                                         column=q.column, expected="mindst ét svar på skalaen"))
    return out, dropped


def _frames(ids: pd.Series, kommune: pd.Series, background: dict[str, pd.Series], comment: pd.Series | None,
            table: RawTable, questions: list[Question], values: dict[str, np.ndarray],
            kinds: dict[str, np.ndarray], keep: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    def kept(a: np.ndarray) -> np.ndarray:
        return a if all_kept else a[keep]

    all_kept = bool(keep.all())
    cols: dict[str, object] = {"respondent_id": kept(ids.to_numpy(dtype=object)),
                               "kommune": kept(kommune.to_numpy(dtype=object))}
    for role, s in background.items():
        cols[role] = kept(s.to_numpy(dtype=object))
    if comment is not None:
        cols["kommentar"] = kept(comment.to_numpy(dtype=object))
    cols["_row"] = kept(np.asarray(table.row_numbers))
    for q in questions:
        cols[q.id] = kept(values[q.id])
    responses = pd.DataFrame(cols)
    missing_kind = pd.DataFrame({q.id: kept(kinds[q.id]) for q in questions}, index=responses.index)
    return responses, missing_kind


# --------------------------------------------------------------------------- invited


INVITED_NAMES = {"kommune": ("kommune",), "inviterede": ("inviterede", "antal inviterede", "antal_inviterede",
                                                         "inviteret", "antal"),
                 "periode": ("periode",), "maalgruppe": ("maalgruppe", "målgruppe")}


def invited_counts(case: CaseFile, base: Path, survey: Survey, period: str | None = None,
                   case_file: str = "sagsfil") -> dict[str, int] | None:
    """Invited citizens per municipality in ``period`` (default: the latest) from ``data.inviterede``.

    Read and checked against ``survey``'s responses of that period exactly as ``load``
    does for the latest period (``load`` gives ``survey.invited`` for that one). Without
    a ``periode`` column in the file its counts are used for every period. None when the
    case names no invited file; an ``InputError`` with every problem found otherwise.
    """
    work = _Work(case_file)
    table = _read_invited(case, base, work)
    invited = _invited(table, survey.responses, case, work, period) if table is not None else None
    if work.problems:
        raise InputError(work.problems)
    return invited


def _invited(table: RawTable, responses: pd.DataFrame, case: CaseFile, work: _Work,
             period: str | None = None) -> dict[str, int]:
    """Invited per municipality (summed over target groups) in ``period`` (default: the latest),
    checked against that period's responses."""
    cols = {key: next((h for h in table.header if norm_name(h) in names), None)
            for key, names in INVITED_NAMES.items()}
    for key in ("kommune", "inviterede"):
        if cols[key] is None:
            work.problems.append(Problem("Kolonnen mangler i filen med inviterede", file=table.file,
                                         row=table.header_row, column=key,
                                         expected="kolonnerne kommune og inviterede (og evt. periode og maalgruppe)"))
    if cols["kommune"] is None or cols["inviterede"] is None:
        return {}
    current = period or _current_period(responses)
    f = table.frame
    if current is not None and cols["periode"]:
        f = f.loc[f[cols["periode"]].map(normalize_label) == normalize_label(current)]
    muni = recode_categories(f[cols["kommune"]], _recode_for("kommune", "kommune", case, work))
    group = recode_categories(f[cols["maalgruppe"]], _recode_for("maalgruppe", "maalgruppe", case, work)) \
        if cols["maalgruppe"] else None
    counts: dict[tuple[str, str], int] = {}
    bad_rows: set[str] = set()
    for pos, i in enumerate(f.index):
        key = (str(muni.iat[pos]), str(group.iat[pos]) if group is not None else "")
        raw = str(f.at[i, cols["inviterede"]])
        number = _count(raw)
        row = table.row_of(int(i))
        if number is None:
            bad_rows.add(key[0])
            work.problems.append(Problem("Antal inviterede er ikke et helt tal", file=table.file, row=row,
                                         column=cols["inviterede"], value=raw, expected="et helt tal ≥ 0, fx 1250"))
        elif key in counts:
            work.problems.append(Problem("Kommunen står to gange i filen med inviterede", file=table.file, row=row,
                                         column=cols["kommune"], value=" / ".join(k for k in key if k),
                                         expected="én række pr. kommune"
                                         + (" og målgruppe" if group is not None else "")
                                         + (" og periode" if cols["periode"] else "")))
        else:
            counts[key] = number
    invited: dict[str, int] = {}
    names = _municipality_names(responses)
    for (m, g), c in list(counts.items()):
        name = names.get(muni_key(m), m)
        if name != m:
            counts[(name, g)] = counts.pop((m, g))
        invited[name] = invited.get(name, 0) + c
    _check_invited(table, cols, invited, counts, responses, current, group is not None, bad_rows, work)
    return invited


def muni_key(name: str) -> str:
    """A municipality name for matching: 'Norddjurs Kommune' and 'norddjurs' are the same."""
    key = normalize_label(name)
    return key.removesuffix(" kommune").removeprefix("jobcenter ").strip()


def _municipality_names(responses: pd.DataFrame) -> dict[str, str]:
    return {muni_key(m): m for m in responses["kommune"].unique()}


def _current_period(responses: pd.DataFrame) -> str | None:
    if "periode" not in responses.columns or not len(responses):
        return None
    periods = [p for p in responses["periode"].unique() if str(p).strip()]
    return max(periods) if periods else None


def _count(raw: str) -> int | None:
    t = raw.strip().replace(" ", "").replace("\u00a0", "")
    if t.count(".") and "," not in t and all(len(p) == 3 for p in t.split(".")[1:]):
        t = t.replace(".", "")  # Danish thousands separator: 1.250
    num = parse_number(t)
    if num is None or num < 0 or not float(num).is_integer():
        return None
    return int(num)


def _check_invited(table: RawTable, cols: dict[str, str | None], invited: dict[str, int],
                   counts: dict[tuple[str, str], int], responses: pd.DataFrame, current: str | None,
                   by_group: bool, bad_rows: set[str], work: _Work) -> None:
    df = responses
    if current is not None and "periode" in df.columns:
        df = df.loc[df["periode"] == current]
    where = f" for perioden {current}" if current is not None else ""
    for muni, cnt in df["kommune"].value_counts().sort_index().items():
        if muni in bad_rows:
            continue  # its row is already reported
        if muni not in invited:
            work.problems.append(Problem("Kommunen mangler i filen med inviterede" + where, file=table.file,
                                         column=cols["kommune"], value=str(muni),
                                         expected="en række med antal inviterede for hver kommune i besvarelserne"))
        elif invited[muni] < cnt:
            work.problems.append(Problem("Der er flere besvarelser end inviterede" + where, file=table.file,
                                         column=cols["inviterede"],
                                         value=f"{muni}: {invited[muni]} inviterede, {cnt} besvarelser",
                                         expected="mindst lige så mange inviterede som besvarelser"))
    if by_group and "maalgruppe" in df.columns:
        pairs = df.groupby(["kommune", "maalgruppe"]).size()
        for (muni, grp), cnt in pairs.items():
            if muni in invited and muni not in bad_rows and (str(muni), str(grp)) not in counts and str(grp).strip():
                work.problems.append(Problem("Målgruppen mangler i filen med inviterede" + where, file=table.file,
                                             column=cols["maalgruppe"], value=f"{muni} / {grp}",
                                             expected="en række med antal inviterede for hver kommune og målgruppe "
                                                      "i besvarelserne"))


# --------------------------------------------------------------------------- themes and warnings


def _themes(questions: list[Question], order: list[str], work: _Work) -> tuple[str, ...]:
    seen: list[str] = []
    for q in questions:
        if q.theme not in seen:
            seen.append(q.theme)
    if not order:
        return tuple(seen)
    chosen = []
    for t in order:
        match = next((s for s in seen if normalize_label(s) == normalize_label(t)), None)
        if match is None:
            if questions:
                work.problems.append(Problem("Temaet i data.temaer har ingen spørgsmål", file=work.case_file,
                                             column="data.temaer", value=t,
                                             expected="et af temaerne " + ", ".join(seen)))
        elif match not in chosen:
            chosen.append(match)
    return tuple(chosen) + tuple(t for t in seen if t not in chosen)


def for_focus(survey: Survey, focus: str, min_n: int, period: str | None = None) -> Survey:
    """``survey`` as ``load`` returns it with ``focus`` as the focus municipality and ``period``
    (default: the latest) as the analysed period.

    ``survey`` must hold no warnings about a focus yet: load it with ``warn_focus=False``
    (or ``sources.load_all(..., focus=False)``). The focus is not matched against the
    data here; pass it as the data spells it. The invited counts are left as they are.
    """
    account = account_for_period(survey, period)
    warnings = account.warnings + tuple(focus_warnings(survey, focus, min_n, period))
    return dataclasses.replace(survey, focus=focus, account=dataclasses.replace(account, warnings=warnings))


def account_for_period(survey: Survey, period: str | None = None) -> DataAccount:
    """The survey's account with its used rows split by period: in ``period`` (default:
    the latest), in earlier periods (used only for the trend) and in later ones."""
    acc, df = survey.account, survey.responses
    chosen = _analysed_period(survey, period)
    if chosen is None:
        return dataclasses.replace(acc, period="", rows_earlier=0, rows_later=0)
    idx = survey.periods.index(chosen)
    counts = df["periode"].value_counts()
    earlier = sum(int(counts.get(p, 0)) for p in survey.periods[:idx])
    later = sum(int(counts.get(p, 0)) for p in survey.periods[idx + 1:])
    return dataclasses.replace(acc, period=chosen, rows_earlier=earlier, rows_later=later)


def focus_warnings(survey: Survey, focus: str, min_n: int, period: str | None = None) -> list[str]:
    """The warnings about one focus municipality in the analysed ``period`` (default: the latest).

    Per question: every answer is 'Ved ikke' or the like, or fewer valid answers than
    ``min_n`` (not shown) or than 4 × ``min_n`` (read with caution). Counts are of the
    analysed period only, as are the results they warn about. Also: an earlier period
    in which the municipality has no answers at all (the trend has no figures for it).
    """
    from reportgen.core import fmt

    df = survey.responses
    rows = (df["kommune"] == focus).to_numpy()
    chosen = _analysed_period(survey, period)
    where = f" i {focus}"
    out = []
    if chosen is not None:
        per = df["periode"].to_numpy(dtype=object)
        present = set(per[rows].tolist())
        rows = rows & (per == chosen)
        if len(survey.periods) > 1:
            where += f" i målingen {chosen}"
    for q in survey.questions:
        vals = df[q.id].to_numpy()
        n_focus = int((~np.isnan(vals[rows])).sum())
        k = survey.missing_kind[q.id].to_numpy()[rows]
        if len(k) and (k == MISSING_LABEL).all():
            out.append(f"Alle svar{where} på spørgsmål {q.number} ({q.column}) er 'Ved ikke' eller lignende.")
        elif n_focus < min_n:
            out.append(f"Spørgsmål {q.number} ({q.column}) har kun {fmt.integer(n_focus)} gyldige svar{where}; "
                       "resultatet vises ikke.")
        elif n_focus < 4 * min_n:
            out.append(f"Spørgsmål {q.number} ({q.column}) har kun {fmt.integer(n_focus)} gyldige svar{where}; "
                       "resultatet skal læses med forbehold.")
    if chosen is not None:
        for p in survey.periods[:survey.periods.index(chosen)]:
            if p not in present:
                out.append(f"{focus} har ingen besvarelser i målingen {p}; udviklingen har ingen tal for {p}.")
    return out


def _analysed_period(survey: Survey, period: str | None) -> str | None:
    """``period`` or the latest; None when the data has no periods."""
    if not survey.periods or "periode" not in survey.responses.columns:
        return None
    chosen = period or survey.periods[-1]
    if chosen not in survey.periods:
        raise ValueError(f"unknown period {chosen!r}; known: {', '.join(survey.periods)}")
    return chosen


__all__ = ["load", "for_focus", "focus_warnings", "account_for_period", "invited_counts", "resolve", "BLANK",
           "MISSING_CODE", "MISSING_LABEL"]
