"""python-docx internals used by ``reportgen.render.docx``.

Checked against python-docx 1.1 and 1.2 (1.2.0).

- ``package_entries``: the package's entries (name → bytes) as ``Document.save`` would
  write them, collected through the private static methods of
  ``docx.opc.pkgwriter.PackageWriter`` (``_write_content_types_stream``,
  ``_write_pkg_rels``, ``_write_parts``) with a stand-in for its zip writer, instead of
  saving a zip and reading it back: the renderer rewrites the zip anyway (fixed order and
  timestamps), and compressing the chart PNGs twice costs time. Falls back to
  ``Document.save`` when the writer has changed.
- ``set_blob``: replace the bytes of a part python-docx keeps as a blob (``Part._blob``;
  python-docx has no setter).
- ``core_properties_element``: the ``cp:coreProperties`` element behind
  ``Document.core_properties`` (``CoreProperties._element``), for the fields it has no
  property for (``cp:lastPrinted``).
- ``paragraph_element``, ``table_element``, ``run_element``: the lxml element behind a
  ``Paragraph`` (``Paragraph._p``), a ``Table`` (``Table._tbl``) and a ``Run`` (public
  ``Run.element`` since 1.2; ``Run._r`` before). python-docx exposes no public element for
  paragraphs and tables; the renderer needs it for what python-docx has no API for (style
  ids without a name lookup, numbering, table properties, alt text, fields).
- ``paragraph_of``, ``run_of``: proxies for elements the renderer made itself
  (``Paragraph(p, parent)``, ``Run(r, parent)``; the constructors are not documented).
- ``numbering_element``: the ``w:numbering`` root, adding a numbering part when the
  document (a template) has none — ``DocumentPart.numbering_part`` would, but its
  ``NumberingPart.new()`` raises ``NotImplementedError`` in 1.1/1.2, so the part is loaded
  from an empty blob (``NumberingPart.load``).
- ``set_styles_element``: put a (copied) ``w:styles`` root in place of the document's:
  the ``XmlPart._element`` of ``DocumentPart._styles_part``, which ``Document.styles``
  and the part's serialisation read; the renderer reuses the styles it wrote once.
- ``qn``, ``new_element``, ``parse_xml``: python-docx's namespace-prefix expansion and
  element factories (``docx.oxml.ns.qn``, ``docx.oxml.OxmlElement``,
  ``docx.oxml.parse_xml``; undocumented, stable since 0.8). Elements made this way are
  python-docx's own element classes, so the proxies above accept them.

Everything else in ``reportgen.render.docx`` works on these elements with plain lxml
(``find``, ``set``, ``addprevious``) or with python-docx's documented API — never with the
methods of python-docx's element classes (``get_or_add_pPr``, ``add_r``, ``tblPr`` …).

``tests/compat/test_docx.py`` fails when any of these stops holding.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

__all__ = [
    "package_entries", "set_blob", "core_properties_element", "paragraph_element",
    "table_element", "run_element", "paragraph_of", "run_of", "numbering_element", "qn",
    "new_element", "parse_xml", "nsdecls",
]

try:  # checked: python-docx 1.1, 1.2 (and 0.8.11); the names have not moved since 0.8
    from docx.oxml import OxmlElement as _oxml_element, parse_xml
    from docx.oxml.ns import nsdecls, qn
except ImportError as exc:  # pragma: no cover - only with a python-docx that moved them
    raise RuntimeError("python-docx no longer has docx.oxml.OxmlElement/parse_xml or "
                       "docx.oxml.ns.qn/nsdecls; reportgen.compat.docx needs updating") from exc


def new_element(tag: str) -> Any:
    """A new, empty element ``tag`` ("w:p") of python-docx's own element class."""
    return _oxml_element(tag)


class _Entries:
    """Stands in for python-docx's zip writer: collects the package's entries."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def package_entries(doc: Any) -> dict[str, bytes]:
    """The entries of ``doc``'s package (name → bytes), as ``doc.save`` would write them."""
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
    except (ImportError, AttributeError, TypeError):  # another python-docx: the public way
        return saved_entries(doc)


def saved_entries(doc: Any) -> dict[str, bytes]:
    """The entries through the public ``doc.save`` (the fallback; also what tests compare)."""
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src:
        return {name: src.read(name) for name in src.namelist()}


def set_blob(part: Any, blob: bytes) -> None:
    """Replace the bytes of a blob part (one python-docx does not parse as XML)."""
    if not hasattr(part, "_blob"):
        raise RuntimeError("python-docx keeps a part's bytes elsewhere than Part._blob; "
                           "reportgen.compat.docx.set_blob needs updating")
    part._blob = blob


def set_styles_element(doc: Any, element: Any) -> None:
    """Make ``element`` (a ``w:styles`` root) the styles of ``doc``."""
    part = getattr(doc.part, "_styles_part", None)
    if part is None or not hasattr(part, "_element"):
        raise RuntimeError("python-docx keeps the styles part's XML elsewhere than XmlPart._element; "
                           "reportgen.compat.docx.set_styles_element needs updating")
    part._element = element


def core_properties_element(core_properties: Any) -> Any:
    """The ``cp:coreProperties`` element behind ``Document.core_properties``."""
    element = getattr(core_properties, "_element", None)
    if element is None:
        raise RuntimeError("python-docx's CoreProperties has no _element; "
                           "reportgen.compat.docx.core_properties_element needs updating")
    return element


def _private(obj: Any, names: tuple[str, ...], what: str) -> Any:
    for name in names:
        element = getattr(obj, name, None)
        if element is not None:
            return element
    raise RuntimeError(f"python-docx's {type(obj).__name__} has none of {', '.join(names)}; "
                       f"reportgen.compat.docx.{what} needs updating")


def paragraph_element(paragraph: Any) -> Any:
    """The ``w:p`` element behind a python-docx ``Paragraph`` (``_p``; 1.x also ``_element``)."""
    return _private(paragraph, ("_p", "_element"), "paragraph_element")


def table_element(table: Any) -> Any:
    """The ``w:tbl`` element behind a python-docx ``Table`` (``_tbl``; 1.x also ``_element``)."""
    return _private(table, ("_tbl", "_element"), "table_element")


def run_element(run: Any) -> Any:
    """The ``w:r`` element behind a python-docx ``Run`` (public ``element`` in 1.2, ``_r``)."""
    return _private(run, ("element", "_r"), "run_element")


def paragraph_of(p_element: Any, parent: Any) -> Any:
    """A python-docx ``Paragraph`` for a ``w:p`` element inside ``parent`` (a story or cell)."""
    from docx.text.paragraph import Paragraph

    return Paragraph(p_element, parent)


def run_of(r_element: Any, paragraph: Any) -> Any:
    """A python-docx ``Run`` for a ``w:r`` element inside ``paragraph``."""
    from docx.text.run import Run

    return Run(r_element, paragraph)


def numbering_element(doc: Any) -> Any:
    """The ``w:numbering`` root of ``doc``, adding an empty numbering part if it has none."""
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    part = doc.part
    try:
        numbering_part = part.part_related_by(RT.NUMBERING)
    except KeyError:
        blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:numbering {nsdecls("w")}/>').encode()
        numbering_part = NumberingPart.load(PackURI("/word/numbering.xml"),
                                            CT.WML_NUMBERING, blob, part.package)
        part.relate_to(numbering_part, RT.NUMBERING)
    return numbering_part.element
