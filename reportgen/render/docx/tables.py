"""Table geometry: width, grid, and column widths chosen from the content.

Column widths are measured, not guessed: every word of a header (bold) and of a text
cell, and the whole of a figure cell (right or centre aligned; figures never wrap), must
fit its column with the cell margins and a little slack, so Word and LibreOffice never
break a word in the middle ("Overordn-et"). What is left of the width goes to the
columns whose text would otherwise wrap most. When the words cannot fit the width at
all, ``column_widths`` says so (None), and the table goes on a landscape page.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.shared import Emu, Pt

from reportgen.compat.docx import qn, table_element
from reportgen.models.document import Table
from reportgen.render.metrics import longest_word_pt, text_width_pt
from reportgen.render.docx.ooxml import TBLPR_ORDER, TCPR_ORDER, W_TC, W_TR, ensure_child, first_child

TABLE_FONT_PT = 10.0  # the size of the "Tabel …" paragraph styles (named.py)
COMPACT_FONT_PT = 8.0  # the "Tabel lille" character style: a wide table before a landscape page

SLACK = 1.04  # measured widths are widened by 4 % and 1.5 pt: rounding, other renderers

SLACK_PT = 1.5

MAX_SHARE = 0.45  # a column's natural width is capped at this share of the table


def set_table_width(tbl, width: int) -> None:
    tbl_pr = first_child(tbl, "w:tblPr")
    tbl_w = ensure_child(tbl_pr, "w:tblW", TBLPR_ORDER)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Emu(width).twips))
    layout = ensure_child(tbl_pr, "w:tblLayout", TBLPR_ORDER)
    layout.set(qn("w:type"), "fixed")


def set_grid(table, widths: Iterable[int]) -> None:
    """The grid columns' and every cell's width (a new table: one cell per column)."""
    widths = list(widths)
    tbl = table_element(table)
    grid = tbl.find(qn("w:tblGrid"))
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(Emu(width).twips))
    for tr in tbl.iterchildren(W_TR):
        for tc, width in zip(tr.iterchildren(W_TC), widths):
            tc_w = ensure_child(first_child(tc, "w:tcPr"), "w:tcW", TCPR_ORDER)
            tc_w.set(qn("w:w"), str(Emu(width).twips))
            tc_w.set(qn("w:type"), "dxa")


def _fit(width_pt: float, pad_pt: float) -> float:
    return width_pt * SLACK + SLACK_PT + pad_pt


def column_needs(block: Table, pad_pt: float, font_pt: float = TABLE_FONT_PT) -> list[tuple[float, float]]:
    """(least, natural) width in points per column: least fits every word of the
    header and of text cells and every figure cell whole; natural fits every cell on one line."""
    needs = []
    for i, header in enumerate(block.columns):
        align = block.align[i] if i < len(block.align) else "left"
        cells = [r[i] for r in block.rows if i < len(r) and r[i]]
        least = longest_word_pt(header, font_pt, bold=True)
        natural = 0.0
        for text in cells:
            whole = text_width_pt(text, font_pt)
            natural = max(natural, whole)
            least = max(least, whole if align != "left" else longest_word_pt(text, font_pt))
        needs.append((_fit(least, pad_pt), _fit(max(natural, least), pad_pt)))
    return needs


def column_widths(block: Table, total: int, margin_twips: int, font_pt: float = TABLE_FONT_PT) -> list[int] | None:
    """Column widths in EMU that add up to ``total`` and fit every word, or None when the
    words alone are wider than ``total``."""
    total_pt = Emu(total).pt
    needs = column_needs(block, 2 * margin_twips / 20, font_pt)
    least = [lo for lo, _ in needs]
    if sum(least) > total_pt:
        return None
    natural = [min(max(nat, lo), max(lo, MAX_SHARE * total_pt)) for lo, nat in needs]
    if sum(natural) <= total_pt:  # everything on one line; the rest in proportion
        spare = total_pt - sum(natural)
        widths = [n + spare * n / sum(natural) for n in natural]
    else:  # every word fits; the spare width to the columns that wrap most
        spare = total_pt - sum(least)
        wants = [n - lo for lo, n in zip(least, natural)]
        widths = [lo + spare * w / sum(wants) for lo, w in zip(least, wants)]
    emus = [int(Pt(w)) for w in widths]
    emus[-1] += total - sum(emus)
    return emus


def proportional_widths(block: Table, total: int) -> list[int]:
    """Widths in proportion to the longest text of each column: the last resort for a table
    whose words do not fit even a landscape page (a word may then break)."""
    weights = []
    for i, header in enumerate(block.columns):
        longest_word = max((len(w) for w in header.split()), default=1)
        cells = [len(r[i]) for r in block.rows if i < len(r)]
        weights.append(min(max([longest_word + 1, *cells], default=1), 45) + 2)
    widths = [int(total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths

