"""Small OOXML helpers shared by the DOCX renderer's modules: the schema order of
property elements, ordered insertion, and picture attributes."""

from __future__ import annotations

from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from reportgen.compat.docx import new_element, paragraph_element, qn


# Schema order of the children of w:pPr, w:rPr, w:tblPr and w:tcPr (ECMA-376 part 1);
# Word asks to repair a file whose property elements are out of this order.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)

RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
    "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)

TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)

TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)

STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)

NUMBERING_ORDER = ("w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup")


def ensure_child(parent, tag: str, order: tuple[str, ...]):
    """The child ``tag`` of ``parent``, created at its schema position if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    el = new_element(tag)
    later = {qn(t) for t in order[order.index(tag) + 1:]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(el)
            return el
    parent.append(el)
    return el


def insert_ordered(parent, el, order: tuple[str, ...]) -> None:
    """Append ``el`` after its own kind and before later kinds in ``order``."""
    later = {qn(t) for t in order[order.index(el.prefix + ":" + etree.QName(el).localname) + 1:]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(el)
            return
    parent.append(el)

W_TR, W_TC, W_P = qn("w:tr"), qn("w:tc"), qn("w:p")


def set_alt_text(p_el, alt_text: str) -> None:
    for doc_pr in p_el.iter(qn("wp:docPr")):
        doc_pr.set("descr", alt_text)
        doc_pr.set("title", alt_text)
    for c_nv_pr in p_el.iter(qn("pic:cNvPr")):
        c_nv_pr.set("descr", alt_text)


def has_drawing(p: DocxParagraph) -> bool:
    return next(paragraph_element(p).iter(qn("w:drawing")), None) is not None


def first_child(parent, tag: str):
    """The property child ``tag`` ("w:pPr", "w:rPr", "w:tblPr" …) that the schema puts
    first in ``parent``, created there if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = new_element(tag)
        parent.insert(0, found)
    return found


def set_pstyle(p_el, style_id: str | None) -> None:
    """Point the paragraph ``p_el`` at a paragraph style (None: the default style)."""
    ppr = p_el.find(qn("w:pPr"))
    if style_id is None:
        if ppr is not None and (old := ppr.find(qn("w:pStyle"))) is not None:
            ppr.remove(old)
        return
    ppr = first_child(p_el, "w:pPr")
    ensure_child(ppr, "w:pStyle", PPR_ORDER).set(qn("w:val"), style_id)


def set_rstyle(r_el, style_id: str) -> None:
    """Point the run ``r_el`` at a character style."""
    rpr = first_child(r_el, "w:rPr")
    ensure_child(rpr, "w:rStyle", RPR_ORDER).set(qn("w:val"), style_id)
