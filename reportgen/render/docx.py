"""DOCX renderer: ``Document`` → the bytes of a Word document (python-docx).

It only lays out the document model: every number and sentence comes from the model,
and the renderer adds nothing but the labels of the page furniture (the draft marking
in the header and "Side X af Y" in the footer).

What a reader of the output can rely on:

- Headings use Word's built-in heading styles, so they show in the navigation pane;
  ordered lists are real Word numbering that restarts at 1 for every list; tables have a
  repeating header row and alt text; figures have alt text on ``wp:docPr``.
- Language da-DK in the styles and the core properties; A4 portrait with 2.5 cm margins
  and Carlito 11 pt (metric-compatible with Calibri, which Word falls back to) unless a
  template says otherwise.
- With a template (.docx or .dotx) the template's styles, page setup, header and footer
  content are kept and its body is cleared; styles reportgen needs are added if missing.
- The same ``Document`` gives the same bytes: ids and part names are deterministic and
  the package is rewritten with a fixed entry order and the document's own timestamp.

``brand`` is duck-typed (attributes or mapping keys, all optional; a
``reportgen.settings.brand.Brand`` has them all): ``font`` (family name), ``color`` (hex such as
``"#1F3864"``, used for the title and headings), ``logo_png`` (bytes), ``logo_svg``
(bytes), ``logo_width_cm`` and ``name`` (the sender line above the title; default: the
municipality). The logo goes at the top of the header: an SVG logo is
embedded as SVG (Word 2016 and later draw it) with the PNG as the fallback other programs
show — without a PNG the fallback is blank, so give both. A template whose header already
holds a picture keeps its own logo and gets none added.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Emu, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun
from lxml import etree

from reportgen.errors import InputError, Problem
from reportgen.models import (
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Section,
    Table,
)
from reportgen.render import KEEP_TOGETHER_ROWS, draft_marking

__all__ = ["render_docx"]

FONT = "Carlito"
FONT_FALLBACK = "Calibri"  # Carlito is metric-compatible with Calibri
HEADING_COLOR = "1F3864"
GREY = "595959"
A4 = (Twips(11906), Twips(16838))
MARGIN = Cm(2.5)

_TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

# Schema order of the children of w:pPr, w:rPr, w:tblPr and w:tcPr (ECMA-376 part 1);
# Word asks to repair a file whose property elements are out of this order.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
    "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
    "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)
_STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)
_NUMBERING_ORDER = ("w:numPicBullet", "w:abstractNum", "w:num", "w:numIdMacAtCleanup")

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}

# Custom paragraph styles reportgen adds next to the built-in ones.
NOTE_STYLE = "Note Text"
TABLE_TEXT_STYLE = "Table Text"


# --------------------------------------------------------------------------- entry point


def render_docx(
    document: Document, template: Path | None = None, brand: object | None = None
) -> bytes:
    """Lay out ``document`` as a .docx and return its bytes (identical for equal input)."""
    doc = _open_base(template)
    house = template is None
    look = _Look.of(brand)
    _setup_page(doc, house)
    _setup_styles(doc, house, look, document.meta.language or "da-DK")
    lists = _Lists(doc)
    styles = _StyleIds(doc)
    body = _Body(doc, lists, look, styles)
    body.title_block(document)
    for section in document.sections:
        body.section(section)
    _header_footer(doc, document, look, styles)
    _renumber_drawings(doc)
    _core_properties(doc, document)
    _tidy_package(doc, document, look, house)
    return _normalize_zip(_package_entries(doc), document.meta.created)


# --------------------------------------------------------------------------- base document


def _open_base(template: Path | str | None) -> docx.document.Document:
    """python-docx's default document, or the template with its body cleared."""
    if template is None:
        return docx.Document()
    path = Path(template)
    expected = "en Word-fil (.docx) eller Word-skabelon (.dotx)"
    if not path.is_file():
        raise InputError(Problem("Skabelonen findes ikke", file=str(path), expected=expected))
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".dotx"):
        raise InputError(Problem("Skabelonen har en filtype, der ikke understøttes",
                                 file=str(path), value=suffix or "(ingen)", expected=expected))
    data = path.read_bytes()
    try:
        if suffix == ".dotx":
            data = _dotx_as_docx(data)
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(Problem(f"Skabelonen kan ikke læses som Word-fil ({exc})",
                                 file=str(path), expected=expected)) from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _dotx_as_docx(data: bytes) -> bytes:
    """A .dotx package with its main part's content type changed to a document's."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(_TEMPLATE_CT.encode(), _DOCUMENT_CT.encode())
            dst.writestr(info, blob)
    return out.getvalue()


def _setup_page(doc: docx.document.Document, house: bool) -> None:
    """A4 portrait with 2.5 cm margins, unless a template defines the page."""
    if not house:
        return
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.25)


def _text_width(doc: docx.document.Document) -> Emu:
    section = doc.sections[-1]
    if section.page_width and section.left_margin is not None and section.right_margin is not None:
        return Emu(section.page_width - section.left_margin - section.right_margin)
    return Cm(16)


# --------------------------------------------------------------------------- look and styles


class _Look:
    """Font, colour and logo: reportgen's defaults, overridden by a brand object."""

    def __init__(self, font: str | None, color: str | None, logo: bytes | None,
                 logo_width_cm: float, logo_svg: bytes | None = None, name: str | None = None):
        self.name = name
        self.font = font
        self.color = color
        self.logo = logo
        self.logo_width_cm = logo_width_cm
        self.logo_svg = logo_svg

    @classmethod
    def of(cls, brand: object | None) -> _Look:
        def get(name: str) -> object | None:
            if brand is None:
                return None
            if isinstance(brand, Mapping):
                return brand.get(name)
            return getattr(brand, name, None)

        color = get("color")
        if color is not None:
            color = str(color).lstrip("#").upper()
            try:
                RGBColor.from_string(color)
            except ValueError as exc:
                raise InputError(Problem("Ugyldig farve i temaet", column="color",
                                         value=str(get("color")),
                                         expected="en hex-farve som #1F3864")) from exc
        logo = get("logo_png")
        svg = get("logo_svg")
        width = get("logo_width_cm")
        if svg and not logo:
            logo = _blank_png()
        return cls(
            font=str(get("font")) if get("font") else None,
            color=color,
            logo=bytes(logo) if logo else None,  # type: ignore[arg-type]
            logo_width_cm=float(width) if width else 4.0,  # type: ignore[arg-type]
            logo_svg=bytes(svg) if svg else None,  # type: ignore[arg-type]
            name=str(get("name")) if get("name") else None,
        )


