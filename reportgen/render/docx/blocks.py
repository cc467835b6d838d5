"""The document model's blocks (title, sections, paragraphs, lists, tables, figures) as
body content."""

from __future__ import annotations

import copy
import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from reportgen.models import (
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Section,
    Table,
)
from reportgen.render import KEEP_TOGETHER_ROWS
from reportgen.render.docx.base import text_width
from reportgen.render.docx.look import GREY, Look
from reportgen.render.docx.numbering import Lists
from reportgen.render.docx.ooxml import (
    TBLPR_ORDER,
    TCPR_ORDER,
    W_P,
    W_TC,
    W_TR,
    ensure_child,
    set_alt_text,
)
from reportgen.render.docx.styles import (
    NOTE_STYLE,
    StyleIds,
    TABLE_TEXT_STYLE,
    ensure_paragraph_style,
    restyle,
)
from reportgen.render.docx.tables import (
    ALIGN,
    column_widths,
    set_borders,
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

    def title_block(self, document: Document) -> None:
        sender = self.styles.add(self.doc, name="Normal")
        sender.paragraph_format.space_after = Pt(6)
        sender.paragraph_format.keep_with_next = True
        run = sender.add_run(self.look.name or document.meta.municipality)
        run.bold = True
        run.font.all_caps = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor.from_string(GREY)
        self.styles.add(self.doc, document.meta.title, "Title")
        rows = document.title_rows
        if not rows:
            return
        table = self.doc.add_table(rows=len(rows), cols=2)
        tbl = table._tbl
        set_table_width(tbl, self.width)
        set_borders(tbl, {})
        label_width = min(Cm(4.5), Emu(int(self.width * 0.35)))
        widths = [label_width, Emu(self.width - label_width)]
        set_grid(table, widths)
        for row, (label, value) in zip(table.rows, rows):
            for cell, text, bold in ((row.cells[0], label, True), (row.cells[1], value, False)):
                p = cell.paragraphs[0]
                self.styles.apply(p, TABLE_TEXT_STYLE)
                p.paragraph_format.space_after = Pt(2)
                run = p.add_run(text)
                if bold:
                    run.bold = True

    def section(self, section: Section) -> None:
        self.styles.add(self.doc, section.heading, "Heading 1")
        for block in section.blocks:
            self.block(block)

    def block(self, block: object) -> None:
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
            style = NOTE_STYLE if block.style == "note" else "Normal"
        p = self.styles.add(self.doc, name=style)
        add_runs(p, block)
        return p

    def list(self, block: ListBlock) -> None:
        num_id = self.lists.new_list(block.ordered)
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            p = self.paragraph(item, style=style)
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id

    def table(self, block: Table) -> None:
        ncols = len(block.columns)
        if ncols == 0:
            raise ValueError(f"Table '{block.caption}' has no columns")
        for i, row in enumerate(block.rows):
            if len(row) > ncols:
                raise ValueError(f"Table '{block.caption}': row {i + 1} has {len(row)} cells, "
                                 f"expected at most {ncols} (one per column)")
        if block.caption:
            cap = self.styles.add(self.doc, block.caption, "Caption")
            cap.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1 + len(block.rows), cols=ncols)
        tbl = table._tbl
        tbl.tblStyle_val = self.styles.id("Table Grid", WD_STYLE_TYPE.TABLE)
        set_table_width(tbl, self.width)
        set_borders(tbl, {"top": ("8", "808080"), "bottom": ("8", "808080"),
                           "insideH": ("4", "BFBFBF")})
        set_grid(table, column_widths(block, self.width))
        if block.caption:
            ensure_child(tbl.tblPr, "w:tblCaption", TBLPR_ORDER).set(qn("w:val"), block.caption)
        if block.alt_text or block.caption:
            ensure_child(tbl.tblPr, "w:tblDescription", TBLPR_ORDER).set(
                qn("w:val"), block.alt_text or block.caption)

        aligns = [ALIGN.get(block.align[i] if i < len(block.align) else "left",
                             WD_ALIGN_PARAGRAPH.LEFT) for i in range(ncols)]
        texts = [block.columns] + [tuple(r) + ("",) * (ncols - len(r)) for r in block.rows]
        # The cells' paragraph properties differ only by column and by "keep with next",
        # so each variant is made once and copied (python-docx's per-property setters
        # search the element's children on every call).
        cell_ppr: dict[tuple[int, bool], object] = {}

        def ppr(c: int, keep: bool):
            if (c, keep) not in cell_ppr:
                p = DocxParagraph(OxmlElement("w:p"), table)
                self.styles.apply(p, TABLE_TEXT_STYLE)
                p.alignment = aligns[c]
                p.paragraph_format.space_before = Pt(2)
                p.paragraph_format.space_after = Pt(2)
                if keep:  # a short table stays on one page, as in the PDF
                    p.paragraph_format.keep_with_next = True
                cell_ppr[c, keep] = p._p.pPr
            return copy.deepcopy(cell_ppr[c, keep])

        for r, (tr, values) in enumerate(zip(tbl.iterchildren(W_TR), texts)):
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            keep = len(block.rows) <= KEEP_TOGETHER_ROWS and r < len(block.rows)
            for c, (tc, text) in enumerate(zip(tr.iterchildren(W_TC), values)):
                p_el = tc.find(W_P)
                p_el.insert(0, ppr(c, keep))
                run = add_run(DocxParagraph(p_el, table), text)
                if r == 0:
                    run.bold = True
                    shd = ensure_child(tc.get_or_add_tcPr(), "w:shd", TCPR_ORDER)
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), "F2F2F2")
        if block.note:
            note = self.styles.add(self.doc, block.note, NOTE_STYLE)
            note.paragraph_format.space_before = Pt(3)

    def figure(self, block: Figure) -> None:
        width = min(Cm(block.width_cm), self.width)
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_after = Pt(2)
        p.add_run().add_picture(io.BytesIO(block.png), width=width)
        set_alt_text(p._p, block.alt_text)
        if block.caption:
            self.styles.add(self.doc, block.caption, "Caption")


def add_run(p: DocxParagraph, text: str) -> DocxRun:
    """``p.add_run(text)``; plain text (no tab or line break) goes straight into one ``w:t``
    instead of through python-docx's character-by-character translation."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return p.add_run(text)
    r = p._p.add_r()
    r.add_t(text)
    return DocxRun(r, p)


def add_runs(p: DocxParagraph, block: Paragraph) -> None:
    placeholder = block.style == "placeholder"
    for r in block.runs:
        run = add_run(p, r.text)
        if r.bold:
            run.bold = True
        if r.italic or placeholder:
            run.italic = True
        if placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
