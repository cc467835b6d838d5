"""The document model's blocks (title, sections, paragraphs, lists, tables, figures) as
body content, each paragraph and run in a named style (``named``)."""

from __future__ import annotations

import copy
import io

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.compat.docx import (
    new_element,
    paragraph_element,
    qn,
    run_element,
    table_element,
)
from reportgen.core.fmt import keep_whole_parts
from reportgen.models.document import Document, Figure, Heading, ListBlock, Paragraph, Section, Table
from reportgen.render import KEEP_TOGETHER_ROWS
from reportgen.render.docx import named
from reportgen.render.docx.base import text_width
from reportgen.render.docx.look import Look
from reportgen.render.docx.numbering import Lists
from reportgen.render.docx.ooxml import (
    PPR_ORDER,
    RPR_ORDER,
    TBLPR_ORDER,
    W_P,
    W_TC,
    W_TR,
    ensure_child,
    first_child,
    set_alt_text,
    set_rstyle,
)
from reportgen.render.docx.styles import (
    CELL_MARGIN_TWIPS,
    StyleIds,
    ensure_paragraph_style,
    restyle,
)
from reportgen.render.docx.tables import (
    COMPACT_FONT_PT,
    TABLE_FONT_PT,
    column_widths,
    proportional_widths,
    set_grid,
    set_table_width,
)


