"""The base document: python-docx's default or a template with its body cleared; the page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.shared import Cm, Emu, Twips
from lxml import etree

from reportgen.compat.docx import qn
from reportgen.core.templating import message
from reportgen.errors import InputError, Problem


A4 = (Twips(11906), Twips(16838))

MARGIN = Cm(2.5)

TEMPLATE_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"

DOCUMENT_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def open_base(template: Path | str | None) -> docx.document.Document:
    """python-docx's default document, or the template with its body cleared."""
    if template is None:
        return docx.Document()
    path = Path(template)
    expected = message("render", "word_template_expected")
    if not path.is_file():
        raise InputError(Problem(message("render", "word_template_missing"), file=str(path), expected=expected))
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".dotx"):
        raise InputError(Problem(message("render", "word_template_bad_type"), file=str(path),
                                 value=suffix or message("render", "no_suffix"), expected=expected))
    data = path.read_bytes()
    try:
        if suffix == ".dotx":
            data = dotx_as_docx(data)
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(Problem(message("render", "word_template_unreadable", error=exc),
                                 file=str(path), expected=expected)) from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def dotx_as_docx(data: bytes) -> bytes:
    """A .dotx package with its main part's content type changed to a document's."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(TEMPLATE_CT.encode(), DOCUMENT_CT.encode())
            dst.writestr(info, blob)
    return out.getvalue()


def setup_page(doc: docx.document.Document, house: bool) -> None:
    """A4 portrait with 2.5 cm margins, unless a template defines the page."""
    if not house:
        return
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.25)


def text_width(doc: docx.document.Document) -> Emu:
    section = doc.sections[-1]
    if section.page_width and section.left_margin is not None and section.right_margin is not None:
        return Emu(section.page_width - section.left_margin - section.right_margin)
    return Cm(16)
