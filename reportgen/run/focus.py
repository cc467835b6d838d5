"""One loaded ``Survey`` → the ``Survey`` of each batch item (its focus municipality and period).

The data is read and coded once, for every municipality (``sources.load_all`` with
``focus=False``: the export, earlier exports, benchmark table). What differs per item is
small and is derived here with the loader's public functions: the focus municipality,
the account and the warnings about it in the item's period (``load.for_focus``) and the
invited counts of the item's period (``load.invited_counts``). The result is what
``sources.load_all`` returns for a case file with that ``data.fokus``, and the report is
made by the same ``api.build_from_survey`` as a single build's — a test holds batch and
single builds to the same bytes.

A survey needs a focus name even when read for every municipality: with no
municipality column it is the name every row gets. ``load_once`` takes the first listed
municipality, else the defaults' ``data.fokus``, else the first row of the invited file;
without any of these the data must have a municipality column.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.models.survey import Survey
from reportgen.run.plan import Item
from reportgen.run.runfile import RunSpec


def load_once(spec: RunSpec) -> Survey:
    """Read and code the run's data (all municipalities, all periods) once."""
    from reportgen.ingest.sources import load_all

    name = _provisional_name(spec)
    survey = load_all(spec.case_for(name or "?", "", override=False), spec.base, case_file=str(spec.path), focus=False)
    if name is None:
        if not survey.has_municipalities:
            data = spec.defaults.get("data") or {}
            raise InputError(Problem(message("run", "no_municipality_column"), file=str(data["besvarelser"]),
                                     column=((data.get("kolonner") or {}).get("kommune")) or "kommune",
                                     expected=message("run", "no_municipality_column_expected")))
        survey = dataclasses.replace(survey, focus=str(min(survey.responses["kommune"].unique(), default="")))
    return survey


def invited_for_period(spec: RunSpec, survey: Survey, period: str) -> Mapping[str, int] | None:
    """Invited citizens per municipality in ``period`` (``load`` gives the last period's).

    A period of an earlier export (``analyse.tidligere``) has no invited counts: those
    exports are read without the invited file, as in a single build.
    """
    if not survey.invited or not period or not survey.periods or period == survey.periods[-1]:
        return survey.invited
    from reportgen.ingest.load import invited_counts

    case = spec.case_for(survey.focus, period, override=False)  # the shared data settings
    if period in {e.periode for e in case.analyse.tidligere}:
        return None
    return invited_counts(case, spec.base, survey, period, case_file=str(spec.path))


def respondents_in(survey: Survey, item: Item) -> int:
    df = survey.responses
    mask = (df["kommune"] == item.municipality).to_numpy()
    if item.period and "periode" in df.columns:
        mask = mask & (df["periode"] == item.period).to_numpy()
    return int(np.count_nonzero(mask))


def item_survey(survey: Survey, item: Item, invited: Mapping[str, int] | None, min_n: int) -> Survey:
    """``survey`` (read by ``load_once``) as a single build reads it with ``item.municipality``
    as the focus, analysed in ``item.period``."""
    from reportgen.ingest.load import for_focus

    return for_focus(dataclasses.replace(survey, invited=invited), item.municipality, min_n, item.period or None)


def _provisional_name(spec: RunSpec) -> str | None:
    """A municipality name for reading the data (see the module docstring), or None."""
    if isinstance(spec.koersel.kommuner, list) and spec.koersel.kommuner:
        return spec.koersel.kommuner[0]
    data = spec.defaults.get("data") or {}
    if isinstance(data, dict) and data.get("fokus"):
        return str(data["fokus"])
    return _first_invited(spec)


def _first_invited(spec: RunSpec) -> str | None:
    data = spec.defaults.get("data") or {}
    if not isinstance(data, dict) or not data.get("inviterede"):
        return None
    from reportgen.ingest.read import read_table
    from reportgen.ingest.scales import normalize_label

    try:
        table = read_table(spec.resolve(str(data["inviterede"]), "data.inviterede"), display=str(data["inviterede"]),
                           expected=("kommune", "inviterede"), encoding=data.get("kodning"))
    except InputError:
        return None  # load reports it properly
    lower = {normalize_label(h): h for h in table.header}
    col = lower.get("kommune")
    if col is None or not len(table.frame):
        return None
    return _recoded(spec, str(table.frame[col].iloc[0]))


def _recoded(spec: RunSpec, name: str) -> str:
    from reportgen.ingest.scales import normalize_label

    data = spec.defaults.get("data") or {}
    recode = ((data.get("omkodning") or {}).get("kommune")) or {}
    return {normalize_label(k): v for k, v in recode.items()}.get(normalize_label(name), name.strip())
