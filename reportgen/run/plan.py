"""A run's selection + the loaded data → the items to build: (period, municipality) pairs.

``kommuner: alle`` means every municipality with answers in that period; a list is
matched against the names in the data the way a case file's ``data.fokus`` is (case,
spaces and a trailing " Kommune" do not matter), and a name found in no period at all
is an error in the run file. ``perioder`` is ``seneste`` (the last period in sort order),
``alle`` or a list. Data without a period column has one period, shown as "samlet".
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reportgen.core.templating import message
from reportgen.errors import InputError, Problem
from reportgen.run.manifest import NO_PERIOD_LABEL, item_id
from reportgen.models.survey import Survey
from reportgen.run.runfile import Koersel, name_forms

@dataclass(frozen=True)
class Item:
    """One report to build. ``period`` is "" when the data has no periods."""

    period: str
    municipality: str

    @property
    def period_label(self) -> str:
        return self.period or NO_PERIOD_LABEL

    @property
    def id(self) -> str:
        return item_id(self.period, self.municipality)


def plan_items(koersel: Koersel, survey: Survey, source: str) -> list[Item]:
    """The items the selection names, in (period, municipality) order."""
    periods = select_periods(koersel, survey.periods, source)
    kommune = survey.responses["kommune"].to_numpy()
    has_period = bool(survey.periods) and "periode" in survey.responses.columns
    period_col = survey.responses["periode"].to_numpy() if has_period else None
    if isinstance(koersel.kommuner, list):
        chosen = match_names(koersel.kommuner, sorted(set(kommune)), source, "koersel.kommuner")
    items: list[Item] = []
    for p in periods:
        if isinstance(koersel.kommuner, list):
            names = chosen
        else:
            rows = kommune if period_col is None else kommune[period_col == p]
            names = sorted(set(np.asarray(rows).tolist()))
        items.extend(Item(p, m) for m in names)
    return items


def select_periods(koersel: Koersel, available: Sequence[str], source: str) -> list[str]:
    if not available:
        return [""]
    if koersel.perioder == "seneste":
        return [available[-1]]
    if koersel.perioder == "alle":
        return list(available)
    out = []
    for p in koersel.perioder:
        if p not in available:
            raise InputError(Problem(message("run", "period_not_found"), file=source, key="koersel.perioder",
                                     value=p, expected=message("run", "one_of", names=available)))
        out.append(p)
    return out


def match_names(wanted: Sequence[str], present: Sequence[str], source: str, column: str) -> list[str]:
    """Each wanted municipality as it is spelled in the data; unknown names are an error."""
    norm: dict[str, str] = {}
    for p in present:
        for form in name_forms(p):
            norm.setdefault(form, p)
    out: list[str] = []
    problems = []
    for name in wanted:
        found = next((norm[f] for f in name_forms(name) if f in norm), None)
        if found is None:
            hint = difflib.get_close_matches(name, list(present), n=1)
            problems.append(Problem(message("run", "municipality_not_found"), file=source, column=column,
                                    value=name, expected=(message("run", "did_you_mean", hint=hint[0]) if hint else "")
                                    + message("run", "one_of", names=list(present)[:50])))
        elif found not in out:
            out.append(found)
    if problems:
        raise InputError(problems)
    return out
