"""Files named in the case → ``Survey``: read, map columns, code answers, validate, account.

All problems found are collected and raised together as one ``InputError`` so that the
user can fix a file in one go. Warnings (things worth knowing that do not stop a build)
end up in ``Survey.account.warnings`` and in the document's method note.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.case import CaseFile
from reportgen.errors import InputError, Problem
from reportgen.load.catalogue import bind_columns, from_catalogue, from_definitions
from reportgen.load.code import code_question, parse_number, recode_categories
from reportgen.load.read import RawTable, read_table
from reportgen.models import BLANK, MISSING_CODE, MISSING_LABEL, DataAccount, Question, Scale, Survey
from reportgen.scales import BUILTIN, normalize_label, scale_from_definition

ROLES = ("maalgruppe", "koen", "alder", "periode")
ROLE_TITLES = {"maalgruppe": "Målgruppe", "koen": "Køn", "alder": "Alder", "periode": "Periode",
               "kommune": "Kommune"}


def load(case: CaseFile, base: Path, case_file: str = "sagsfil") -> Survey:
    """Read and code everything the case's ``data`` section names."""
    problems: list[Problem] = []
    d = case.data
    scales = _scales(case, case_file)

    data_path = _resolve(base, d.besvarelser)
    cat_table: RawTable | None = None
    if d.katalog:
        cat_path = _resolve(base, d.katalog)
        sheet = d.katalog_ark
        try:
            cat_table = read_table(cat_path, display=d.katalog, expected=("id", "tekst", "tema", "skala"),
                                   sheet=sheet, encoding=d.kodning)
        except InputError as exc:
            problems.extend(exc.problems)
    elif d.katalog_ark is not None:
        try:
            cat_table = read_table(data_path, display=f"{d.besvarelser} (ark {d.katalog_ark})",
                                   expected=("id", "tekst", "tema", "skala"), sheet=d.katalog_ark)
        except InputError as exc:
            problems.extend(exc.problems)

    catalogue: list[Question] = from_catalogue(cat_table, scales, problems) if cat_table else []
    cols = d.kolonner
    expected = [c for c in (cols.respondent_id, cols.kommune, cols.maalgruppe, cols.koen, cols.alder,
                            cols.periode) if c] + [q.column for q in catalogue] + \
        [q.kolonne for q in d.spoergsmaal if q.kolonne]
    try:
        table = read_table(data_path, display=d.besvarelser, expected=expected, sheet=d.ark, encoding=d.kodning)
    except InputError as exc:
        raise InputError(problems + exc.problems) from exc

    _check_header(table, problems)
    taken = {q.column for q in catalogue}
    defined = from_definitions(d.spoergsmaal, table.header, scales, problems, case_file, taken)
    questions = bind_columns(catalogue + defined, table, problems, d.katalog or case_file)
    if not questions and not problems:
        problems.append(Problem("Der er ingen spørgsmål at analysere", file=case_file, column="data.katalog",
                                expected="et spørgsmålskatalog eller data.spoergsmaal"))
    role_cols = _role_columns(case, table, problems)

    frame = table.frame
    n = len(frame)
    if n == 0:
        problems.append(Problem("Filen har ingen rækker med besvarelser under overskriften", file=table.file,
                                row=table.header_row, expected="mindst én række data"))
    out: dict[str, object] = {}
    kinds: dict[str, np.ndarray] = {}
    for q in questions:
        values, kind = code_question(q, table, problems)
        out[q.id] = values
        kinds[q.id] = kind

    # Respondent id
    if cols.respondent_id and cols.respondent_id in table.header:
        ids = frame[cols.respondent_id].astype(str)
        _check_ids(ids, table, cols.respondent_id, problems)
    else:
        ids = pd.Series([f"række {r}" for r in table.row_numbers], dtype=object)

    # Municipality and background columns
    has_muni = bool(cols.kommune and cols.kommune in table.header)
    focus_name = d.fokus or case.sag.kommune
    if has_muni:
        kommune = recode_categories(frame[cols.kommune].astype(str), d.omkodning.get("kommune", {}))
    else:
        kommune = pd.Series([focus_name] * n, dtype=object)
    background: dict[str, pd.Series] = {}
    for role, col in role_cols.items():
        background[role] = recode_categories(frame[col].astype(str), d.omkodning.get(role, {}))
    comment = frame[cols.kommentar].astype(str) if cols.kommentar and cols.kommentar in table.header else None

    if problems:
        raise InputError(problems)

    # Rows: which are used, which excluded and why
    excluded: Counter[str] = Counter()
    keep = np.ones(n, dtype=bool)
    blank_muni = (kommune.str.strip() == "").to_numpy()
    if blank_muni.any():
        excluded["ingen kommune angivet"] = int(blank_muni.sum())
        keep &= ~blank_muni
    if questions:
        any_valid = np.zeros(n, dtype=bool)
        for q in questions:
            any_valid |= ~np.isnan(out[q.id])  # type: ignore[arg-type]
        none = keep & ~any_valid
        if none.any():
            excluded["ingen gyldige svar (kun blanke eller 'Ved ikke')"] = int(none.sum())
            keep &= any_valid

    focus = _match_focus(focus_name, kommune[keep], has_muni, case_file)
    responses = pd.DataFrame({"respondent_id": ids.to_numpy(), "kommune": kommune.to_numpy(),
                              **{k: v.to_numpy() for k, v in background.items()},
                              **({"kommentar": comment.to_numpy()} if comment is not None else {}),
                              "_row": table.row_numbers})
    for q in questions:
        responses[q.id] = out[q.id]
    missing_kind = pd.DataFrame({q.id: kinds[q.id] for q in questions})
    responses = responses.loc[keep].reset_index(drop=True)
    missing_kind = missing_kind.loc[keep].reset_index(drop=True)

    invited = None
    if d.inviterede:
        invited = _invited(base, d.inviterede, d.kodning, responses, focus, has_muni, case)

    themes = _themes(questions, d.temaer, case_file)
    periods: tuple[str, ...] = ()
    if "periode" in responses.columns:
        periods = tuple(sorted(p for p in responses["periode"].unique() if str(p).strip()))
    warnings = _warnings(questions, responses, missing_kind, focus, table.file, case.analyse.min_n)
    account = DataAccount(files=tuple(f for f in (d.besvarelser, d.katalog, d.inviterede) if f),
                          rows_read=n, rows_used=int(keep.sum()), rows_excluded=dict(excluded),
                          warnings=tuple(warnings))
    return Survey(responses=responses, missing_kind=missing_kind, questions=tuple(questions), themes=themes,
                  focus=focus, invited=invited, account=account, group_columns=tuple(background),
                  labels={k: ROLE_TITLES.get(k, k) for k in background}, periods=periods,
                  has_municipalities=has_muni)


