"""One focus municipality and period of a loaded ``Survey``: the account's period split
and the warnings about that municipality."""

from __future__ import annotations

import dataclasses

import numpy as np

from reportgen.core.templating import message
from reportgen.models.survey import MISSING_LABEL, DataAccount, Survey


def for_focus(survey: Survey, focus: str, min_n: int, period: str | None = None) -> Survey:
    """``survey`` as ``load`` returns it with ``focus`` as the focus municipality and ``period``
    (default: the latest) as the analysed period.

    ``survey`` must hold no warnings about a focus yet: load it with ``warn_focus=False``
    (or ``sources.load_all(..., focus=False)``). The focus is not matched against the
    data here; pass it as the data spells it. The invited counts are left as they are.
    """
    account = account_for_period(survey, period)
    warnings = account.warnings + tuple(focus_warnings(survey, focus, min_n, period))
    return dataclasses.replace(survey, focus=focus, account=dataclasses.replace(account, warnings=warnings))


def account_for_period(survey: Survey, period: str | None = None) -> DataAccount:
    """The survey's account with its used rows split by period: in ``period`` (default:
    the latest), in earlier periods (used only for the trend) and in later ones."""
    acc, df = survey.account, survey.responses
    chosen = _analysed_period(survey, period)
    if chosen is None:
        return dataclasses.replace(acc, period="", rows_earlier=0, rows_later=0)
    idx = survey.periods.index(chosen)
    counts = df["periode"].value_counts()
    earlier = sum(int(counts.get(p, 0)) for p in survey.periods[:idx])
    later = sum(int(counts.get(p, 0)) for p in survey.periods[idx + 1:])
    return dataclasses.replace(acc, period=chosen, rows_earlier=earlier, rows_later=later)


def focus_warnings(survey: Survey, focus: str, min_n: int, period: str | None = None) -> list[str]:
    """The warnings about one focus municipality in the analysed ``period`` (default: the latest).

    Per question: every answer is 'Ved ikke' or the like, or fewer valid answers than
    ``min_n`` (not shown) or than 4 × ``min_n`` (read with caution). Counts are of the
    analysed period only, as are the results they warn about. Also: an earlier period
    in which the municipality has no answers at all (the trend has no figures for it).
    """
    df = survey.responses
    rows = (df["kommune"] == focus).to_numpy()
    chosen = _analysed_period(survey, period)
    shown_period = None  # named in the warnings when the data has more than one period
    out = []
    if chosen is not None:
        per = df["periode"].to_numpy(dtype=object)
        present = set(per[rows].tolist())
        rows = rows & (per == chosen)
        if len(survey.periods) > 1:
            shown_period = chosen
    for q in survey.questions:
        vals = df[q.id].to_numpy()
        n_focus = int((~np.isnan(vals[rows])).sum())
        k = survey.missing_kind[q.id].to_numpy()[rows]
        if len(k) and (k == MISSING_LABEL).all():
            out.append(message("ingest", "focus_all_dont_know", focus=focus, period=shown_period, number=q.number,
                               column=q.column))
        elif n_focus < min_n:
            out.append(message("ingest", "focus_too_few_hidden", number=q.number, column=q.column, n=n_focus,
                               focus=focus, period=shown_period))
        elif n_focus < 4 * min_n:
            out.append(message("ingest", "focus_too_few_caution", number=q.number, column=q.column, n=n_focus,
                               focus=focus, period=shown_period))
    if chosen is not None:
        for p in survey.periods[:survey.periods.index(chosen)]:
            if p not in present:
                out.append(message("ingest", "focus_no_answers_in_period", focus=focus, period=p))
    return out


def _analysed_period(survey: Survey, period: str | None) -> str | None:
    """``period`` or the latest; None when the data has no periods."""
    if not survey.periods or "periode" not in survey.responses.columns:
        return None
    chosen = period or survey.periods[-1]
    if chosen not in survey.periods:
        raise ValueError(f"unknown period {chosen!r}; known: {', '.join(survey.periods)}")
    return chosen
