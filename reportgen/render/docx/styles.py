"""Paragraph, character and table styles: reportgen's look, language, and style-id lookup.

The names and the house look of reportgen's own styles are in ``named``; this module
writes them into ``styles.xml`` (the built-in ones restyled without a template, the
missing ones added with one).
"""

from __future__ import annotations

import copy

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from reportgen.compat.docx import new_element, nsdecls, paragraph_element, parse_xml, qn
from reportgen.render.docx import named
from reportgen.render.docx.look import FONT, GREY, HEADING_COLOR, Look
from reportgen.render.docx.ooxml import (
    PPR_ORDER,
    RPR_ORDER,
    STYLE_ORDER,
    ensure_child,
    insert_ordered,
    set_pstyle,
)

def setup_styles(doc: docx.document.Document, house: bool, look: Look, lang: str) -> None:
    """Language everywhere; reportgen's look when there is no template; missing styles."""
    styles_el = doc.styles.element
    font = look.font or (FONT if house else None)
    doc_rpr = styles_el.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if doc_rpr is None:
        doc_rpr = doc_defaults_rpr(styles_el)
    set_lang(doc_rpr, lang)
    if font:
        set_fonts(doc_rpr, font)
    if house:
        ensure_child(doc_rpr, "w:sz", RPR_ORDER).set(qn("w:val"), "22")
        ensure_child(doc_rpr, "w:szCs", RPR_ORDER).set(qn("w:val"), "22")
        ppr_default = styles_el.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
        if ppr_default is not None:
            spacing = ensure_child(ppr_default, "w:spacing", PPR_ORDER)
            spacing.attrib.clear()
            spacing.set(qn("w:after"), "160")
            spacing.set(qn("w:line"), "264")
            spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    set_lang(style_rpr(normal.element), lang)
    if look.font:
        set_fonts(style_rpr(normal.element), look.font)
    setup_builtin_styles(doc, house, look)
    for name in ("List Number", "List Bullet"):
        style, created = ensure_paragraph_style(doc, name)
        if house or created:
            style.paragraph_format.space_after = Pt(4)
    for spec in named.house_specs(GREY):
        style, created = ensure_style(doc, spec)
        if house or created:
            write_spec(style, spec, look.font if spec.kind == "paragraph" else None)
        elif look.font and spec.kind == "paragraph" and spec.base in (None, "Normal"):
            set_fonts(style_rpr(style.element), look.font)
    ensure_table_style(doc)


def setup_builtin_styles(doc: docx.document.Document, house: bool, look: Look) -> None:
    """Title, headings, caption, header and footer: reportgen's look without a template,
    the theme's font and colour in a template's own."""
    color = look.color or HEADING_COLOR
    specs: list[tuple[str, dict]] = [
        ("Title", dict(size=20, bold=True, color=color, before=0, after=6, keep_next=True)),
        ("Heading 1", dict(size=14, bold=True, color=color, before=18, after=6,
                           keep_next=True, outline=0)),
        ("Heading 2", dict(size=12, bold=True, color=color, before=12, after=4,
                           keep_next=True, outline=1)),
        ("Heading 3", dict(size=11, bold=True, italic=True, color=color, before=10, after=2,
                           keep_next=True, outline=2)),
        ("Caption", dict(size=9.5, bold=True, color="404040", before=10, after=4)),
        ("Header", dict(size=9, color=GREY, before=0, after=0, align="right")),
        ("Footer", dict(size=9, color=GREY, before=0, after=0, align="right")),
    ]
    for name, spec in specs:
        style, created = ensure_paragraph_style(doc, name)
        if house or created:
            restyle(style, font=look.font, **spec)
        elif look.font or look.color:
            if look.font:
                set_fonts(style_rpr(style.element), look.font)
            if look.color and name.startswith(("Title", "Heading")):
                style.font.color.rgb = RGBColor.from_string(look.color)
    if house:  # deeper headings keep the default template's blue theme look otherwise
        for level in range(4, 10):
            try:
                style = doc.styles[f"Heading {level}"]
            except KeyError:
                continue
            restyle(style, size=11, bold=True, color=color, before=8, after=2,
                     keep_next=True, outline=level - 1, font=look.font)