def _resolve(base: Path, rel: str) -> Path:
    p = Path(rel)
    return p if p.is_absolute() else base / p


def _scales(case: CaseFile, source: str) -> dict[str, Scale]:
    scales = dict(BUILTIN)
    for name, sd in case.data.skalaer.items():
        scales[name] = scale_from_definition(name, sd, source)
    return scales


def _check_header(table: RawTable, problems: list[Problem]) -> None:
    counts = Counter(table.header)
    for name, c in counts.items():
        if c > 1:
            problems.append(Problem("Kolonnenavnet forekommer flere gange i overskriftsrækken", file=table.file,
                                    row=table.header_row, column=name, value=f"{c} gange",
                                    expected="unikke kolonnenavne"))


def _role_columns(case: CaseFile, table: RawTable, problems: list[Problem]) -> dict[str, str]:
    cols = case.data.kolonner
    mapping = {"respondent_id": cols.respondent_id, "kommune": cols.kommune,
               **{r: getattr(cols, r) for r in ROLES}, "kommentar": cols.kommentar, **cols.ekstra}
    header = list(table.header)
    found: dict[str, str] = {}
    for role, col in mapping.items():
        if not col:
            continue
        if col not in header:
            if role == "kommune" and col == "kommune" and "kommune" not in case.data.kolonner.model_fields_set:
                continue  # the default name; a single-municipality export may have no such column
            hint = difflib.get_close_matches(col, header, n=1)
            problems.append(Problem(f"Kolonnen til '{role}' findes ikke i besvarelserne", file=table.file,
                                    row=table.header_row, column=col,
                                    expected=(f"mente du '{hint[0]}'? " if hint else "") +
                                    "et af kolonnenavnene " + ", ".join(header[:15]) + (" …" if len(header) > 15 else "")))
            continue
        if role not in ("respondent_id", "kommune", "kommentar"):
            found[role] = col
    return found


def _check_ids(ids: pd.Series, table: RawTable, col: str, problems: list[Problem]) -> None:
    blank = np.flatnonzero((ids.str.strip() == "").to_numpy())
    for i in blank[:5]:
        problems.append(Problem("Respondent-id mangler", file=table.file, row=table.row_of(int(i)), column=col,
                                expected="et id i hver række"))
    dup = ids.duplicated(keep=False).to_numpy() & (ids.str.strip() != "").to_numpy()
    if dup.any():
        idx = np.flatnonzero(dup)
        first: dict[str, int] = {}
        shown = 0
        for i in idx:
            v = ids.iat[int(i)]
            if v not in first:
                first[v] = table.row_of(int(i))
                continue
            if shown < 5:
                problems.append(Problem("Respondent-id'et forekommer flere gange", file=table.file,
                                        row=table.row_of(int(i)), column=col, value=v,
                                        expected=f"unikke id'er (også brugt i række {first[v]})"))
            shown += 1
        if shown > 5:
            problems.append(Problem(f"… og {shown - 5} andre gentagne respondent-id'er", file=table.file, column=col))


def _match_focus(name: str, kommune: pd.Series, has_muni: bool, source: str) -> str:
    present = sorted(set(kommune.unique()))
    if name in present:
        return name
    norm = {normalize_label(p): p for p in present}
    for cand in (name, name.removesuffix(" Kommune"), name + " Kommune"):
        if normalize_label(cand) in norm:
            return norm[normalize_label(cand)]
    hint = difflib.get_close_matches(name, present, n=1)
    raise InputError(Problem("Fokuskommunen findes ikke i besvarelserne", file=source, column="data.fokus",
                             value=name, expected=(f"mente du '{hint[0]}'? " if hint else "") +
                             "en af " + ", ".join(present[:50])))