def _blank_png() -> bytes:
    """A 1×1 transparent PNG: the fallback picture of an SVG logo given without a PNG."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (len(data).to_bytes(4, "big") + kind + data
                + zlib.crc32(kind + data).to_bytes(4, "big"))

    ihdr = (1).to_bytes(4, "big") + (1).to_bytes(4, "big") + bytes((8, 6, 0, 0, 0))
    idat = zlib.compress(b"\x00\x00\x00\x00\x00", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _setup_styles(doc: docx.document.Document, house: bool, look: _Look, lang: str) -> None:
    """Language everywhere; reportgen's look when there is no template; missing styles."""
    styles_el = doc.styles.element
    font = look.font or (FONT if house else None)
    doc_rpr = styles_el.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if doc_rpr is None:
        doc_rpr = _doc_defaults_rpr(styles_el)
    _set_lang(doc_rpr, lang)
    if font:
        _set_fonts(doc_rpr, font)
    if house:
        _child(doc_rpr, "w:sz", _RPR_ORDER).set(qn("w:val"), "22")
        _child(doc_rpr, "w:szCs", _RPR_ORDER).set(qn("w:val"), "22")
        ppr_default = styles_el.find(qn("w:docDefaults") + "/" + qn("w:pPrDefault") + "/" + qn("w:pPr"))
        if ppr_default is not None:
            spacing = _child(ppr_default, "w:spacing", _PPR_ORDER)
            spacing.attrib.clear()
            spacing.set(qn("w:after"), "160")
            spacing.set(qn("w:line"), "264")
            spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    _set_lang(normal.element.get_or_add_rPr(), lang)
    if look.font:
        _set_fonts(normal.element.get_or_add_rPr(), look.font)

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
        ("Header", dict(size=9, color=GREY, before=0, after=0)),
        ("Footer", dict(size=9, color=GREY, before=0, after=0)),
        (NOTE_STYLE, dict(size=9, color=GREY, before=4, after=10)),
        (TABLE_TEXT_STYLE, dict(size=10, before=0, after=0, line=1.0)),
    ]
    for name, spec in specs:
        style, created = _ensure_paragraph_style(doc, name)
        if house or created:
            _restyle(style, font=look.font, **spec)
        elif look.font or look.color:
            if look.font:
                _set_fonts(style.element.get_or_add_rPr(), look.font)
            if look.color and name.startswith(("Title", "Heading")):
                style.font.color.rgb = RGBColor.from_string(look.color)
    if house:  # deeper headings keep the default template's blue theme look otherwise
        for level in range(4, 10):
            try:
                style = doc.styles[f"Heading {level}"]
            except KeyError:
                continue
            _restyle(style, size=11, bold=True, color=color, before=8, after=2,
                     keep_next=True, outline=level - 1, font=look.font)
    for name in ("List Number", "List Bullet"):
        style, created = _ensure_paragraph_style(doc, name)
        if house or created:
            style.paragraph_format.space_after = Pt(4)
    _ensure_table_grid(doc)


