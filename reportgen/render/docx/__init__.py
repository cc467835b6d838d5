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
import hashlib
import threading
from pathlib import Path

from reportgen.compat.docx import package_entries, set_styles_element
from reportgen.models.document import Document
from reportgen.render.docx.base import open_base, setup_page
from reportgen.render.docx.blocks import Body
from reportgen.render.docx.header import header_footer
from reportgen.render.docx.look import Look
from reportgen.render.docx.numbering import Lists
from reportgen.render.docx.package import (
    core_properties,
    normalize_zip,
    renumber_drawings,
    tidy_package,
)
from reportgen.render.docx.styles import StyleIds, setup_styles

__all__ = ["render_docx"]


def render_docx(
    document: Document, template: Path | None = None, brand: object | None = None
) -> bytes:
    """Lay out ``document`` as a .docx and return its bytes (identical for equal input)."""
    doc = open_base(template)
    house = template is None
    look = Look.of(brand)
    setup_page(doc, house)
    _styles(doc, template, house, look, document.meta.language or "da-DK")
    lists = Lists(doc, house)
    styles = StyleIds(doc)
    body = Body(doc, lists, look, styles)
    body.title_block(document)
    for section in document.sections:
        body.section(section)
    header_footer(doc, document, look, styles)
    renumber_drawings(doc)
    core_properties(doc, document)
    tidy_package(doc, document, look, house)
    return normalize_zip(package_entries(doc), document.meta.created)


_STYLES: dict[tuple, object] = {}  # (template bytes' hash, house, font, colour, language) → w:styles
_STYLES_LOCK = threading.Lock()


def _styles(doc, template: Path | None, house: bool, look: Look, lang: str) -> None:  # type: ignore[no-untyped-def]
    """``setup_styles``, once per template, look and language in a process: the ``w:styles``
    it writes (read only from those) is kept and a copy of it put into later documents —
    the same styles part, without redoing a fifth of a document's rendering."""
    source = b"" if template is None else Path(template).read_bytes()  # open_base has read it: it exists
    key = (hashlib.sha256(source).hexdigest(), house, look.font, look.color, lang)
    with _STYLES_LOCK:
        kept = _STYLES.get(key)
    if kept is not None:
        set_styles_element(doc, copy.deepcopy(kept))
        return
    setup_styles(doc, house, look, lang)
    with _STYLES_LOCK:
        if len(_STYLES) >= 32:
            _STYLES.clear()
        _STYLES[key] = copy.deepcopy(doc.styles.element)
