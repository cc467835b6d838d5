"""The invited file → invited citizens per municipality, checked against the responses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.catalogue import norm_name
from reportgen.ingest.code import parse_number, recode_categories
from reportgen.ingest.files import Work, read_invited
from reportgen.ingest.mapping import muni_key, recode_for
from reportgen.ingest.read import RawTable
from reportgen.ingest.scales import normalize_label
from reportgen.models.survey import Survey
from reportgen.settings.case import CaseFile

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
    work = Work(case_file)
    table = read_invited(case, base, work)
    invited = invited_from_table(table, survey.responses, case, work, period) if table is not None else None
    if work.problems:
        raise InputError(work.problems)
    return invited


def invited_from_table(table: RawTable, responses: pd.DataFrame, case: CaseFile, work: Work,
             period: str | None = None) -> dict[str, int]:
    """Invited per municipality (summed over target groups) in ``period`` (default: the latest),
    checked against that period's responses."""
    cols = {key: next((h for h in table.header if norm_name(h) in names), None)
            for key, names in INVITED_NAMES.items()}
    for key in ("kommune", "inviterede"):
        if cols[key] is None:
            work.problems.append(Problem(message("ingest", "invited_column_missing"), file=table.file,
                                         row=table.header_row, column=key,
                                         expected=message("ingest", "invited_column_missing_expected")))
    if cols["kommune"] is None or cols["inviterede"] is None:
        return {}
    current = period or _current_period(responses)
    f = table.frame
    if current is not None and cols["periode"]:
        f = f.loc[f[cols["periode"]].map(normalize_label) == normalize_label(current)]
    muni = recode_categories(f[cols["kommune"]], recode_for("kommune", "kommune", case, work))
    group = recode_categories(f[cols["maalgruppe"]], recode_for("maalgruppe", "maalgruppe", case, work)) \
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
            work.problems.append(Problem(message("ingest", "invited_not_integer"), file=table.file, row=row,
                                         column=cols["inviterede"], value=raw,
                                         expected=message("ingest", "invited_not_integer_expected")))
        elif key in counts:
            work.problems.append(Problem(message("ingest", "invited_twice"), file=table.file, row=row,
                                         column=cols["kommune"], value=" / ".join(k for k in key if k),
                                         expected=message("ingest", "invited_twice_expected",
                                                          by_group=group is not None, by_period=bool(cols["periode"]))))
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
                   by_group: bool, bad_rows: set[str], work: Work) -> None:
    df = responses
    if current is not None and "periode" in df.columns:
        df = df.loc[df["periode"] == current]
    for muni, cnt in df["kommune"].value_counts().sort_index().items():
        if muni in bad_rows:
            continue  # its row is already reported
        if muni not in invited:
            work.problems.append(Problem(message("ingest", "invited_municipality_missing", period=current),
                                         file=table.file, column=cols["kommune"], value=str(muni),
                                         expected=message("ingest", "invited_municipality_missing_expected")))
        elif invited[muni] < cnt:
            work.problems.append(Problem(message("ingest", "more_responses_than_invited", period=current),
                                         file=table.file, column=cols["inviterede"],
                                         value=message("ingest", "more_responses_than_invited_value",
                                                       municipality=muni, invited=invited[muni], responses=cnt),
                                         expected=message("ingest", "more_responses_than_invited_expected")))
    if by_group and "maalgruppe" in df.columns:
        pairs = df.groupby(["kommune", "maalgruppe"]).size()
        for (muni, grp), cnt in pairs.items():
            if muni in invited and muni not in bad_rows and (str(muni), str(grp)) not in counts and str(grp).strip():
                work.problems.append(Problem(message("ingest", "invited_group_missing", period=current),
                                             file=table.file, column=cols["maalgruppe"], value=f"{muni} / {grp}",
                                             expected=message("ingest", "invited_group_missing_expected")))
