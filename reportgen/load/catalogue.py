"""Catalogue file and inline definitions → ``Question`` values bound to data columns.

Questions come from a catalogue (CSV/XLSX file, or a sheet of the data workbook) with the
columns ``id``, ``tekst``, ``tema``, ``skala`` and optionally ``kolonne``, ``nummer``,
``omvendt``; and/or from ``data.spoergsmaal`` in the case file, which may pick columns by
exact name (``kolonne``), by a regular expression (``moenster``) or by position (1 = A).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from reportgen.errors import Problem
from reportgen.load.read import RawTable
from reportgen.models import Question, Scale
from reportgen.scales import normalize_label

REQUIRED = ("id", "tekst", "tema", "skala")
OPTIONAL = ("kolonne", "nummer", "omvendt")
YES = {"ja", "j", "yes", "y", "true", "1", "x", "sand"}
NO = {"nej", "n", "no", "false", "0", "", "falsk"}


def from_catalogue(table: RawTable, scales: Mapping[str, Scale], problems: list[Problem]) -> list[Question]:
    """Questions from a catalogue table; problems are collected, not raised."""
    lower = {normalize_label(h): h for h in table.header}
    missing = [c for c in REQUIRED if c not in lower]
    for c in missing:
        problems.append(Problem("Kolonnen mangler i spørgsmålskataloget", file=table.file,
                                row=table.header_row, column=c,
                                expected="kolonnerne " + ", ".join(REQUIRED) + " (og evt. " + ", ".join(OPTIONAL) + ")"))
    if missing:
        return []
    f = table.frame
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i in range(len(f)):
        row = table.row_of(i)

        def cell(name: str) -> str:
            return str(f.iloc[i][lower[name]]).strip() if name in lower else ""

        qid, text, theme, scale_name = cell("id"), cell("tekst"), cell("tema"), cell("skala")
        if not qid:
            problems.append(Problem("Spørgsmålet har intet id", file=table.file, row=row, column=lower["id"],
                                    expected="et id, der svarer til en kolonne i besvarelserne"))
            continue
        if qid in seen:
            problems.append(Problem("Spørgsmålets id findes to gange i kataloget", file=table.file, row=row,
                                    column=lower["id"], value=qid, expected=f"unikke id'er (først brugt i række {seen[qid]})"))
            continue
        seen[qid] = row
        if not theme:
            problems.append(Problem("Spørgsmålet har intet tema", file=table.file, row=row, column=lower["tema"],
                                    value=qid, expected="navnet på det tema, spørgsmålet hører til"))
            continue
        scale = _scale(scale_name, scales, problems, file=table.file, row=row, column=lower["skala"])
        rev_text = normalize_label(cell("omvendt"))
        if rev_text not in YES | NO:
            problems.append(Problem("Ugyldig værdi for omvendt kodning", file=table.file, row=row,
                                    column=lower.get("omvendt"), value=cell("omvendt"), expected="ja eller nej"))
        if scale is None:
            continue
        questions.append(Question(id=qid, column=cell("kolonne") or qid, text=text or qid, theme=theme,
                                  scale=scale, reverse=rev_text in YES, number=cell("nummer")))
    return questions


def from_definitions(defs: Sequence[object], header: Sequence[str], scales: Mapping[str, Scale],
                     problems: list[Problem], source: str, taken: set[str]) -> list[Question]:
    """Questions from ``data.spoergsmaal``: by column name, regex pattern or 1-based position."""
    out: list[Question] = []
    for k, d in enumerate(defs):
        where = f"data.spoergsmaal[{k}]"
        scale = _scale(d.skala, scales, problems, file=source, row=None, column=where + ".skala")  # type: ignore[attr-defined]
        if scale is None:
            continue
        columns: list[str] = []
        if d.kolonne:  # type: ignore[attr-defined]
            columns = [d.kolonne]  # type: ignore[attr-defined]
        elif d.moenster:  # type: ignore[attr-defined]
            try:
                rx = re.compile(d.moenster)  # type: ignore[attr-defined]
            except re.error as exc:
                problems.append(Problem(f"Mønsteret er ikke et gyldigt regulært udtryk ({exc})", file=source,
                                        column=where + ".moenster", value=d.moenster))  # type: ignore[attr-defined]
                continue
            columns = [h for h in header if rx.fullmatch(h) and h not in taken]
            if not columns:
                problems.append(Problem("Mønsteret passer ikke på nogen kolonne i besvarelserne", file=source,
                                        column=where + ".moenster", value=d.moenster,  # type: ignore[attr-defined]
                                        expected="et mønster, der passer på mindst én kolonne, fx 'Q2_.*'"))
        elif d.position:  # type: ignore[attr-defined]
            pos = d.position  # type: ignore[attr-defined]
            if not 1 <= pos <= len(header):
                problems.append(Problem("Kolonnenummeret findes ikke i besvarelserne", file=source,
                                        column=where + ".position", value=str(pos),
                                        expected=f"et tal fra 1 til {len(header)}"))
                continue
            columns = [header[pos - 1]]
        else:
            problems.append(Problem("Spørgsmålet angiver hverken kolonne, moenster eller position",
                                    file=source, column=where))
            continue
        for col in columns:
            single = len(columns) == 1
            qid = (d.id if single and d.id else col)  # type: ignore[attr-defined]
            text = (d.tekst if single and d.tekst else "")  # type: ignore[attr-defined]
            out.append(Question(id=qid, column=col, text=text, theme=d.tema, scale=scale,  # type: ignore[attr-defined]
                                reverse=d.omvendt))  # type: ignore[attr-defined]
    return out


def bind_columns(questions: list[Question], table: RawTable, problems: list[Problem], source: str) -> list[Question]:
    """Check that each question's column exists in the data; fill texts from SPSS variable labels."""
    header = list(table.header)
    out = []
    seen_cols: dict[str, str] = {}
    for q in questions:
        if q.column not in header:
            hint = difflib.get_close_matches(q.column, header, n=1)
            problems.append(Problem("Spørgsmålets kolonne findes ikke i besvarelserne", file=table.file,
                                    row=table.header_row, column=q.column,
                                    expected=(f"mente du '{hint[0]}'? " if hint else "") +
                                    f"en af kolonnerne i {table.file} (spørgsmål '{q.id}' fra {source})"))
            continue
        if q.column in seen_cols:
            problems.append(Problem("Kolonnen er knyttet til to spørgsmål", file=source, column=q.column,
                                    value=f"{seen_cols[q.column]} og {q.id}", expected="ét spørgsmål pr. kolonne"))
            continue
        seen_cols[q.column] = q.id
        if not q.text or q.text == q.id:
            label = table.variable_labels.get(q.column)
            if label:
                q = Question(q.id, q.column, label, q.theme, q.scale, q.reverse, q.number)
        out.append(q)
    return _numbered(out)


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


def _scale(name: str, scales: Mapping[str, Scale], problems: list[Problem], *, file: str,
           row: int | None, column: str | None) -> Scale | None:
    if name in scales:
        return scales[name]
    hint = difflib.get_close_matches(name, list(scales), n=1)
    problems.append(Problem("Ukendt skala", file=file, row=row, column=column, value=name,
                            expected=(f"mente du '{hint[0]}'? " if hint else "") + "en af " + ", ".join(scales)))
    return None
