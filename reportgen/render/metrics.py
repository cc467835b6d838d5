"""Text widths in points, measured with the bundled Carlito's advance widths (fontTools).

Carlito is metric-compatible with Calibri, so a width measured here is the width Word
(Calibri), LibreOffice and WeasyPrint (Carlito) give the same text. Another font (a
theme's or a template's) is measured as Carlito: close enough for sans-serif fonts of the
same size, and the users keep a little slack. Kerning is left out; it only narrows a word.
Used for the DOCX's column widths (``docx/tables.py``) and for fitting the HTML/PDF tables
(``html.table_fit``).
"""

from __future__ import annotations

import re
from functools import cache

from reportgen.core.fmt import keep_whole_parts
from reportgen.core.resources import quiet_font_stamp_warning, templates_dir


_SPACES = re.compile(r"[^\S\u00a0]+")  # white space a line may break at (not the no-break space)


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width per code point in em, and the width of a character Carlito lacks."""
    from fontTools.ttLib import TTFont

    quiet_font_stamp_warning()
    name = "Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf"
    font = TTFont(templates_dir() / "fonts" / name, lazy=True)
    try:
        upm = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] / upm for code, glyph in font.getBestCmap().items()}
    finally:
        font.close()
    return widths, widths.get(ord("M"), 0.8)


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` on one line in points."""
    widths, missing = _advances(bold)
    return size_pt * sum(widths.get(ord(ch), missing) for ch in text)


def longest_word_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of the widest word of ``text`` (words are split at spaces only; an age
    band such as "18-29 år" is one word: the renderers never break it, ``fmt.keep_whole_parts``)."""
    joined = "".join(p.replace(" ", "\u00a0") if keep else p for p, keep in keep_whole_parts(text))
    return max((text_width_pt(word.replace("\u00a0", " "), size_pt, bold) for word in _SPACES.split(joined) if word),
               default=0.0)


def least_table_width_pt(table, size_pt: float, pad_pt: float, figure_pad_pt: float | None = None) -> float:
    """The narrowest a ``models.Table`` can be set without breaking a word: per column the
    widest header word (bold) or word of a text cell, or the whole of a figure cell (right
    or centre aligned cells do not wrap), plus ``pad_pt`` of padding (``figure_pad_pt`` for
    right-aligned columns when given)."""
    return sum(least for least, _ in _column_extents(table, size_pt, pad_pt, figure_pad_pt))


def column_widths_pt(table, size_pt: float, pad_pt: float, figure_pad_pt: float, available_pt: float) -> list[float]:
    """The widths of a ``models.Table``'s columns at the full ``available_pt``, laid out as
    a browser lays out a table of width 100 % (CSS 2.1's automatic table layout): each
    column between its least width (``least_table_width_pt``: no word broken) and its
    widest (no cell broken at all). When every column gets its widest, the space left is
    shared in proportion to those widths; else each gets its least and the space left is
    shared in proportion to how much more each would take. Right-aligned columns (figures)
    never wrap. Too narrow even for the least widths, the least widths are returned (the
    caller scales them)."""
    extents = _column_extents(table, size_pt, pad_pt, figure_pad_pt)
    least = [lo for lo, _ in extents]
    most = [m for _, m in extents]
    if sum(most) <= available_pt:
        extra = available_pt - sum(most)
        return [m + extra * m / sum(most) for m in most] if sum(most) > 0 else most
    if sum(least) >= available_pt:
        return least
    extra = available_pt - sum(least)
    gaps = [m - lo for lo, m in zip(least, most)]
    return [lo + extra * g / sum(gaps) for lo, g in zip(least, gaps)]


def _column_extents(table, size_pt: float, pad_pt: float, figure_pad_pt: float | None) -> list[tuple[float, float]]:
    """Per column, padding included: (the least width, no word broken; the widest, no line
    of a cell broken)."""
    out = []
    for i, header in enumerate(table.columns):
        align = table.align[i] if i < len(table.align) else "left"
        least = longest_word_pt(header, size_pt, bold=True)
        most = max((text_width_pt(line, size_pt, bold=True) for line in header.split("\n")), default=0.0)
        for row in table.rows:
            if i < len(row) and row[i]:
                text = row[i]
                least = max(least, text_width_pt(text, size_pt) if align != "left" else longest_word_pt(text, size_pt))
                most = max(most, max(text_width_pt(line, size_pt) for line in text.split("\n")))
        pad = figure_pad_pt if figure_pad_pt is not None and align == "right" else pad_pt
        out.append((least + pad, max(most, least) + pad))
    return out
