"""The data file's columns → coded questions and respondent frames: roles, question
columns, coding, respondent ids, categories, exclusions and the focus municipality."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from reportgen.core.templating import message
from reportgen.errors import Problem
from reportgen.ingest.catalogue import (
    bind_columns,
    column_hint,
    from_definitions,
    norm_name,
    resolve_column,
)
from reportgen.ingest.code import apply_value_labels, code_question, make_coder, recode_categories
from reportgen.ingest.files import Work
from reportgen.ingest.read import RawTable, column_letter
from reportgen.ingest.scales import Coding, normalize_label
from reportgen.models.survey import MISSING_CODE, MISSING_LABEL, Question, Scale
from reportgen.settings.case import CaseFile

ROLES = ("maalgruppe", "koen", "alder", "periode")

MAX_ID_PROBLEMS = 5


def check_header(table: RawTable, work: Work) -> None:
    for name, positions in table.duplicates.items():
        work.problems.append(Problem(message("ingest", "duplicate_header"), file=table.file,
                                     row=table.header_row, column=name,
                                     value=message("ingest", "duplicate_header_value", n=len(positions),
                                                   letters=[column_letter(p) for p in positions]),
                                     expected=message("ingest", "duplicate_header_expected")))


def role_columns(case: CaseFile, table: RawTable, work: Work) -> dict[str, str]:
    """Role (respondent_id, kommune, maalgruppe, …, ekstra keys) → the data column it names."""
    cols = case.data.kolonner
    mapping: dict[str, str | None] = {"respondent_id": cols.respondent_id, "kommune": cols.kommune,
                                      **{r: getattr(cols, r) for r in ROLES}, "kommentar": cols.kommentar}
    for key, col in cols.ekstra.items():
        if key in mapping or key in ("respondent_id", "_row"):
            work.problems.append(Problem(message("ingest", "reserved_extra_key"), file=work.case_file,
                                         column=f"data.kolonner.ekstra.{key}", value=key,
                                         expected=message("ingest", "reserved_extra_key_expected",
                                                          names=list(mapping))))
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
            work.problems.append(Problem(message("ingest", "role_column_missing", role=role), file=table.file,
                                         row=table.header_row, column=col, expected=column_hint(col, header)))
            continue
        if actual in table.duplicates:
            continue  # reported with the header
        if actual in used:
            work.problems.append(Problem(message("ingest", "column_two_roles"), file=work.case_file, column=actual,
                                         value=message("ingest", "two", first=used[actual], second=role),
                                         expected=message("ingest", "column_two_roles_expected")))
            continue
        used[actual] = role
        found[role] = actual
    return found


def mapped_questions(case: CaseFile, table: RawTable, catalogue: list[Question], scales: dict[str, Scale],
               roles: dict[str, str], work: Work, absent: list[Question] | None = None) -> list[Question]:
    d = case.data
    header = list(table.header)
    taken = {resolve_column(q.column, header) or q.column for q in catalogue}
    reserved = {col: role for role, col in roles.items()}
    defined = from_definitions(d.spoergsmaal, table.header, scales, work.problems, work.case_file, taken,
                               set(reserved), d.standardskala)
    source = d.katalog or (message("ingest", "catalogue_sheet", file=d.besvarelser, sheet=d.katalog_ark)
                           if d.katalog_ark is not None else work.case_file)
    by_header = d.nummer_fra_overskrift
    questions = bind_columns(catalogue, table, work.problems, source, reserved, absent, by_header) + \
        bind_columns(defined, table, work.problems, work.case_file, reserved, absent, by_header)
    questions = _unique(questions, work)
    if not questions and not work.problems:
        work.problems.append(Problem(message("ingest", "no_questions"), file=work.case_file, column="data.katalog",
                                     expected=message("ingest", "no_questions_expected")))
    return questions


def _unique(questions: list[Question], work: Work) -> list[Question]:
    """Catalogue and definitions may not name the same column or id twice."""
    seen_cols: dict[str, str] = {}
    seen_ids: set[str] = set()
    out = []
    for q in questions:
        if q.column in seen_cols or q.id in seen_ids:
            work.problems.append(Problem(message("ingest_catalogue", "column_two_questions" if q.column in seen_cols
                                                 else "question_id_used"),
                                         file=work.case_file, column=q.column,
                                         value=message("ingest", "two", first=seen_cols.get(q.column, q.id),
                                                       second=q.id),
                                         expected=message("ingest", "unique_questions_expected")))
            continue
        seen_cols[q.column] = q.id
        seen_ids.add(q.id)
        out.append(q)
    return out


def code_all(case: CaseFile, table: RawTable, questions: list[Question], codings: dict[str, Coding],
              work: Work) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
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


def respondent_ids(table: RawTable, col: str | None, period_col: str | None, work: Work) -> pd.Series:
    """Respondent ids; blank or repeated ids (within a period, if there is one) are problems."""
    if not col:
        shown = message("ingest", "row_id", row="\0")  # rendered once, the row number put in per row
        return pd.Series([shown.replace("\0", str(r)) for r in table.row_numbers], dtype=object)
    ids = table.frame[col]
    arr = ids.to_numpy(dtype=object)
    blank = np.flatnonzero(arr == "")
    for i in blank[:MAX_ID_PROBLEMS]:
        row = table.row_of(int(i))
        work.problems.append(Problem(message("ingest", "id_missing") + table.case_note(row), file=table.file, row=row,
                                     column=col, expected=message("ingest", "id_missing_expected")))
    if len(blank) > MAX_ID_PROBLEMS:
        work.problems.append(Problem(message("ingest", "more_ids_missing", n=len(blank) - MAX_ID_PROBLEMS),
                                     file=table.file, column=col))
    key = ids.to_frame("id") if period_col is None else \
        pd.DataFrame({"id": arr, "periode": table.frame[period_col].to_numpy(dtype=object)})
    dup = key.duplicated(keep=False).to_numpy() & (arr != "")
    if dup.any():
        _report_duplicate_ids(key, ids, np.flatnonzero(dup), table, col, work)
    return ids


def _report_duplicate_ids(key: pd.DataFrame, ids: pd.Series, idx: np.ndarray, table: RawTable, col: str,
                          work: Work) -> None:
    first: dict[tuple[object, ...], int] = {}
    shown = 0
    for i in idx:
        k, v = tuple(key.iloc[int(i)]), ids.iat[int(i)]
        if k not in first:
            first[k] = table.row_of(int(i))
            continue
        if shown < MAX_ID_PROBLEMS:
            row = table.row_of(int(i))
            work.problems.append(Problem(message("ingest", "id_repeated") + table.case_note(row),
                                         file=table.file, row=row, column=col, value=v,
                                         expected=message("ingest", "id_repeated_expected", row=first[k])))
        shown += 1
    if shown > MAX_ID_PROBLEMS:
        work.problems.append(Problem(message("ingest", "more_ids_repeated", n=shown - MAX_ID_PROBLEMS),
                                     file=table.file, column=col))


def categories(table: RawTable, col: str, role: str, case: CaseFile, work: Work) -> pd.Series:
    """A background column as category names: SPSS value labels, then data.omkodning."""
    s = apply_value_labels(table.frame[col], table.value_labels.get(col, {}))
    recode = recode_for(role, col, case, work)
    if recode:
        present = {normalize_label(v) for v in pd.unique(s.to_numpy(dtype=object))}
        unused = [k for k in recode if normalize_label(k) not in present]
        for k in unused[:5]:
            work.warnings.append(message("ingest", "recode_unused", value=k, column=col))
    return recode_categories(s, recode)


def recode_for(role: str, col: str, case: CaseFile, work: Work) -> dict[str, str]:
    om = case.data.omkodning
    for key in (role, col):
        if key in om:
            return om[key]
    by_norm = {norm_name(k): v for k, v in om.items()}
    return by_norm.get(norm_name(role)) or by_norm.get(norm_name(col)) or {}


def check_recode_keys(case: CaseFile, roles: dict[str, str], work: Work) -> None:
    cols = case.data.kolonner
    configured = {"kommune": cols.kommune, **{r: getattr(cols, r) for r in ROLES}, **cols.ekstra}
    configured = {k: v for k, v in configured.items() if v}
    known = {norm_name(k) for k in (*configured, *configured.values(), *roles, *roles.values())}
    for key in case.data.omkodning:
        if norm_name(key) not in known:
            work.problems.append(Problem(message("ingest", "recode_unmapped"), file=work.case_file,
                                         column=f"data.omkodning.{key}", value=key,
                                         expected=message("ingest", "recode_unmapped_expected",
                                                          names=list(configured))))


def exclusions(kommune: pd.Series, periode: pd.Series | None, questions: list[Question],
                values: dict[str, np.ndarray], n: int) -> tuple[Counter[str], np.ndarray]:
    """Rows left out, and why: no municipality, no period (when others have one), no valid answer."""
    excluded: Counter[str] = Counter()
    keep = np.ones(n, dtype=bool)
    blank_muni = kommune.to_numpy(dtype=object) == ""
    if blank_muni.any():
        excluded[message("ingest", "excluded_no_municipality")] = int(blank_muni.sum())
        keep &= ~blank_muni
    if periode is not None:
        blank_period = keep & (periode.to_numpy(dtype=object) == "")
        if blank_period.any() and not blank_period[keep].all():
            excluded[message("ingest", "excluded_no_period")] = int(blank_period.sum())
            keep &= ~blank_period
    if questions and n:
        any_valid = np.zeros(n, dtype=bool)
        for q in questions:
            any_valid |= ~np.isnan(values[q.id])
        none = keep & ~any_valid
        if none.any():
            excluded[message("ingest", "excluded_no_valid")] = int(none.sum())
            keep &= any_valid
    return excluded, keep


def matched_focus(name: str, kommune: pd.Series, case: CaseFile, work: Work) -> str:
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
    work.problems.append(Problem(message("ingest", "focus_not_found"), file=work.case_file, column=key,
                                 value=name, expected=message("ingest", "focus_not_found_expected",
                                                              hint=hint[0] if hint else None, names=present[:50])))
    return name


def drop_unanswerable(questions: list[Question], values: dict[str, np.ndarray], kinds: dict[str, np.ndarray],
                       keep: np.ndarray, table: RawTable, work: Work,
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
            work.warnings.append(message("ingest", "all_dont_know", number=q.number, column=q.column))
        elif not (k == 0).any():
            work.problems.append(Problem(message("ingest", "empty_question_column"), file=table.file, column=q.column,
                                         expected=message("ingest", "empty_question_column_expected")))
    return out, dropped


def frames(ids: pd.Series, kommune: pd.Series, background: dict[str, pd.Series], comment: pd.Series | None,
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
    # copy=False: one block per column, the coded arrays themselves; consolidating them
    # would copy every column once more (~200 MB at 1.000.000 respondents)
    responses = pd.DataFrame(cols, copy=False)
    missing_kind = pd.DataFrame({q.id: kept(kinds[q.id]) for q in questions}, index=responses.index, copy=False)
    return responses, missing_kind


def muni_key(name: str) -> str:
    """A municipality name for matching: 'Norddjurs Kommune' and 'norddjurs' are the same."""
    key = normalize_label(name)
    return key.removesuffix(" kommune").removeprefix("jobcenter ").strip()


def theme_order(questions: list[Question], order: list[str], work: Work) -> tuple[str, ...]:
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
                work.problems.append(Problem(message("ingest", "theme_no_questions"), file=work.case_file,
                                             column="data.temaer", value=t,
                                             expected=message("ingest", "theme_no_questions_expected", names=seen)))
        elif match not in chosen:
            chosen.append(match)
    return tuple(chosen) + tuple(t for t in seen if t not in chosen)
