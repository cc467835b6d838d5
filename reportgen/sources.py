"""The case's data sources → one ``Survey`` holding everything the analysis compares against.

``load_all`` runs the loader (``reportgen.load.load``) on the main export and then adds
what the ``analyse`` section names:

* ``tidligere`` — earlier exports of the same survey, each read by the same loader and
  tagged with its period (``periode``). The main export's period is its ``periode``
  column, or ``analyse.periode`` (default "Seneste måling"). Periods are ordered: the
  earlier exports as listed, then the main export's. Questions are matched by id; a
  question missing from an earlier export counts as not answered there.
* ``benchmark_tabel`` — a published benchmark table (see ``benchmark.read_table_file``).
* ``kommentarer.navneliste`` — a file with names (one per line) to remove from quotes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.benchmark import check_table_themes, read_table_file
from reportgen.case import CaseFile
from reportgen.errors import InputError, Problem
from reportgen.models import BLANK, Survey

CURRENT_LABEL = "Seneste måling"


def load_all(case: CaseFile, base: Path, case_file: str = "sagsfil") -> Survey:
    from reportgen.load import load

    survey = load(case, base, case_file=case_file)
    a = case.analyse
    if a.tidligere:
        survey = _with_earlier(survey, case, base, case_file)
    warnings = list(survey.account.warnings)
    table = None
    if a.benchmark_tabel:
        table = read_table_file(_resolve(base, a.benchmark_tabel), a.benchmark_tabel)
        unknown = check_table_themes(table, survey.themes)
        if unknown:
            warnings.append("Benchmarktabellen har temaer, som ikke findes i undersøgelsen, og de bruges ikke: "
                            + ", ".join(unknown) + ".")
    names = list(a.kommentarer.navne)
    if a.kommentarer.navneliste:
        path = _resolve(base, a.kommentarer.navneliste)
        if not path.is_file():
            raise InputError(Problem("Navnelisten findes ikke", file=a.kommentarer.navneliste,
                                     column="analyse.kommentarer.navneliste",
                                     expected="en tekstfil med ét navn pr. linje (stien er relativ til sagsfilen)"))
        names += [ln.strip() for ln in path.read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    account = dataclasses.replace(survey.account, warnings=tuple(warnings))
    return dataclasses.replace(survey, published_benchmark=table, redact_names=tuple(names), account=account)


def _resolve(base: Path, rel: str) -> Path:
    p = Path(rel)
    return p if p.is_absolute() else base / p


def _with_earlier(survey: Survey, case: CaseFile, base: Path, case_file: str) -> Survey:
    from reportgen.load import load

    a = case.analyse
    frames, kinds = [], []
    labels: list[str] = []
    for e in a.tidligere:
        data = case.data.model_copy(update={"besvarelser": e.besvarelser, "inviterede": None,
                                            "katalog": e.katalog or case.data.katalog,
                                            "ark": e.ark if e.ark is not None else case.data.ark})
        earlier = load(case.model_copy(update={"data": data}), base, case_file=case_file)
        resp = earlier.responses.copy()
        if earlier.periods and "periode" in resp.columns:
            labels += [p for p in earlier.periods if p not in labels]
        else:
            resp["periode"] = e.periode
            if e.periode not in labels:
                labels.append(e.periode)
        k = earlier.missing_kind.copy()
        for q in survey.questions:
            if q.id not in resp.columns:
                resp[q.id] = np.nan
                k[q.id] = np.int8(BLANK)
        frames.append(resp)
        kinds.append(k[[q.id for q in survey.questions]])
    main = survey.responses.copy()
    if survey.periods and "periode" in main.columns:
        current = list(survey.periods)
    else:
        label = a.periode or CURRENT_LABEL
        main["periode"] = label
        current = [label]
    clash = [p for p in current if p in labels]
    if clash:
        raise InputError(Problem("Perioden findes både i besvarelserne og i en tidligere måling",
                                 file=case_file, column="analyse.tidligere", value=clash[0],
                                 expected="forskellige navne på perioderne (analyse.periode / tidligere.periode)"))
    columns = list(main.columns)
    responses = pd.concat([f.reindex(columns=columns) for f in frames] + [main], ignore_index=True)
    for c in columns:
        if main[c].dtype == object:
            responses[c] = responses[c].astype(object).where(responses[c].notna(), "")
    missing = pd.concat(kinds + [survey.missing_kind], ignore_index=True)
    groups = tuple(dict.fromkeys((*survey.group_columns, "periode")))
    labels_map = dict(survey.labels)
    labels_map.setdefault("periode", "Periode")
    return dataclasses.replace(survey, responses=responses, missing_kind=missing, periods=tuple(labels + current),
                               group_columns=groups, labels=labels_map)