def ensure_paragraph_style(doc: docx.document.Document, name: str):
    """The paragraph style called ``name`` and whether it had to be created."""
    try:
        return doc.styles[name], False
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.base_style = doc.styles["Normal"]
        style.next_paragraph_style = doc.styles["Normal"]
        style.quick_style = True
        return style, True


def restyle(style, *, size: float, bold: bool = False, italic: bool = False,
             color: str | None = None, before: float = 0, after: float = 0,
             keep_next: bool = False, outline: int | None = None, line: float | None = None,
             font: str | None = None, align: str | None = None) -> None:
    """Replace a paragraph style's formatting (drops theme fonts, borders, theme colours)."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next:
        pf.keep_with_next = True
        pf.keep_together = True
    if align is not None:
        pf.alignment = ALIGN[align]
    if outline is not None:
        ensure_child(style_ppr(el), "w:outlineLvl", PPR_ORDER).set(qn("w:val"), str(outline))
    f = style.font
    f.size = Pt(size)
    f.bold = bold or None
    f.italic = italic or None
    if color:
        f.color.rgb = RGBColor.from_string(color)
    if font:
        set_fonts(style_rpr(el), font)
    sync_linked_character_style(style)


ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "center": WD_ALIGN_PARAGRAPH.CENTER}

HIGHLIGHT = {"yellow": WD_COLOR_INDEX.YELLOW}


def style_ppr(el):
    return ensure_child(el, "w:pPr", STYLE_ORDER)


def style_rpr(el):
    return ensure_child(el, "w:rPr", STYLE_ORDER)


def ensure_style(doc: docx.document.Document, spec: named.Spec):
    """The style ``spec.name`` (paragraph or character) and whether it had to be added."""
    kind = WD_STYLE_TYPE.CHARACTER if spec.kind == "character" else WD_STYLE_TYPE.PARAGRAPH
    try:
        style = doc.styles[spec.name]
        if style.type == kind:
            return style, False
    except KeyError:
        pass
    builtin = spec.name in (named.STRONG, named.EMPHASIS)
    style = doc.styles.add_style(spec.name, kind, builtin=builtin)
    if spec.base is not None:
        try:
            style.base_style = doc.styles[spec.base]
        except KeyError:
            pass
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        style.next_paragraph_style = doc.styles["Normal"]
    style.quick_style = True
    return style, True


def write_spec(style, spec: named.Spec, font: str | None) -> None:
    """Write what ``spec`` sets into ``style``, leaving the rest to its base style."""
    for tag in ("w:pPr", "w:rPr"):
        old = style.element.find(qn(tag))
        if old is not None:
            style.element.remove(old)
    if spec.kind == "paragraph":
        pf = style.paragraph_format
        if spec.before is not None:
            pf.space_before = Pt(spec.before)
        if spec.after is not None:
            pf.space_after = Pt(spec.after)
        if spec.line is not None:
            pf.line_spacing = spec.line
        if spec.keep_next is not None:
            pf.keep_with_next = spec.keep_next
        if spec.align is not None:
            pf.alignment = ALIGN[spec.align]
    f = style.font
    if spec.size is not None:
        f.size = Pt(spec.size)
    for attr in ("bold", "italic"):
        if getattr(spec, attr) is not None:
            setattr(f, attr, getattr(spec, attr))
    if spec.caps is not None:
        f.all_caps = spec.caps
    if spec.color:
        f.color.rgb = RGBColor.from_string(spec.color)
    if spec.highlight:
        f.highlight_color = HIGHLIGHT[spec.highlight]
    if font and spec.base in (None, "Normal"):
        set_fonts(style_rpr(style.element), font)


def sync_linked_character_style(style) -> None:
    """Give a paragraph style's linked character style ("Heading 1 Char") the same look."""
    link = style.element.find(qn("w:link"))
    rpr = style.element.find(qn("w:rPr"))
    if link is None or rpr is None:
        return
    for other in style.element.getparent().findall(qn("w:style")):
        if other.get(qn("w:styleId")) == link.get(qn("w:val")) and other.get(qn("w:type")) == "character":
            old = other.find(qn("w:rPr"))
            if old is not None:
                other.remove(old)
            insert_ordered(other, copy.deepcopy(rpr), STYLE_ORDER)


