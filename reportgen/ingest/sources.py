"""The case's data sources → one ``Survey`` holding everything the analysis compares against.

``load_all`` runs the loader (``reportgen.ingest.load.load``) on the main export and then adds
what the ``analyse`` section names:

* ``tidligere`` — earlier exports of the same survey, each read by the same loader and
  tagged with its period (``periode``). The main export's period is its ``periode``
  column, or ``analyse.periode`` (default "Seneste måling"). Periods are ordered: the
  earlier exports as listed, then the main export's. Questions are matched by id; a
  question missing from an earlier export counts as not answered there (with a
  warning). Municipalities are matched as the main export spells them ('Norddjurs
  Kommune' ~ 'Norddjurs'). The earlier exports' own warnings are kept, each prefixed
  with its period, and their files and rows are added to the account.
* ``benchmark_tabel`` — a published benchmark table (see ``benchmark_table.read_table_file``).
* ``kommentarer.navneliste`` — a file with names (one per line) to remove from quotes.

Last come the warnings about the focus municipality in the latest period
(``load.for_focus``), unless ``focus=False`` asks for the data of every municipality
(the batch derives each item's focus and period from it).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.ingest.benchmark_table import check_table_themes, read_table_file
from reportgen.settings.case import CaseFile, TidligereMaaling
from reportgen.errors import InputError, Problem
from reportgen.core.templating import message
from reportgen.models.survey import BLANK, DataAccount, Survey


def load_all(case: CaseFile, base: Path, case_file: str = "sagsfil", *, focus: bool = True) -> Survey:
    """Every data source of the case → one ``Survey`` (see the module docstring).

    With ``focus`` (a single build) the case's focus municipality must be in the main
    export and the warnings about it end the account's warnings; without, the data is
    read for every municipality and ``load.for_focus`` gives each focus later.
    """
    from reportgen.ingest.load import for_focus, load

    survey = load(case, base, case_file=case_file, match_focus=focus, warn_focus=False)
    a = case.analyse
    if a.tidligere:
        survey = _with_earlier(survey, case, base, case_file)
    warnings = list(survey.account.warnings)
    table = None
    if a.benchmark_tabel:
        table = read_table_file(_resolve(base, a.benchmark_tabel, case, "analyse.benchmark_tabel", case_file),
                                a.benchmark_tabel)
        unknown = check_table_themes(table, survey.themes)
        if unknown:
            warnings.append(message("ingest", "benchmark_unknown_themes", names=unknown))
    names = list(a.kommentarer.navne)
    if a.kommentarer.navneliste:
        path = _resolve(base, a.kommentarer.navneliste, case, "analyse.kommentarer.navneliste", case_file)
        if not path.is_file():
            raise InputError(Problem(message("ingest", "names_list_missing"), file=a.kommentarer.navneliste,
                                     column="analyse.kommentarer.navneliste",
                                     expected=message("ingest", "names_list_missing_expected")))
        names += [ln.strip() for ln in path.read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    account = dataclasses.replace(survey.account, warnings=tuple(warnings))
    survey = dataclasses.replace(survey, published_benchmark=table, redact_names=tuple(names), account=account)
    return for_focus(survey, survey.focus, a.min_n) if focus else survey


def _resolve(base: Path, rel: str, case: CaseFile, key: str, case_file: str) -> Path:
    from reportgen.core.paths import resolve_inside

    return resolve_inside(rel, base, case.data.tilladte_mapper, key=key, file=case_file)


def _with_earlier(survey: Survey, case: CaseFile, base: Path, case_file: str) -> Survey:
    """The main export with the earlier ones (``analyse.tidligere``) before it, each row
    tagged with its period, and one account for them all."""
    from reportgen.ingest.load import account_for_period, muni_key

    spelling = {muni_key(m): m for m in survey.responses["kommune"].unique()}
    earlier = [_earlier_export(e, survey, case, base, case_file, spelling) for e in case.analyse.tidligere]
    labels: list[str] = []
    for ex in earlier:
        labels += [p for p in ex.periods if p not in labels]
    main = survey.responses.copy()
    if survey.periods and "periode" in main.columns:
        current = list(survey.periods)
    else:
        label = case.analyse.periode or message("ingest", "current_period")
        main["periode"] = label
        current = [label]
    clash = [p for p in current if p in labels]
    if clash:
        raise InputError(Problem(message("ingest", "period_clash"), file=case_file, column="analyse.tidligere",
                                 value=clash[0], expected=message("ingest", "period_clash_expected")))
    columns = list(main.columns)
    responses = pd.concat([ex.responses.reindex(columns=columns) for ex in earlier] + [main], ignore_index=True)
    for c in columns:
        if main[c].dtype == object:
            responses[c] = responses[c].astype(object).where(responses[c].notna(), "")
    missing = pd.concat([ex.missing_kind for ex in earlier] + [survey.missing_kind], ignore_index=True)
    groups = tuple(dict.fromkeys((*survey.group_columns, "periode")))
    labels_map = dict(survey.labels)
    labels_map.setdefault("periode", message("ingest", "role_title", role="periode"))
    account = _merged_account(survey.account, [ex.account for ex in earlier],
                              [w for ex in earlier for w in ex.warnings])
    merged = dataclasses.replace(survey, responses=responses, missing_kind=missing, periods=tuple(labels + current),
                                 group_columns=groups, labels=labels_map, account=account)
    return dataclasses.replace(merged, account=account_for_period(merged))


@dataclasses.dataclass(frozen=True)
class _Earlier:
    """One earlier export, read and lined up with the main one."""

    responses: pd.DataFrame  # with a period column, the main export's municipality names and questions
    missing_kind: pd.DataFrame  # the main export's questions, in its order
    periods: list[str]
    warnings: list[str]  # its own, prefixed with its periods, and the questions it lacks
    account: DataAccount


def _earlier_export(e: TidligereMaaling, survey: Survey, case: CaseFile, base: Path, case_file: str,
                    spelling: dict[str, str]) -> _Earlier:
    """The earlier export ``e`` (an ``analyse.tidligere`` entry) read with the case's data
    settings; ``spelling``: municipality key → the main export's spelling."""
    from reportgen.ingest.load import load, muni_key

    data = case.data.model_copy(update={"besvarelser": e.besvarelser, "inviterede": None,
                                        "katalog": e.katalog or case.data.katalog,
                                        "ark": e.ark if e.ark is not None else case.data.ark})
    earlier = load(case.model_copy(update={"data": data}), base, case_file=case_file, match_focus=False,
                   warn_focus=False, optional_questions=True)
    resp = earlier.responses.copy()
    if earlier.periods and "periode" in resp.columns:
        own = list(earlier.periods)
    else:
        resp["periode"] = e.periode
        own = [e.periode]
    names = {m: spelling.get(muni_key(m), m) for m in resp["kommune"].unique()}
    if any(k != v for k, v in names.items()):
        resp["kommune"] = resp["kommune"].map(names)
    warnings = [message("ingest", "earlier_warning", periods=own, warning=w) for w in earlier.account.warnings]
    kinds = earlier.missing_kind.copy()
    for q in survey.questions:
        if q.id not in resp.columns:
            resp[q.id] = np.nan
            kinds[q.id] = np.int8(BLANK)
    return _Earlier(resp, kinds[[q.id for q in survey.questions]], own, warnings + _left_out(survey, earlier, own),
                    earlier.account)