def _ensure_paragraph_style(doc: docx.document.Document, name: str):
    """The paragraph style called ``name`` and whether it had to be created."""
    try:
        return doc.styles[name], False
    except KeyError:
        builtin = name not in (NOTE_STYLE, TABLE_TEXT_STYLE)
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=builtin)
        style.base_style = doc.styles["Normal"]
        style.next_paragraph_style = doc.styles["Normal"]
        style.quick_style = True
        return style, True


def _restyle(style, *, size: float, bold: bool = False, italic: bool = False,
             color: str | None = None, before: float = 0, after: float = 0,
             keep_next: bool = False, outline: int | None = None, line: float | None = None,
             font: str | None = None) -> None:
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
    if outline is not None:
        _child(el.get_or_add_pPr(), "w:outlineLvl", _PPR_ORDER).set(qn("w:val"), str(outline))
    f = style.font
    f.size = Pt(size)
    f.bold = bold or None
    f.italic = italic or None
    if color:
        f.color.rgb = RGBColor.from_string(color)
    if font:
        _set_fonts(el.get_or_add_rPr(), font)
    _sync_linked_character_style(style)


def _sync_linked_character_style(style) -> None:
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
            _insert_ordered(other, copy.deepcopy(rpr), _STYLE_ORDER)


def _ensure_table_grid(doc: docx.document.Document) -> None:
    try:
        doc.styles["Table Grid"]
        return
    except KeyError:
        pass
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    borders = "".join(border.format(s) for s in ("top", "left", "bottom", "right",
                                                 "insideH", "insideV"))
    doc.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:styleId="TableGrid">'
        '<w:name w:val="Table Grid"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
    ))


def _doc_defaults_rpr(styles_el) -> etree._Element:
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles_el.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = OxmlElement("w:rPr")
    rpr_default.append(rpr)
    return rpr


def _set_lang(rpr, lang: str) -> None:
    el = _child(rpr, "w:lang", _RPR_ORDER)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), el.get(qn("w:eastAsia")) or "en-US")
    el.set(qn("w:bidi"), el.get(qn("w:bidi")) or "ar-SA")


def _set_fonts(rpr, font: str) -> None:
    el = _child(rpr, "w:rFonts", _RPR_ORDER)
    el.attrib.clear()  # theme font attributes would win over explicit names
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        el.set(qn(f"w:{attr}"), font)


