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
from pathlib import Path

import pandas as pd

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.ingest.files import (
    Work,
    checked_encoding,
    read_catalogue,
    read_data,
    read_invited,
    read_scales,
    resolve,
)
from reportgen.ingest.focus import account_for_period, focus_warnings, for_focus
from reportgen.ingest.invited import invited_counts, invited_from_table
from reportgen.ingest.read import RawTable
from reportgen.ingest.mapping import (
    categories,
    check_header,
    check_recode_keys,
    code_all,
    drop_unanswerable,
    exclusions,
    frames,
    mapped_questions,
    matched_focus,
    muni_key,
    respondent_ids,
    role_columns,
    theme_order,
)
from reportgen.ingest.references import check_groups, check_target
from reportgen.models.survey import DataAccount, Question, Survey
from reportgen.settings.case import CaseFile



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

    Over 60 lines on purpose: the body is the order of the work, one call a step (halves
    would hand a dozen values over), and a third is this docstring."""
    work = Work(case_file)
    case = checked_encoding(case, work)
    d = case.data
    scales, codings = read_scales(case, base, work)
    catalogue = read_catalogue(case, base, scales, work)
    table = read_data(case, base, catalogue, work)
    invited_table = read_invited(case, base, work)
    if table is None:
        raise InputError(work.problems)
    work.warnings.extend(table.notes)
    check_header(table, work)
    roles = role_columns(case, table, work)
    check_recode_keys(case, roles, work)
    absent: list[Question] | None = [] if optional_questions else None
    questions = mapped_questions(case, table, catalogue, scales, roles, work, absent)
    values, kinds = code_all(case, table, questions, codings, work)

    n = len(table.frame)
    focus_name = d.fokus or case.sag.kommune
    ids, kommune, background, comment = _respondents(case, table, roles, focus_name, work)
    excluded, keep = exclusions(kommune, background.get("periode"), questions, values, n)
    if n and questions and not keep.any() and not work.problems:
        work.problems.append(Problem(message("ingest", "no_valid_rows"), file=table.file,
                                     expected=message("ingest", "no_valid_rows_expected")))
    focus = matched_focus(focus_name, kommune[keep], case, work) if match_focus else focus_name
    questions, unanswered = drop_unanswerable(questions, values, kinds, keep, table, work, optional_questions)
    responses, missing_kind = frames(ids, kommune, background, comment, table, questions, values, kinds, keep)
    invited = invited_from_table(invited_table, responses, case, work) if invited_table is not None else None
    themes = theme_order(questions, d.temaer, work)
    check_groups(case, roles, table.header, work.case_file, work.problems)
    if not optional_questions:  # an earlier export may lack the target question
        check_target(case, questions, themes, work.case_file, work.problems)
    if work.problems:
        raise InputError(work.problems)

    periods: tuple[str, ...] = ()
    if "periode" in responses.columns:
        periods = tuple(sorted(p for p in responses["periode"].unique() if str(p).strip()))
    account = _account(case, n, int(keep.sum()), excluded, work, absent, unanswered)
    survey = Survey(responses=responses, missing_kind=missing_kind, questions=tuple(questions), themes=themes,
                    focus=focus, invited=invited, account=account, group_columns=tuple(background),
                    labels={k: message("ingest", "role_title", role=k) for k in background}, periods=periods,
                    has_municipalities="kommune" in roles)
    if warn_focus:
        return for_focus(survey, focus, case.analyse.min_n)
    return dataclasses.replace(survey, account=account_for_period(survey))



def _respondents(case: CaseFile, table: RawTable, roles: dict[str, str], focus_name: str,
                 work: Work) -> tuple[pd.Series, pd.Series, dict[str, pd.Series], pd.Series | None]:
    """Each row's respondent id, municipality (the focus for every row when the data has
    no municipality column), background categories by role, and comment column."""
    n = len(table.frame)
    if n == 0:
        work.problems.append(Problem(message("ingest", "no_rows"), file=table.file, row=table.header_row,
                                     expected=message("ingest", "no_rows_expected")))
    ids = respondent_ids(table, roles.get("respondent_id"), roles.get("periode"), work)
    kommune = categories(table, roles["kommune"], "kommune", case, work) if "kommune" in roles else \
        pd.Series([focus_name] * n, dtype=object)
    background = {role: categories(table, col, role, case, work) for role, col in roles.items()
                  if role not in ("respondent_id", "kommune", "kommentar")}
    comment = table.frame[roles["kommentar"]] if "kommentar" in roles else None
    return ids, kommune, background, comment


def _account(case: CaseFile, rows_read: int, rows_used: int, excluded: Counter[str], work: Work,
             absent: list[Question] | None, unanswered: list[str]) -> DataAccount:
    """The data account: the files read, the rows read, used and excluded (by reason), the
    warnings, and the questions left out."""
    d = case.data
    files = [d.besvarelser, d.katalog, d.inviterede,
             *([d.skalafil] if isinstance(d.skalafil, str) else d.skalafil or [])]
    return DataAccount(files=tuple(f for f in files if f), rows_read=rows_read, rows_used=rows_used,
                       rows_excluded=dict(excluded), warnings=tuple(work.warnings),
                       sources=tuple(work.sources), absent_questions=tuple(q.id for q in absent or ()),
                       unanswered_questions=tuple(unanswered))


__all__ = ["load", "for_focus", "focus_warnings", "account_for_period", "invited_counts", "resolve",
           "muni_key"]
