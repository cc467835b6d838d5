"""``analyse.prioritet.maal`` → the one question or theme it names (``resolve_target``).

A question by its id (``q1_1``), its number as the citizens saw it (``1.1``, ``Spm. 2a``)
or its data column (``S1_1``), or a theme by name; exact spelling first, then without
regard to case and spacing. The loader's check with its Danish problems is
``ingest.references.check_target``; this module needs only the questions and themes, so
that analysis can resolve the target without the loader's machinery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from reportgen.models.survey import Question


@dataclass(frozen=True)
class Target:
    """What ``prioritet.maal`` names: a question (by id) or a theme."""

    kind: Literal["spoergsmaal", "tema"]
    name: str  # the question's id, or the theme


def norm(text: str) -> str:
    """For tolerant matching: case-folded, whitespace runs collapsed."""
    return " ".join(str(text).split()).casefold()


def _matches(maal: str, questions: Sequence[Question], themes: Sequence[str],
             same: object) -> set[Target]:
    found = {Target("spoergsmaal", q.id) for q in questions
             if any(same(maal, v) for v in (q.id, q.number, q.column) if v)}  # type: ignore[operator]
    found |= {Target("tema", t) for t in themes if same(maal, t)}  # type: ignore[operator]
    return found


def target_candidates(maal: str, questions: Sequence[Question], themes: Sequence[str]) -> set[Target]:
    """Every question/theme ``maal`` names: exact spelling first, else ignoring case and spacing."""
    maal = maal.strip()
    exact = _matches(maal, questions, themes, lambda a, b: a == str(b).strip())
    return exact or _matches(maal, questions, themes, lambda a, b: norm(a) == norm(b))


def resolve_target(maal: str | None, questions: Sequence[Question], themes: Sequence[str]) -> Target | None:
    """The one question or theme ``maal`` names; None when it names none or several (the
    loader has then refused the case with ``check_target``)."""
    if not (maal or "").strip():
        return None
    found = target_candidates(str(maal), questions, themes)
    return found.pop() if len(found) == 1 else None