def _child(parent, tag: str, order: tuple[str, ...]):
    """The child ``tag`` of ``parent``, created at its schema position if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    el = OxmlElement(tag)
    later = {qn(t) for t in order[order.index(tag) + 1:]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(el)
            return el
    parent.append(el)
    return el


# --------------------------------------------------------------------------- numbering


class _Lists:
    """Real Word numbering: one abstract definition per kind, one ``w:num`` per list."""

    def __init__(self, doc: docx.document.Document):
        self._doc = doc
        self._root = None
        self._abstract: dict[bool, int] = {}

    def new_list(self, ordered: bool) -> int:
        """The numId of a fresh list; ordered lists restart at 1."""
        root = self._numbering()
        if ordered not in self._abstract:
            self._abstract[ordered] = self._add_abstract(root, ordered)
        num_id = 1 + max((int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))),
                         default=0)
        override = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                    if ordered else "")
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                        f'<w:abstractNumId w:val="{self._abstract[ordered]}"/>{override}</w:num>')
        _insert_ordered(root, num, _NUMBERING_ORDER)
        return num_id

    def _numbering(self):
        if self._root is None:
            part = self._doc.part
            try:
                numbering_part = part.part_related_by(RT.NUMBERING)
            except KeyError:
                blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<w:numbering {nsdecls("w")}/>').encode()
                numbering_part = NumberingPart.load(PackURI("/word/numbering.xml"),
                                                    CT.WML_NUMBERING, blob, part.package)
                part.relate_to(numbering_part, RT.NUMBERING)
            self._root = numbering_part.element
        return self._root

    @staticmethod
    def _add_abstract(root, ordered: bool) -> int:
        abstract_id = 1 + max((int(a.get(qn("w:abstractNumId")))
                               for a in root.findall(qn("w:abstractNum"))), default=-1)
        if ordered:
            fmt_, text = "decimal", "%1."
        else:
            fmt_, text = "bullet", "\u2022"
        nsid = f"{0x52470000 + abstract_id:08X}"  # fixed, so output stays deterministic
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt_}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="567" w:hanging="397"/></w:pPr></w:lvl></w:abstractNum>'
        )
        _insert_ordered(root, abstract, _NUMBERING_ORDER)
        return abstract_id


def _insert_ordered(parent, el, order: tuple[str, ...]) -> None:
    """Append ``el`` after its own kind and before later kinds in ``order``."""
    later = {qn(t) for t in order[order.index(el.prefix + ":" + etree.QName(el).localname) + 1:]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(el)
            return
    parent.append(el)


# --------------------------------------------------------------------------- body


class _StyleIds:
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
        p._p.style = self.id(name)

    def add(self, container, text: str = "", name: str | None = None) -> DocxParagraph:
        """``container.add_paragraph(text, style=name)``, without the lookup."""
        p = container.add_paragraph(text)
        if name is not None:
            self.apply(p, name)
        return p


class _Body:
    """Adds the document model's blocks to the body of a python-docx document."""

    def __init__(self, doc: docx.document.Document, lists: _Lists, look: _Look, styles: _StyleIds):
        self.doc = doc
        self.lists = lists
        self.look = look
        self.styles = styles
        self.width = _text_width(doc)

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
        _set_table_width(tbl, self.width)
        _set_borders(tbl, {})
        label_width = min(Cm(4.5), Emu(int(self.width * 0.35)))
        widths = [label_width, Emu(self.width - label_width)]
        _set_grid(table, widths)
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
        _, created = _ensure_paragraph_style(self.doc, name)
        if created:
            _restyle(self.doc.styles[name], size=11, bold=True, before=8, after=2,
                     keep_next=True, outline=level - 1, font=self.look.font,
                     color=self.look.color)
        self.styles.add(self.doc, block.text, name)

    def paragraph(self, block: Paragraph, style: str | None = None) -> DocxParagraph:
        if style is None:
            style = NOTE_STYLE if block.style == "note" else "Normal"
        p = self.styles.add(self.doc, name=style)
        _add_runs(p, block)
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
        _set_table_width(tbl, self.width)
        _set_borders(tbl, {"top": ("8", "808080"), "bottom": ("8", "808080"),
                           "insideH": ("4", "BFBFBF")})
        _set_grid(table, _column_widths(block, self.width))
        if block.caption:
            _child(tbl.tblPr, "w:tblCaption", _TBLPR_ORDER).set(qn("w:val"), block.caption)
        if block.alt_text or block.caption:
            _child(tbl.tblPr, "w:tblDescription", _TBLPR_ORDER).set(
                qn("w:val"), block.alt_text or block.caption)

        aligns = [_ALIGN.get(block.align[i] if i < len(block.align) else "left",
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

        for r, (tr, values) in enumerate(zip(tbl.iterchildren(_W_TR), texts)):
            tr_pr = tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            keep = len(block.rows) <= KEEP_TOGETHER_ROWS and r < len(block.rows)
            for c, (tc, text) in enumerate(zip(tr.iterchildren(_W_TC), values)):
                p_el = tc.find(_W_P)
                p_el.insert(0, ppr(c, keep))
                run = _add_run(DocxParagraph(p_el, table), text)
                if r == 0:
                    run.bold = True
                    shd = _child(tc.get_or_add_tcPr(), "w:shd", _TCPR_ORDER)
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
        _set_alt_text(p._p, block.alt_text)
        if block.caption:
            self.styles.add(self.doc, block.caption, "Caption")


_W_TR, _W_TC, _W_P = qn("w:tr"), qn("w:tc"), qn("w:p")


def _add_run(p: DocxParagraph, text: str) -> DocxRun:
    """``p.add_run(text)``; plain text (no tab or line break) goes straight into one ``w:t``
    instead of through python-docx's character-by-character translation."""
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return p.add_run(text)
    r = p._p.add_r()
    r.add_t(text)
    return DocxRun(r, p)


def _add_runs(p: DocxParagraph, block: Paragraph) -> None:
    placeholder = block.style == "placeholder"
    for r in block.runs:
        run = _add_run(p, r.text)
        if r.bold:
            run.bold = True
        if r.italic or placeholder:
            run.italic = True
        if placeholder:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _set_alt_text(p_el, alt_text: str) -> None:
    for doc_pr in p_el.iter(qn("wp:docPr")):
        doc_pr.set("descr", alt_text)
        doc_pr.set("title", alt_text)
    for c_nv_pr in p_el.iter(qn("pic:cNvPr")):
        c_nv_pr.set("descr", alt_text)


def _set_table_width(tbl, width: int) -> None:
    tbl_w = _child(tbl.tblPr, "w:tblW", _TBLPR_ORDER)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(Emu(width).twips))
    layout = _child(tbl.tblPr, "w:tblLayout", _TBLPR_ORDER)
    layout.set(qn("w:type"), "fixed")


def _set_borders(tbl, lines: Mapping[str, tuple[str, str]]) -> None:
    """Table borders: the named edges as (size in 1/8 pt, colour), all others none."""
    borders = _child(tbl.tblPr, "w:tblBorders", _TBLPR_ORDER)
    for child in list(borders):
        borders.remove(child)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if edge in lines:
            size, color = lines[edge]
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), size)
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), color)
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)