# The data tables' look: a rule above and below, thin rules between rows, a shaded
# header row (the table style's conditional formatting of the first row), narrow cell
# margins. tables.column_widths measures with CELL_MARGIN_TWIPS.
TABLE_BORDERS = {"top": ("8", "808080"), "bottom": ("8", "808080"), "insideH": ("4", "BFBFBF")}

CELL_MARGIN_TWIPS = 85  # left and right

HEAD_FILL = "F2F2F2"


def ensure_table_style(doc: docx.document.Document) -> None:
    """The table style ``Tabel`` for the data tables, unless a template has one."""
    try:
        if doc.styles[named.TABLE_STYLE].type == WD_STYLE_TYPE.TABLE:
            return
    except KeyError:
        pass
    edges = []
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in TABLE_BORDERS:
            size, color = TABLE_BORDERS[edge]
            edges.append(f'<w:{edge} w:val="single" w:sz="{size}" w:space="0" w:color="{color}"/>')
        else:
            edges.append(f'<w:{edge} w:val="nil"/>')
    m = CELL_MARGIN_TWIPS
    doc.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="Tabel">'
        f'<w:name w:val="{named.TABLE_STYLE}"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{"".join(edges)}</w:tblBorders>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{m}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar>'
        '</w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:tblPr/>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/></w:tcPr>'
        '</w:tblStylePr></w:style>'
    ))


def doc_defaults_rpr(styles_el) -> etree._Element:
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = new_element("w:docDefaults")
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = new_element("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = new_element("w:rPr")
    rpr_default.append(rpr)
    return rpr


def set_lang(rpr, lang: str) -> None:
    el = ensure_child(rpr, "w:lang", RPR_ORDER)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), el.get(qn("w:eastAsia")) or "en-US")
    el.set(qn("w:bidi"), el.get(qn("w:bidi")) or "ar-SA")


def set_fonts(rpr, font: str) -> None:
    el = ensure_child(rpr, "w:rFonts", RPR_ORDER)
    el.attrib.clear()  # theme font attributes would win over explicit names
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        el.set(qn(f"w:{attr}"), font)


class StyleIds:
    """Style names → style ids, each looked up once per document.

    python-docx resolves a style *name* on every assignment (``p.style = "Caption"``,
    ``add_paragraph(style=...)``) and, to tell whether it is the default style, scans all
    styles of the document each time — most of the time of a render. The id (None for
    the default style, as python-docx gives) is the same for the whole document, so it
    is looked up once and written straight to ``w:pStyle``/``w:tblStyle``. A style must
    exist when its name is first used (as with python-docx).
    """

    def __init__(self, doc: docx.document.Document):
        self._styles = doc.styles
        self._ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._defaults: dict[WD_STYLE_TYPE, object] = {}

    def id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """As python-docx's ``get_style_id(name, kind)``, with the default style of each
        kind (a scan of all styles) found once."""
        key = (name, kind)
        if key not in self._ids:
            style = self._styles[name]
            if style.type != kind:
                raise ValueError(f"assigned style is type {style.type}, need type {kind}")
            if kind not in self._defaults:
                self._defaults[kind] = self._styles.default(kind)
            self._ids[key] = None if style == self._defaults[kind] else style.style_id
        return self._ids[key]

    def apply(self, p: DocxParagraph, name: str) -> None:
        """``p.style = name``, without the lookup."""
        set_pstyle(paragraph_element(p), self.id(name))

    def add(self, container, text: str = "", name: str | None = None) -> DocxParagraph:
        """``container.add_paragraph(text, style=name)``, without the lookup."""
        p = container.add_paragraph(text)
        if name is not None:
            self.apply(p, name)
        return p