class Body:
    """Adds the document model's blocks to the body of a python-docx document."""

    def __init__(self, doc: docx.document.Document, lists: Lists, look: Look, styles: StyleIds):
        self.doc = doc
        self.lists = lists
        self.look = look
        self.styles = styles
        self.width = text_width(doc)
        self.landscape = False  # in a landscape section opened for wide tables

    def title_block(self, document: Document) -> None:
        sender = self.styles.add(self.doc, name=named.SENDER)
        add_run(sender, self.look.name or document.meta.municipality)
        self.styles.add(self.doc, document.meta.title, "Title")
        rows = document.title_rows
        if not rows:
            return
        table = self.doc.add_table(rows=len(rows), cols=2)  # the default table style: no borders
        set_table_width(table_element(table), self.width)
        label_width = min(Cm(4.5), Emu(int(self.width * 0.35)))
        set_grid(table, [label_width, Emu(self.width - label_width)])
        for row, (label, value) in zip(table.rows, rows):
            for cell, text, style in ((row.cells[0], label, named.TITLE_LABEL),
                                      (row.cells[1], value, named.TITLE_VALUE)):
                p = cell.paragraphs[0]
                self.styles.apply(p, style)
                add_run(p, text)

    def section(self, section: Section) -> None:
        self.back_to_portrait()
        self.styles.add(self.doc, section.heading, "Heading 1")
        for block in section.blocks:
            self.block(block)

    def block(self, block: object) -> None:
        if not isinstance(block, Table):
            self.back_to_portrait()
        if isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, ListBlock):
            self.list(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        else:
            raise TypeError(f"Unknown document block: got {type(block).__name__}, "
                            "expected Paragraph, Heading, ListBlock, Table or Figure")

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), 9)
        name = f"Heading {level}"
        _, created = ensure_paragraph_style(self.doc, name)
        if created:
            restyle(self.doc.styles[name], size=11, bold=True, before=8, after=2,
                     keep_next=True, outline=level - 1, font=self.look.font,
                     color=self.look.color)
        self.styles.add(self.doc, block.text, name)

    def paragraph(self, block: Paragraph, style: str | None = None) -> DocxParagraph:
        if style is None:
            style = named.NOTE if block.style == "note" else "Normal"
        p = self.styles.add(self.doc, name=style)
        add_runs(p, block, self.styles)
        return p

    def list(self, block: ListBlock) -> None:
        num_id = self.lists.new_list(block.ordered)
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            p = self.paragraph(item, style=style)
            if num_id is not None:  # a restarted list (numbering.py)
                num_pr = ensure_child(first_child(paragraph_element(p), "w:pPr"), "w:numPr",
                                      PPR_ORDER)
                for tag, value in (("w:ilvl", 0), ("w:numId", num_id)):
                    el = new_element(tag)
                    el.set(qn("w:val"), str(value))
                    num_pr.append(el)

    def table(self, block: Table) -> None:
        ncols = len(block.columns)
        if ncols == 0:
            raise ValueError(f"Table '{block.caption}' has no columns")
        for i, row in enumerate(block.rows):
            if len(row) > ncols:
                raise ValueError(f"Table '{block.caption}': row {i + 1} has {len(row)} cells, "
                                 f"expected at most {ncols} (one per column)")
        width, widths, landscape, compact = self.table_geometry(block)
        if landscape and not self.landscape:
            self.turn_page(WD_ORIENT.LANDSCAPE)
            self.landscape = True
        elif not landscape:
            self.back_to_portrait()
        if block.caption:
            self.styles.add(self.doc, block.caption, named.TABLE_CAPTION)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=ncols)
        tbl = table_element(table)
        tbl_pr = first_child(tbl, "w:tblPr")
        ensure_child(tbl_pr, "w:tblStyle", TBLPR_ORDER).set(
            qn("w:val"), self.styles.id(named.TABLE_STYLE, WD_STYLE_TYPE.TABLE))
        set_table_width(tbl, width)
        set_grid(table, widths)
        if block.caption:
            ensure_child(tbl_pr, "w:tblCaption", TBLPR_ORDER).set(qn("w:val"), block.caption)
        if block.alt_text or block.caption:
            ensure_child(tbl_pr, "w:tblDescription", TBLPR_ORDER).set(
                qn("w:val"), block.alt_text or block.caption)
        self.table_rows(tbl, block, compact)
        if block.note:
            self.styles.add(self.doc, block.note, named.TABLE_NOTE)

    def back_to_portrait(self) -> None:
        """Close the landscape section of the wide tables before (if any): wide tables in a
        row share one landscape section instead of a page each with a blank portrait page
        between them."""
        if self.landscape:
            self.turn_page(WD_ORIENT.PORTRAIT)
            self.landscape = False

    def table_geometry(self, block: Table) -> tuple[int, list[int], bool, bool]:
        """The table's width, its column widths, whether it needs a landscape page and
        whether its cells are set smaller (``named.TABLE_COMPACT``): portrait if its words
        fit there, else portrait in the smaller size (as the PDF sets a wide table), else a
        landscape page, else portrait with widths in proportion (a word may then break)."""
        for font_pt, compact in ((TABLE_FONT_PT, False), (COMPACT_FONT_PT, True)):
            widths = column_widths(block, self.width, CELL_MARGIN_TWIPS, font_pt)
            if widths is not None:
                return self.width, widths, False, compact
        section = self.doc.sections[-1]
        long_side = max(section.page_height, section.page_width)
        wide = Emu(long_side - section.left_margin - section.right_margin)
        widths = column_widths(block, wide, CELL_MARGIN_TWIPS)
        if widths is not None:
            return wide, widths, True, False
        return self.width, proportional_widths(block, self.width), False, False

    def turn_page(self, orientation: WD_ORIENT) -> None:
        """A section break to a new page in ``orientation``; headers and footers carry on
        from the section before (python-docx's new section links to the previous one)."""
        before = self.doc.sections[-1]
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if before.orientation != orientation:
            section.page_width, section.page_height = before.page_height, before.page_width
        section.orientation = orientation

    def table_rows(self, tbl, block: Table, compact: bool = False) -> None:
        """Each cell's paragraph in its table style (``named.cell_style``), with its text
        (in the smaller ``named.TABLE_COMPACT`` character style when ``compact``)."""
        small = self.styles.id(named.TABLE_COMPACT, WD_STYLE_TYPE.CHARACTER) if compact else None
        ncols = len(block.columns)
        aligns = [block.align[i] if i < len(block.align) else "left" for i in range(ncols)]
        texts = [block.columns] + [tuple(r) + ("",) * (ncols - len(r)) for r in block.rows]
        # A cell's paragraph properties are only its style, so each style's w:pPr is made
        # once and copied.
        pprs: dict[str, object] = {}

        def ppr(name: str):
            if name not in pprs:
                el = new_element("w:pPr")
                ensure_child(el, "w:pStyle", PPR_ORDER).set(qn("w:val"), self.styles.id(name))
                pprs[name] = el
            return copy.deepcopy(pprs[name])

        short = len(block.rows) <= KEEP_TOGETHER_ROWS  # stays on one page, as in the PDF
        for r, (tr, values) in enumerate(zip(tbl.iterchildren(W_TR), texts)):
            tr_pr = first_child(tr, "w:trPr")
            tr_pr.append(new_element("w:cantSplit"))
            if r == 0:
                tr_pr.append(new_element("w:tblHeader"))
            kind = "head" if r == 0 else ("body-keep" if short and r < len(block.rows) else "body")
            for c, (tc, text) in enumerate(zip(tr.iterchildren(W_TC), values)):
                p_el = tc.find(W_P)
                p_el.insert(0, ppr(named.cell_style(kind, aligns[c])))
                run = append_text_run(p_el, text)
                if small is not None:
                    set_rstyle(run, small)

    def figure(self, block: Figure) -> None:
        width = min(Cm(block.width_cm), self.width)
        p = self.styles.add(self.doc, name=named.FIGURE)
        p.add_run().add_picture(io.BytesIO(block.png), width=width)
        set_alt_text(paragraph_element(p), block.alt_text)
        if block.caption:
            self.styles.add(self.doc, block.caption, "Caption")