def _set_grid(table, widths: Iterable[int]) -> None:
    widths = list(widths)
    for column, width in zip(table.columns, widths):
        column.width = Emu(width)
    for tr in table._tbl.iterchildren(_W_TR):  # a new table: one cell per grid column, nothing merged
        for tc, width in zip(tr.iterchildren(_W_TC), widths):
            tc.width = Emu(width)


def _column_widths(block: Table, total: int) -> list[int]:
    """Column widths in EMU in proportion to the longest text each column holds."""
    weights = []
    for i, header in enumerate(block.columns):
        longest_word = max((len(w) for w in header.split()), default=1)
        cells = [len(r[i]) for r in block.rows if i < len(r)]
        weights.append(min(max([longest_word + 1, *cells], default=1), 45) + 2)
    total_weight = sum(weights)
    widths = [int(total * w / total_weight) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


# --------------------------------------------------------------------------- header/footer


def _header_footer(doc: docx.document.Document, document: Document, look: _Look, styles: _StyleIds) -> None:
    meta = document.meta
    text = draft_marking(meta) if document.is_draft else meta.municipality
    for section in doc.sections:
        headers = [section.header]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
            footers.append(section.first_page_footer)
        if doc.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
            footers.append(section.even_page_footer)
        for header in headers:
            _add_header_line(header, text, document.is_draft, look, styles)
        for footer in footers:
            _add_page_numbers(footer, styles)


def _add_header_line(header, text: str, draft: bool, look: _Look, styles: _StyleIds) -> None:
    """Put the draft marking or municipality first in the header, keeping template content."""
    paragraphs = header.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not _has_drawing(paragraphs[0]):
        p = paragraphs[0]
    else:
        p = paragraphs[0].insert_paragraph_before() if paragraphs else header.add_paragraph()
    styles.apply(p, "Header")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text)
    if draft:
        run.bold = True
        run.font.color.rgb = RGBColor.from_string("C00000")
    if look.logo and not any(_has_drawing(q) for q in header.paragraphs):
        logo_p = p.insert_paragraph_before()
        styles.apply(logo_p, "Header")
        logo_p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        logo_p.paragraph_format.space_after = Pt(4)
        logo_p.add_run().add_picture(io.BytesIO(look.logo), width=Cm(look.logo_width_cm))
        if look.logo_svg:
            _add_svg_blip(header.part, logo_p._p, look.logo_svg)
        _set_alt_text(logo_p._p, "")
        _mark_decorative(logo_p._p)


_SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
_DECORATIVE_EXT_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def _add_svg_blip(part, p_el, svg: bytes) -> None:
    """Attach ``svg`` to the picture in ``p_el`` as Word's SVG extension of its blip."""
    from docx.opc.part import Part

    existing = [p for p in part.package.iter_parts() if str(p.partname).endswith(".svg")]
    partname = PackURI(f"/word/media/logo{len(existing) + 1}.svg")
    svg_part = Part(partname, "image/svg+xml", svg, part.package)
    r_id = part.relate_to(svg_part, RT.IMAGE)
    for blip in p_el.iter(qn("a:blip")):
        blip.append(parse_xml(
            f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{_SVG_EXT_URI}">'
            '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
            f'r:embed="{r_id}"/></a:ext></a:extLst>'))


def _mark_decorative(p_el) -> None:
    """Mark a picture as decorative (Word's accessibility checker then needs no alt text)."""
    for doc_pr in p_el.iter(qn("wp:docPr")):
        doc_pr.append(parse_xml(
            f'<a:extLst {nsdecls("a")}><a:ext uri="{_DECORATIVE_EXT_URI}">'
            '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" '
            'val="1"/></a:ext></a:extLst>'))


def _has_drawing(p: DocxParagraph) -> bool:
    return next(p._p.iter(qn("w:drawing")), None) is not None


def _add_page_numbers(footer, styles: _StyleIds) -> None:
    """'Side X af Y' with real PAGE and NUMPAGES fields, unless a PAGE field is there."""
    for el in footer._element.iter(qn("w:instrText"), qn("w:fldSimple")):
        instr = el.text if el.tag == qn("w:instrText") else el.get(qn("w:instr"))
        if instr and instr.split() and instr.split()[0].upper() == "PAGE":
            return
    paragraphs = footer.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not _has_drawing(paragraphs[0]):
        p = paragraphs[0]
    else:
        p = footer.add_paragraph()
    styles.apply(p, "Footer")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run("Side ")
    _add_field(p, "PAGE")
    p.add_run(" af ")
    _add_field(p, "NUMPAGES")


def _add_field(p: DocxParagraph, instr: str) -> None:
    """A complex field: begin, instruction, separate, cached result, end."""
    def fld_char(kind: str):
        run = p.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    fld_char("begin")
    run = p.add_run()
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    run._r.append(instr_el)
    fld_char("separate")
    p.add_run("1")
    fld_char("end")


# --------------------------------------------------------------------------- package


def _story_parts(doc: docx.document.Document) -> list:
    """Document, header and footer parts in a fixed order."""
    parts = [doc.part]
    others = [
        part for part in doc.part.package.iter_parts()
        if part.partname.startswith(("/word/header", "/word/footer"))
        and hasattr(part, "element")
    ]
    return parts + sorted(others, key=lambda part: str(part.partname))


