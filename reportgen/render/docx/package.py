"""The package: drawing ids, core and app properties, stale template parts, the font
table, and a deterministic zip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from reportgen.models.document import Document
from reportgen.compat.docx import core_properties_element, nsdecls, parse_xml, qn, set_blob
from reportgen.render.docx.look import FONT, FONT_FALLBACK, Look


def story_parts(doc: docx.document.Document) -> list:
    """Document, header and footer parts in a fixed order."""
    parts = [doc.part]
    others = [
        part for part in doc.part.package.iter_parts()
        if part.partname.startswith(("/word/header", "/word/footer"))
        and hasattr(part, "element")
    ]
    return parts + sorted(others, key=lambda part: str(part.partname))


def renumber_drawings(doc: docx.document.Document) -> None:
    """Unique, deterministic wp:docPr ids across body, headers and footers."""
    next_id = 1
    for part in story_parts(doc):
        for doc_pr in part.element.iter(qn("wp:docPr")):
            doc_pr.set("id", str(next_id))
            next_id += 1


def core_properties(doc: docx.document.Document, document: Document) -> None:
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
    element = core_properties_element(cp)
    printed = element.find(qn("cp:lastPrinted"))
    if printed is not None:
        element.remove(printed)


def tidy_package(doc: docx.document.Document, document: Document, look: Look,
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
            set_blob(part, app_xml(document.meta.municipality))
        elif part.partname == "/word/fontTable.xml" and (house or look.font):
            register_font(part, look.font or FONT)

    settings = doc.settings.element
    if house:
        for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
            el = settings.find(qn(tag))
            if el is not None:
                el.set(qn("w:val"), value)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), document.meta.language or "da-DK")


def app_xml(company: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes"><Application>reportgen</Application>'
        f"<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><Company>{escape(company)}"
        "</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


def register_font(part, font: str) -> None:
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
        set_blob(part, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True))

ZIP_FIRST = ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
              "word/document.xml", "word/_rels/document.xml.rels")


def normalize_zip(entries: Mapping[str, bytes], created: dt.datetime) -> bytes:
    """Write the package with a fixed entry order, timestamp and file attributes."""
    stamp = (min(max(created.year, 1980), 2107), created.month, created.day,
             created.hour, created.minute, created.second - created.second % 2)

    def rank(name: str) -> tuple[int, str]:
        return (ZIP_FIRST.index(name) if name in ZIP_FIRST else len(ZIP_FIRST), name)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(entries, key=rank):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
