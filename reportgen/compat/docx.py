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

``tests/compat/test_docx.py`` fails when any of these stops holding.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

__all__ = ["package_entries", "set_blob", "core_properties_element"]


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


def core_properties_element(core_properties: Any) -> Any:
    """The ``cp:coreProperties`` element behind ``Document.core_properties``."""
    element = getattr(core_properties, "_element", None)
    if element is None:
        raise RuntimeError("python-docx's CoreProperties has no _element; "
                           "reportgen.compat.docx.core_properties_element needs updating")
    return element
