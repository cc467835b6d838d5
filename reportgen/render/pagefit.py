"""No page left half empty before a figure: the PDF's blocks adjusted to the laid-out pages.

A figure (or a table kept on one page) that does not fit below the text before it goes
to the next page and leaves the rest of the page empty, with either PDF engine (Typst's
and WeasyPrint's pages are read the same way: ``PageExtents``). ``fit`` lays the document
out (``lay_out``), looks for such pages — a page filled
less than ``MIN_FILL`` whose next page starts with a figure or a kept-together table of the
same section, or with a section heading that went along with a kept-together table — and
changes the document for the PDF only, then lays it out again (at most ``MAX_PASSES``
times):

1. a figure that fits when it is at least ``SHRINK_FIRST`` of its height is made smaller
   (its width, and with it its height, keeping the proportions);
2. else a figure is moved after the block that follows it in its section, or, at the end
   of its section, before the table or figure on the page before it;
3. else it is made as small as ``SHRINK_LEAST`` of its height allows, if that fits;
4. a kept-together table is allowed to break across the pages (its header repeats); this
   is also the remedy when the next section's heading and first table left the page.

A pass that only lets tables break does not lay the whole document out again: the PDF
renderer re-makes the pages from the half-empty page on (``allow_break``,
``compat.weasyprint_refit``), which gives the same pages.

Every block stays in its section, and no sentence, figure or number changes: only where a
figure or table stands, and how large a figure is printed. The HTML preview and the DOCX
keep the document's own order (Word lays out its own pages).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Generic, TypeVar

from reportgen.compat.weasyprint_layout import Extent, PageExtents
from reportgen.models.document import KEEP_TOGETHER_ROWS, Document, Figure, Table

__all__ = ["fit", "MIN_FILL", "MAX_PASSES"]

MIN_FILL = 0.66  # a page before a figure is filled at least this much (of its text height)
SHRINK_FIRST = 0.75  # shrink rather than move when the figure keeps this much of its height
SHRINK_LEAST = 0.6  # never print a figure smaller than this share of its height
MAX_PASSES = 4  # layouts after the first
_PX_PER_CM = 96 / 2.54
_SLACK_PX = 6.0  # margins that collapse differently at the page's top

L = TypeVar("L")


@dataclasses.dataclass(frozen=True)
class Fitted(Generic[L]):
    """The layout of the fitted document, and the blocks it let break across pages."""

    layout: L
    document: Document
    split_tables: frozenset[int]


Breaks = tuple[tuple[str, int], ...]  # (section, block index) of the tables let break in a pass


def fit(document: Document, lay_out: Callable[[Document, frozenset[int]], L],
        extents_of: Callable[[L], list[PageExtents | None]],
        allow_break: Callable[[L, Breaks, int], L | None] | None = None) -> Fitted[L]:
    """Lay out ``document`` (``lay_out(document, split_tables)``: ``split_tables`` are the
    ``id()`` of the tables that may break) and fit it as the module docstring says;
    ``extents_of(layout)`` gives each page's blocks (None for a page whose blocks could
    not be read: WeasyPrint's ``compat.weasyprint_layout.page_extents``, Typst's layout
    marks in ``render.pdf_typst``). Each pass mends every gap it finds (one per section,
    as a change moves the blocks after it) and lays the document out again.

    ``allow_break(layout, tables, from_page)``, when given, re-makes ``layout`` from page
    ``from_page`` (0-based) on with those tables let break — the layout ``lay_out`` would
    give, only cheaper — or returns None; it is used for a pass that only lets tables break."""
    split: frozenset[int] = frozenset()
    layout = lay_out(document, split)
    tried: set[tuple[str, int, str]] = set()
    for _ in range(MAX_PASSES):
        pages = extents_of(layout)
        if not pages or any(p is None for p in pages):
            break
        changed = _mend(document, pages, split, tried)  # type: ignore[arg-type]
        if changed is None:
            break
        document, split, breaks = changed
        refitted = allow_break(layout, breaks[1], breaks[0]) if allow_break is not None and breaks else None
        layout = refitted if refitted is not None else lay_out(document, split)
    return Fitted(layout, document, split)


def _gaps(pages: list[PageExtents]) -> list[tuple[int, PageExtents, Extent, float]]:
    """(page number from 0, page, the block that starts the next page, free px) for each
    page filled less than ``MIN_FILL`` before a block of the same section that was not
    carried over."""
    out = []
    for number, (page, after) in enumerate(zip(pages, pages[1:])):
        if not page.blocks or not after.blocks:
            continue
        first, last = after.blocks[0], page.blocks[-1]
        if (last.bottom - page.top) >= MIN_FILL * (page.bottom - page.top):
            continue
        on_page = {(b.section, b.index) for b in page.blocks}
        if (first.section, first.index) in on_page:
            continue  # a block carried over
        if first.index < 0 and len(after.blocks) > 1 and after.blocks[1].index == 0:
            # A new section whose heading went along with a kept-together table: the table
            # may break instead (a figure never leaves its section's first place).
            out.append((number, page, after.blocks[1], page.bottom - last.bottom - _SLACK_PX))
        elif first.section == last.section and first.index >= 0:
            out.append((number, page, first, page.bottom - last.bottom - _SLACK_PX))
    return out


def _mend(document: Document, pages: list[PageExtents], split: frozenset[int],
          tried: set[tuple[str, int, str]]) -> tuple[Document, frozenset[int], tuple[int, Breaks] | None] | None:
    """The document and the tables let break after mending the gaps, and — when the pass
    only let tables break — the first page it changes and those tables; None: no change."""
    done: set[str] = set()
    breaks: list[tuple[str, int]] = []
    first_page, figures = len(pages), False
    for number, page, first, free in _gaps(pages):
        if first.section in done:
            continue
        s = next(i for i, sec in enumerate(document.sections) if sec.key == first.section)
        block = document.sections[s].blocks[first.index]
        key = (first.section, first.index, type(block).__name__)
        if key in tried:
            continue
        tried.add(key)
        if isinstance(block, Table) and len(block.rows) <= KEEP_TOGETHER_ROWS and id(block) not in split:
            split = split | {id(block)}
            done.add(first.section)
            breaks.append((first.section, first.index))
            first_page = min(first_page, number)
        elif isinstance(block, Figure) and first.section == page.blocks[-1].section:
            changed = _figure_remedy(document, s, first.index, page, first, free)
            if changed is not None:
                document = changed
                done.add(first.section)
                figures = True
    if not done:
        return None
    return document, split, (None if figures else (first_page, tuple(breaks)))


def _figure_remedy(document: Document, s: int, index: int, page: PageExtents, box: Extent,
                   free: float) -> Document | None:
    blocks = list(document.sections[s].blocks)
    figure = blocks[index]
    shrunk = _shrunk(figure, box, free)
    before = next((b for b in page.blocks if b.section == box.section and b.index == index - 1), None)
    if shrunk is not None and shrunk[1] >= SHRINK_FIRST:
        blocks[index] = shrunk[0]
    elif index + 1 < len(blocks):
        blocks[index], blocks[index + 1] = blocks[index + 1], blocks[index]
    elif index > 0 and isinstance(blocks[index - 1], (Table, Figure)) and before is not None:
        # Before the table or figure above it: it then has that block's room as well.
        room = _shrunk(figure, box, free + before.bottom - before.top)
        moved = room[0] if room is not None and SHRINK_LEAST <= room[1] < 1 else figure
        blocks[index - 1], blocks[index] = moved, blocks[index - 1]
    elif shrunk is not None and shrunk[1] >= SHRINK_LEAST:
        blocks[index] = shrunk[0]
    else:
        return None
    sections = list(document.sections)
    sections[s] = dataclasses.replace(sections[s], blocks=tuple(blocks))
    return dataclasses.replace(document, sections=tuple(sections))


def _shrunk(figure: Figure, box, free: float) -> tuple[Figure, float] | None:
    """The figure made small enough to fit in ``free`` px, and the share of its height it keeps."""
    if not box.image_height or not box.image_width:
        return None
    excess = (box.bottom - box.top) - free
    new_height = box.image_height - excess
    if new_height <= 0:
        return None
    scale = new_height / box.image_height
    return dataclasses.replace(figure, width_cm=round(box.image_width * scale / _PX_PER_CM, 2)), scale