def _invited(base: Path, rel: str, encoding: str | None, responses: pd.DataFrame, focus: str,
             has_muni: bool, case: CaseFile) -> dict[str, int]:
    table = read_table(_resolve(base, rel), display=rel, expected=("kommune", "inviterede"), encoding=encoding)
    problems: list[Problem] = []
    lower = {normalize_label(h): h for h in table.header}
    for c in ("kommune", "inviterede"):
        if c not in lower:
            problems.append(Problem("Kolonnen mangler i filen med inviterede", file=rel, row=table.header_row,
                                    column=c, expected="kolonnerne kommune og inviterede (og evt. periode)"))
    if problems:
        raise InputError(problems)
    f = table.frame
    period_col = lower.get("periode")
    current = None
    if period_col and "periode" in responses.columns and len(responses):
        current = max(p for p in responses["periode"].unique())
    invited: dict[str, int] = {}
    recode = case.data.omkodning.get("kommune", {})
    for i in range(len(f)):
        name = str(f.iloc[i][lower["kommune"]]).strip()
        if recode:
            name = {normalize_label(k): v for k, v in recode.items()}.get(normalize_label(name), name)
        if period_col and current is not None and str(f.iloc[i][period_col]).strip() != str(current):
            continue
        raw = str(f.iloc[i][lower["inviterede"]]).strip()
        num = parse_number(raw.replace(".", "") if raw.count(".") and "," not in raw and len(raw.split(".")[-1]) == 3 else raw)
        if num is None or num < 0 or not float(num).is_integer():
            problems.append(Problem("Antal inviterede er ikke et helt tal", file=rel, row=table.row_of(i),
                                    column=lower["inviterede"], value=raw, expected="et helt tal ≥ 0, fx 1250"))
            continue
        if name in invited:
            problems.append(Problem("Kommunen står to gange i filen med inviterede", file=rel, row=table.row_of(i),
                                    column=lower["kommune"], value=name, expected="én række pr. kommune"))
            continue
        invited[name] = int(num)
    answered = responses["kommune"].value_counts()
    if current is not None and "periode" in responses.columns:
        answered = responses.loc[responses["periode"] == current, "kommune"].value_counts()
    for muni, cnt in answered.items():
        if muni not in invited:
            problems.append(Problem("Kommunen mangler i filen med inviterede", file=rel, column=lower["kommune"],
                                    value=str(muni), expected="en række med antal inviterede for hver kommune i besvarelserne"))
        elif invited[muni] < cnt:
            problems.append(Problem("Der er flere besvarelser end inviterede", file=rel, column=lower["inviterede"],
                                    value=f"{muni}: {invited[muni]} inviterede, {cnt} besvarelser",
                                    expected="mindst lige så mange inviterede som besvarelser"))
    if problems:
        raise InputError(problems)
    return invited


def _themes(questions: list[Question], order: list[str], source: str) -> tuple[str, ...]:
    seen: list[str] = []
    for q in questions:
        if q.theme not in seen:
            seen.append(q.theme)
    if order:
        unknown = [t for t in order if t not in seen]
        if unknown:
            raise InputError(Problem("Temaet i data.temaer har ingen spørgsmål", file=source, column="data.temaer",
                                     value=unknown[0], expected="et af temaerne " + ", ".join(seen)))
        return tuple(order) + tuple(t for t in seen if t not in order)
    return tuple(seen)


def _warnings(questions: list[Question], responses: pd.DataFrame, kinds: pd.DataFrame, focus: str,
              file: str, min_n: int) -> list[str]:
    from reportgen import fmt

    out = []
    problems: list[Problem] = []
    is_focus = (responses["kommune"] == focus).to_numpy()
    for q in questions:
        vals = responses[q.id].to_numpy()
        n_all = int((~np.isnan(vals)).sum())
        n_focus = int((~np.isnan(vals[is_focus])).sum())
        if n_all == 0:
            problems.append(Problem("Spørgsmålet har ingen gyldige svar", file=file, column=q.column,
                                    expected="mindst ét svar på skalaen"))
            continue
        k = kinds[q.id].to_numpy()[is_focus]
        if len(k) and (k == MISSING_LABEL).all():
            out.append(f"Alle svar i {focus} på spørgsmål {q.number} ({q.column}) er 'Ved ikke' eller lignende.")
        elif n_focus < min_n:
            out.append(f"Spørgsmål {q.number} ({q.column}) har kun {fmt.integer(n_focus)} gyldige svar i {focus}; "
                       "resultatet vises ikke.")
        elif n_focus < 4 * min_n:
            out.append(f"Spørgsmål {q.number} ({q.column}) har kun {fmt.integer(n_focus)} gyldige svar i {focus}; "
                       "resultatet skal læses med forbehold.")
    if problems:
        raise InputError(problems)
    return out


__all__ = ["load", "BLANK", "MISSING_CODE", "MISSING_LABEL"]
