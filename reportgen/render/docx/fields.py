"""Word fields: the page numbers in the footer."""

from __future__ import annotations

from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.compat.docx import new_element, qn, run_element
from reportgen.render.docx.ooxml import has_drawing
from reportgen.render.docx.styles import StyleIds


def add_page_numbers(footer, styles: StyleIds) -> None:
    """'Side X af Y' with real PAGE and NUMPAGES fields, unless a PAGE field is there."""
    for el in footer.part.element.iter(qn("w:instrText"), qn("w:fldSimple")):
        instr = el.text if el.tag == qn("w:instrText") else el.get(qn("w:instr"))
        if instr and instr.split() and instr.split()[0].upper() == "PAGE":
            return
    paragraphs = footer.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not has_drawing(paragraphs[0]):
        p = paragraphs[0]
    else:
        p = footer.add_paragraph()
    styles.apply(p, "Footer")  # right-aligned by the style (styles.py)
    p.add_run("Side ")
    add_field(p, "PAGE")
    p.add_run(" af ")
    add_field(p, "NUMPAGES")


def add_field(p: DocxParagraph, instr: str) -> None:
    """A complex field: begin, instruction, separate, cached result, end."""
    def fld_char(kind: str):
        run = p.add_run()
        el = new_element("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run_element(run).append(el)

    fld_char("begin")
    run = p.add_run()
    instr_el = new_element("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    run_element(run).append(instr_el)
    fld_char("separate")
    p.add_run("1")
    fld_char("end")
