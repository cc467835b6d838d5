"""Text widths in points, measured with the bundled Carlito's advance widths (fontTools).

Carlito is metric-compatible with Calibri, so a width measured here is the width Word
(Calibri) and LibreOffice (Carlito) give the same text. Another font (a theme's or a
template's) is measured as Carlito: close enough for sans-serif fonts of the same size,
and the column widths keep a little slack (``tables.SLACK``). Kerning is left out; it only
narrows a word.
"""

from __future__ import annotations

from functools import cache

from reportgen.core.resources import templates_dir


@cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance width per code point in em, and the width of a character Carlito lacks."""
    from fontTools.ttLib import TTFont

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
    """The width of the widest word of ``text`` (words are split at spaces only)."""
    return max((text_width_pt(word, size_pt, bold) for word in text.split()), default=0.0)
