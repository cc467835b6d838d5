"""Names in the case's ``analyse`` section → the data they refer to, or problems.

* ``analyse.prioritet.maal`` names the overall-satisfaction measure of the priority map:
  a question by its id (``q1_1``), its number as the citizens saw it (``1.1``, ``Spm. 2a``)
  or its data column (``S1_1``), or a theme by name (``Overordnet tilfredshed``). Exact
  spelling is tried first, then without regard to case and spacing. A name that matches
  nothing, or two different questions/themes, is a problem naming the value and the
  candidates. ``ingest.targets.resolve_target`` is the one resolver: the loader checks
  with it here, and the priority map and the handleplan's "samlet set" resolve with it.
* ``analyse.grupper`` names background variables to break the results down by: the role
  keys of ``data.kolonner`` (``maalgruppe``, ``koen``, ``alder``, an ``ekstra`` key). Written
  in the case file, a name with no mapped column is a problem (exit 2) that names the value
  and the names that can be used, and says how to map a data column of that name. The
  *default* (``[maalgruppe]``) is left out quietly when ``data.kolonner`` maps no target
  group: a local survey often has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportgen.core.templating import message
from reportgen.errors import Problem
from reportgen.ingest.catalogue import resolve_column
from reportgen.ingest.targets import norm, target_candidates
from reportgen.models.survey import Question
from reportgen.settings.case import CaseFile

MAX_LISTED = 12


def check_target(case: CaseFile, questions: Sequence[Question], themes: Sequence[str], case_file: str,
                 problems: list[Problem]) -> None:
    """A problem when ``analyse.prioritet.maal`` names no question or theme, or more than one."""
    maal = (case.analyse.prioritet.maal or "").strip()
    if not maal or not questions:
        return
    found = target_candidates(maal, questions, themes)
    if len(found) == 1:
        return
    where = "analyse.prioritet.maal"
    if found:
        names = sorted(message("ingest", "target_candidate", question=t.kind == "spoergsmaal", name=t.name)
                       for t in found)
        problems.append(Problem(message("ingest", "target_ambiguous", names=names), file=case_file,
                                key=where, value=maal, expected=message("ingest", "target_ambiguous_expected")))
        return
    ids = [q.id for q in questions]
    numbers = [q.number for q in questions if q.number]
    listed = lambda xs: ", ".join(xs[:MAX_LISTED]) + (" …" if len(xs) > MAX_LISTED else "")  # noqa: E731
    expected = message("ingest", "target_missing_expected", ids=listed(ids),
                       numbers=listed(numbers) if numbers else None, themes=listed(list(themes)))
    problems.append(Problem(message("ingest", "target_missing"), file=case_file, key=where, value=maal,
                            expected=expected))


def check_groups(case: CaseFile, roles: Mapping[str, str], header: Sequence[str], case_file: str,
                 problems: list[Problem]) -> None:
    """A problem for each name the case file lists in ``analyse.grupper`` that is no mapped
    background variable; the default (``[maalgruppe]``) is left out quietly when unmapped."""
    if "grupper" not in case.analyse.model_fields_set:
        return
    usable = {role: col for role, col in roles.items() if role not in ("respondent_id", "kommune", "kommentar")}
    by_column = {norm(col): role for role, col in usable.items()}
    for i, name in enumerate(case.analyse.grupper):
        if name in usable:
            continue
        actual = resolve_column(name, list(header))
        if norm(name) in by_column:
            expected = message("ingest", "group_role_expected", role=by_column[norm(name)], name=name)
        elif actual is not None:
            expected = message("ingest", "group_unmapped_expected", column=actual,
                               example=f"{{{name}: {actual}}}")
        elif usable:
            expected = message("ingest", "group_mapped_expected", names=list(usable))
        else:
            expected = message("ingest", "group_none_mapped_expected")
        problems.append(Problem(message("ingest", "group_missing"), file=case_file,
                                key=f"analyse.grupper[{i + 1}]", value=name, expected=expected))
