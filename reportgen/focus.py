"""One loaded ``Survey`` → the ``Survey`` of each batch item (its focus municipality and period).

The data is read and coded once. What differs per item is small and is derived here:
the focus municipality, the invited counts of the item's period (for its response rate)
and the data warnings about the focus municipality. The result is what ``load`` would
have returned for a case file with that ``data.fokus`` — a test holds batch and single
builds to the same bytes.

``load`` always needs a focus that is present in the data, even to read the data for
every municipality; ``load_once`` picks one (the first listed municipality, the
defaults' ``data.fokus``, the first row of the invited file) and only when none of
these is in the data reads the municipality column to find one.

The per-focus warnings and the invited counts of an earlier period come from private
helpers of ``reportgen.load`` (``_warnings``, ``_read_invited``, ``_invited``), so that
the texts and checks are the ones a single build uses. They are reached only from this
module; tests/test_batch.py holds a batch item and a single build to the same bytes,
which fails if the helpers change. A public ``load`` API for both would remove this.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from reportgen.errors import InputError, Problem
from reportgen.models import Survey
from reportgen.plan import Item
from reportgen.runfile import RunSpec


def load_once(spec: RunSpec) -> Survey:
    """Read and code the run's data (all municipalities, all periods) once."""
    from reportgen.load import load

    tried: set[str] = set()
    for name in _candidates(spec):
        if name in tried:
            continue
        tried.add(name)
        try:
            return load(spec.case_for(name, ""), spec.base, case_file=str(spec.path))
        except InputError as exc:
            if not all(p.column == "data.fokus" for p in exc.problems):
                raise
    name = _first_municipality_in_data(spec)
    return load(spec.case_for(name, ""), spec.base, case_file=str(spec.path))


def invited_for_period(spec: RunSpec, survey: Survey, period: str) -> Mapping[str, int] | None:
    """Invited citizens per municipality in ``period`` (``load`` gives the last period's)."""
    if not survey.invited or not period or not survey.periods or period == survey.periods[-1]:
        return survey.invited
    from reportgen import load as loadmod  # private helpers: see the module docstring

    case = spec.case_for(survey.focus, period)
    work = loadmod._Work(str(spec.path))
    table = loadmod._read_invited(case, spec.base, work)
    rows = survey.responses.loc[(survey.responses["periode"] == period).to_numpy()].reset_index(drop=True)
    invited = loadmod._invited(table, rows, survey.focus, case, work) if table is not None else None
    if work.problems:
        raise InputError(work.problems)
    return invited


def respondents_in(survey: Survey, item: Item) -> int:
    df = survey.responses
    mask = (df["kommune"] == item.municipality).to_numpy()
    if item.period and "periode" in df.columns:
        mask = mask & (df["periode"] == item.period).to_numpy()
    return int(np.count_nonzero(mask))


def focus_warnings(survey: Survey, focus: str, min_n: int) -> list[str]:
    """The data warnings ``load`` gives about one focus municipality."""
    from reportgen.load import _warnings  # private helper: see the module docstring

    return list(_warnings(list(survey.questions), survey.responses, survey.missing_kind, focus, min_n))


def general_warnings(survey: Survey, min_n: int) -> tuple[str, ...]:
    """The loaded survey's warnings without those about its (provisional) focus, which come last."""
    own = focus_warnings(survey, survey.focus, min_n)
    warnings = tuple(survey.account.warnings)
    if own and warnings[len(warnings) - len(own):] == tuple(own):
        return warnings[:len(warnings) - len(own)]
    return tuple(w for w in warnings if w not in own)


def item_survey(survey: Survey, item: Item, invited: Mapping[str, int] | None, min_n: int,
                general: tuple[str, ...]) -> Survey:
    """``survey`` as ``load`` would return it with ``item.municipality`` as the focus."""
    warnings = general + tuple(focus_warnings(survey, item.municipality, min_n))
    account = dataclasses.replace(survey.account, warnings=warnings)
    return dataclasses.replace(survey, focus=item.municipality, invited=invited, account=account)


def _candidates(spec: RunSpec) -> list[str]:
    out = []
    if isinstance(spec.koersel.kommuner, list):
        out.extend(spec.koersel.kommuner[:1])
    data = spec.defaults.get("data") or {}
    if isinstance(data, dict) and data.get("fokus"):
        out.append(str(data["fokus"]))
    first = _first_invited(spec)
    if first:
        out.append(first)
    return out


def _first_invited(spec: RunSpec) -> str | None:
    data = spec.defaults.get("data") or {}
    if not isinstance(data, dict) or not data.get("inviterede"):
        return None
    from reportgen.load.read import read_table
    from reportgen.scales import normalize_label

    try:
        table = read_table(_resolve(spec, str(data["inviterede"])), display=str(data["inviterede"]),
                           expected=("kommune", "inviterede"), encoding=data.get("kodning"))
    except InputError:
        return None  # load reports it properly
    lower = {normalize_label(h): h for h in table.header}
    col = lower.get("kommune")
    if col is None or not len(table.frame):
        return None
    return _recoded(spec, str(table.frame[col].iloc[0]))


def _first_municipality_in_data(spec: RunSpec) -> str:
    from reportgen.load.read import read_table

    data = spec.defaults.get("data") or {}
    col = ((data.get("kolonner") or {}).get("kommune")) or "kommune"
    table = read_table(_resolve(spec, str(data["besvarelser"])), display=str(data["besvarelser"]),
                       expected=(col,), sheet=data.get("ark"), encoding=data.get("kodning"))
    values = [v for v in table.frame[col].astype(str) if v.strip()] if col in table.header else []
    if not values:
        raise InputError(Problem("Besvarelserne har ingen kommunekolonne at danne sagsfremstillinger ud fra",
                                 file=str(data["besvarelser"]), column=col,
                                 expected="en kolonne med kommunens navn (data.kolonner.kommune), eller én kommune "
                                          "i koersel.kommuner"))
    return _recoded(spec, values[0])


def _recoded(spec: RunSpec, name: str) -> str:
    from reportgen.scales import normalize_label

    data = spec.defaults.get("data") or {}
    recode = ((data.get("omkodning") or {}).get("kommune")) or {}
    return {normalize_label(k): v for k, v in recode.items()}.get(normalize_label(name), name.strip())


def _resolve(spec: RunSpec, rel: str) -> Path:
    p = Path(rel)
    return p if p.is_absolute() else spec.base / p
