"""Marks in table cells and the footnotes that explain them, only where they apply.

Two marks: ``DASH`` ("–") for a figure that is not shown (fewer than ``min_n`` answered,
or it could be worked out from the others) and ``NOT_ASKED`` ("·") for a question or
theme that was not asked in a measurement or of a group. A block puts the mark in its
cells; ``with_mark_notes`` adds each mark's footnote (``templates/text/note_*.txt.j2``)
to a table's note only when one of its cells is exactly that mark.
"""

from __future__ import annotations

import dataclasses

from reportgen.core.templating import render_text
from reportgen.models.document import Block, Table

DASH = "–"
NOT_ASKED = "·"
CHALLENGE = "*"  # after the quadrant in the priority table: an udfordring by the text's rule

_NOTES = ((DASH, "note_undertrykt"), (NOT_ASKED, "note_ikke_spurgt"))


def marks_in(table: Table) -> set[str]:
    """The marks that stand alone in a cell of ``table``."""
    cells = {c.strip() for row in table.rows for c in row}
    return {mark for mark, _ in _NOTES if mark in cells}


def with_mark_notes(block: Block, min_n: int) -> Block:
    """``block`` with the footnote of every mark its cells hold added to its note."""
    if not isinstance(block, Table):
        return block
    used = marks_in(block)
    notes = [render_text(name, mark=mark, min_n=min_n) for mark, name in _NOTES if mark in used]
    if not notes:
        return block
    note = " ".join(p for p in (block.note.strip(), *notes) if p)
    return dataclasses.replace(block, note=note)