def append_text_run(p_el, text: str):
    """A run holding ``text`` (no tab or line break) at the end of the paragraph element.
    An age band or number range ("18-29 år", ``fmt.keep_whole_parts``) is kept on one line:
    a no-break space and Word's no-break hyphen (``w:noBreakHyphen``, read back as "-")."""
    r = new_element("w:r")
    chunks = [""]  # text between no-break hyphens
    for part, keep in keep_whole_parts(text):
        if not keep:
            chunks[-1] += part
            continue
        first, *rest = part.replace(" ", "\u00a0").split("-")
        chunks[-1] += first
        chunks += rest
    for i, chunk in enumerate(chunks):
        if i:
            r.append(new_element("w:noBreakHyphen"))
        if chunk:
            t = new_element("w:t")
            t.text = chunk
            if chunk != chunk.strip(" "):
                t.set(qn("xml:space"), "preserve")
            r.append(t)
    p_el.append(r)
    return r


def add_run(p: DocxParagraph, text: str, style_id: str | None = None):
    """``p.add_run(text)`` in the character style ``style_id``; plain text (no tab or line
    break) goes straight into one ``w:t`` instead of through python-docx's
    character-by-character translation."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        r = run_element(p.add_run(text))
    else:
        r = append_text_run(paragraph_element(p), text)
    if style_id is not None:
        set_rstyle(r, style_id)
    return r


def add_runs(p: DocxParagraph, block: Paragraph, styles: StyleIds) -> None:
    """The paragraph's runs, bold and italic through character styles (``named.run_style``);
    a placeholder in the ``Pladsholder`` style."""
    placeholder = block.style == "placeholder"
    for r in block.runs:
        if placeholder:
            el = add_run(p, r.text, styles.id(named.PLACEHOLDER, WD_STYLE_TYPE.CHARACTER))
            if r.bold:  # a run has one character style (documented in named.py)
                ensure_child(first_child(el, "w:rPr"), "w:b", RPR_ORDER)
            continue
        name = named.run_style(r.bold, r.italic)
        add_run(p, r.text, styles.id(name, WD_STYLE_TYPE.CHARACTER) if name else None)
