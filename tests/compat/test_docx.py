"""reportgen.compat.docx: the python-docx internals the DOCX renderer uses still hold."""

from __future__ import annotations

import docx

from reportgen.compat import docx as compat_docx


def test_package_entries_are_what_save_writes() -> None:
    doc = docx.Document()
    doc.add_paragraph("Prøve")
    entries = compat_docx.package_entries(doc)
    saved = compat_docx.saved_entries(doc)
    assert entries == saved, "python-docx's PackageWriter changed: the entries differ from doc.save"


def test_package_entries_use_the_writer_not_the_fallback(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(compat_docx, "saved_entries", lambda doc: calls.append(doc) or {})
    assert compat_docx.package_entries(docx.Document())
    assert not calls, "python-docx's PackageWriter private methods are gone: the slow fallback ran"


def test_blob_and_core_properties_element() -> None:
    doc = docx.Document()
    app = next(p for p in doc.part.package.iter_parts() if p.partname == "/docProps/app.xml")
    compat_docx.set_blob(app, b"<x/>")
    assert app.blob == b"<x/>"
    element = compat_docx.core_properties_element(doc.core_properties)
    assert element.tag.endswith("}coreProperties")
