"""Table geometry: width, borders, grid and column widths."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu

from reportgen.models import Table
from reportgen.render.docx.ooxml import TBLPR_ORDER, W_TC, W_TR, ensure_child


ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}


def set_table_width(tbl, width: int) -> None:
    tbl_w = ensure_child(tbl.tblPr, "w:tblW", TBLPR_ORDER)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Emu(width).twips))
    layout = ensure_child(tbl.tblPr, "w:tblLayout", TBLPR_ORDER)
    layout.set(qn("w:type"), "fixed")


def set_borders(tbl, lines: Mapping[str, tuple[str, str]]) -> None:
    """Table borders: the named edges as (size in 1/8 pt, colour), all others none."""
    borders = ensure_child(tbl.tblPr, "w:tblBorders", TBLPR_ORDER)
    for child in list(borders):
        borders.remove(child)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if edge in lines:
            size, color = lines[edge]
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), size)
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), color)
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)


def set_grid(table, widths: Iterable[int]) -> None:
    widths = list(widths)
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
    for tr in table._tbl.iterchildren(W_TR):  # a new table: one cell per grid column, nothing merged
        for tc, width in zip(tr.iterchildren(W_TC), widths):
            tc.width = Emu(width)


def column_widths(block: Table, total: int) -> list[int]:
    """Column widths in EMU in proportion to the longest text each column holds."""
    weights = []
    for i, header in enumerate(block.columns):
        longest_word = max((len(w) for w in header.split()), default=1)
        cells = [len(r[i]) for r in block.rows if i < len(r)]
        weights.append(min(max([longest_word + 1, *cells], default=1), 45) + 2)
    total_weight = sum(weights)
    widths = [int(total * w / total_weight) for w in weights]
    widths[-1] += total - sum(widths)
    return widths