def _left_out(survey: Survey, earlier: Survey, periods: list[str]) -> list[str]:
    """A warning for each of the main export's questions an earlier export (of ``periods``) has no answers to."""
    absent, unanswered = set(earlier.account.absent_questions), set(earlier.account.unanswered_questions)
    out = []
    for q in survey.questions:
        if q.id in absent:
            out.append(message("ingest", "left_out_absent", number=q.number, column=q.column, periods=periods))
        elif q.id in unanswered:
            out.append(message("ingest", "left_out_unanswered", number=q.number, column=q.column, periods=periods))
        elif q.id not in earlier.responses.columns:
            out.append(message("ingest", "left_out_not_asked", number=q.number, column=q.column, periods=periods))
    return out


def _merged_account(main: DataAccount, earlier: list[DataAccount], warnings: list[str]) -> DataAccount:
    """The main export's account with the earlier exports' files, rows and warnings added."""
    files = list(main.files)
    sources = list(main.sources)
    excluded: Counter[str] = Counter(main.rows_excluded)
    for acc in earlier:
        files += [f for f in acc.files if f not in files]
        sources += [s for s in acc.sources if s not in sources]
        excluded.update(acc.rows_excluded)
    return dataclasses.replace(main, files=tuple(files), sources=tuple(sources),
                               rows_read=main.rows_read + sum(acc.rows_read for acc in earlier),
                               rows_used=main.rows_used + sum(acc.rows_used for acc in earlier),
                               rows_excluded=dict(excluded), warnings=main.warnings + tuple(warnings))
