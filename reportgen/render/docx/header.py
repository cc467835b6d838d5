"""Header and footer: the draft marking or municipality, the logo, the page numbers."""

from __future__ import annotations

import io

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.shared import Cm

from reportgen.compat.docx import nsdecls, paragraph_element, parse_xml, qn
from reportgen.models.document import Document
from reportgen.render import draft_marking
from reportgen.render.docx import named
from reportgen.render.docx.fields import add_page_numbers
from reportgen.render.docx.look import Look
from reportgen.render.docx.ooxml import has_drawing, set_alt_text
from reportgen.render.docx.styles import StyleIds


def header_footer(doc: docx.document.Document, document: Document, look: Look, styles: StyleIds) -> None:
    meta = document.meta
    text = draft_marking(meta) if document.is_draft else meta.municipality
    for i, section in enumerate(doc.sections):
        headers = [section.header]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
            footers.append(section.first_page_footer)
        if doc.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
            footers.append(section.even_page_footer)
        # A section python-docx added (a landscape page for a wide table) carries on the
        # headers and footers of the one before.
        for header in headers:
            if i == 0 or not header.is_linked_to_previous:
                add_header_line(header, text, document.is_draft, look, styles)
        for footer in footers:
            if i == 0 or not footer.is_linked_to_previous:
                add_page_numbers(footer, styles)


def add_header_line(header, text: str, draft: bool, look: Look, styles: StyleIds) -> None:
    """Put the draft marking or municipality first in the header, keeping template content."""
    paragraphs = header.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not has_drawing(paragraphs[0]):
        p = paragraphs[0]
    else:
        p = paragraphs[0].insert_paragraph_before() if paragraphs else header.add_paragraph()
    styles.apply(p, "Header")  # right-aligned by the style (styles.py)
    p.add_run(text, named.DRAFT_MARK if draft else None)
    if look.logo and not any(has_drawing(q) for q in header.paragraphs):
        logo_p = p.insert_paragraph_before()
        styles.apply(logo_p, named.HEADER_LOGO)
        logo_p.add_run().add_picture(io.BytesIO(look.logo), width=Cm(look.logo_width_cm))
        logo_el = paragraph_element(logo_p)
        if look.logo_svg:
            add_svg_blip(header.part, logo_el, look.logo_svg)
        set_alt_text(logo_el, "")
        mark_decorative(logo_el)

SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"

DECORATIVE_EXT_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def add_svg_blip(part, p_el, svg: bytes) -> None:
    """Attach ``svg`` to the picture in ``p_el`` as Word's SVG extension of its blip."""
    from docx.opc.part import Part

    existing = [p for p in part.package.iter_parts() if str(p.partname).endswith(".svg")]
    partname = PackURI(f"/word/media/logo{len(existing) + 1}.svg")
    svg_part = Part(partname, "image/svg+xml", svg, part.package)
    r_id = part.relate_to(svg_part, RT.IMAGE)
    for blip in p_el.iter(qn("a:blip")):
        blip.append(parse_xml(
            f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_EXT_URI}">'
            '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
            f'r:embed="{r_id}"/></a:ext></a:extLst>'))


def mark_decorative(p_el) -> None:
    """Mark a picture as decorative (Word's accessibility checker then needs no alt text)."""
    for doc_pr in p_el.iter(qn("wp:docPr")):
        doc_pr.append(parse_xml(
            f'<a:extLst {nsdecls("a")}><a:ext uri="{DECORATIVE_EXT_URI}">'
            '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" '
            'val="1"/></a:ext></a:extLst>'))