def _renumber_drawings(doc: docx.document.Document) -> None:
    """Unique, deterministic wp:docPr ids across body, headers and footers."""
    next_id = 1
    for part in _story_parts(doc):
        for doc_pr in part.element.iter(qn("wp:docPr")):
            doc_pr.set("id", str(next_id))
            next_id += 1


def _core_properties(doc: docx.document.Document, document: Document) -> None:
    meta = document.meta
    created = meta.created
    if created.tzinfo is not None:  # python-docx writes the fields as UTC ("Z")
        created = created.astimezone(dt.timezone.utc).replace(tzinfo=None)
    cp = doc.core_properties
    cp.title = meta.title
    cp.author = meta.author
    cp.subject = meta.subject
    cp.keywords = "; ".join(meta.keywords)
    cp.language = meta.language or "da-DK"
    cp.created = created
    cp.modified = created
    cp.last_modified_by = meta.author
    cp.revision = 1
    cp.comments = ""
    cp.category = ""
    cp.identifier = meta.case_number
    cp.version = meta.version
    cp.content_status = "Udkast" if document.is_draft else "Endelig"
    printed = cp._element.find(qn("cp:lastPrinted"))
    if printed is not None:
        cp._element.remove(printed)


def _tidy_package(doc: docx.document.Document, document: Document, look: _Look,
                  house: bool) -> None:
    """Drop stale template parts, describe the app, register the font, Danish settings."""
    package = doc.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel.rId]
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel.rId)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml" and not hasattr(part, "element"):
            part._blob = _app_xml(document.meta.municipality)
        elif part.partname == "/word/fontTable.xml" and (house or look.font):
            _register_font(part, look.font or FONT)

    settings = doc.settings.element
    if house:
        for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
            el = settings.find(qn(tag))
            if el is not None:
                el.set(qn("w:val"), value)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), document.meta.language or "da-DK")


def _app_xml(company: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><Application>reportgen</Application>'
        f"<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company>{escape(company)}"
        "</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def _register_font(part, font: str) -> None:
    """Describe the font in fontTable.xml so Word substitutes Calibri when it is missing."""
    if hasattr(part, "element"):
        root = part.element
    else:
        root = etree.fromstring(part.blob)
    for el in root.findall(qn("w:font")):
        if el.get(qn("w:name")) == font:
            root.remove(el)
    alt = f'<w:altName w:val="{FONT_FALLBACK}"/>' if font == FONT else ""
    entry = parse_xml(
        f'<w:font {nsdecls("w")} w:name="{escape(font, {chr(34): "&quot;"})}">{alt}'
        '<w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/>'
        '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    )
    root.insert(0, entry)
    if not hasattr(part, "element"):
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


_ZIP_FIRST = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
              "word/document.xml", "word/_rels/document.xml.rels")


class _Entries:
    """Stands in for python-docx's zip writer: collects the package's entries."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def _package_entries(doc: docx.document.Document) -> dict[str, bytes]:
    """The package's entries (name → bytes), as ``doc.save`` would write them.

    Collected through python-docx's package writer instead of saving a zip file and
    reading it back: the zip is rewritten by ``_normalize_zip`` anyway, and compressing
    (the chart PNGs above all) twice costs time. Falls back to ``doc.save`` should
    python-docx's writer change.
    """
    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        parts = package.parts
        for part in parts:
            part.before_marshal()
        sink = _Entries()
        PackageWriter._write_content_types_stream(sink, parts)
        PackageWriter._write_pkg_rels(sink, package.rels)
        PackageWriter._write_parts(sink, parts)
        return sink.entries
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - another python-docx
        out = io.BytesIO()
        doc.save(out)
        with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src:
            return {name: src.read(name) for name in src.namelist()}


def _normalize_zip(entries: Mapping[str, bytes], created: dt.datetime) -> bytes:
    """Write the package with a fixed entry order, timestamp and file attributes."""
    stamp = (min(max(created.year, 1980), 2107), created.month, created.day,
             created.hour, created.minute, created.second - created.second % 2)

    def rank(name: str) -> tuple[int, str]:
        return (_ZIP_FIRST.index(name) if name in _ZIP_FIRST else len(_ZIP_FIRST), name)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(entries, key=rank):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
