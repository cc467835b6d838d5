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


def test_element_accessors_give_the_elements_behind_the_proxies() -> None:
    doc = docx.Document()
    p = doc.add_paragraph("Prøve")
    run = p.add_run(" mere")
    table = doc.add_table(rows=1, cols=1)
    p_el = compat_docx.paragraph_element(p)
    assert p_el.tag == compat_docx.qn("w:p") and p_el.getparent() is doc.element.body, \
        "python-docx's Paragraph no longer keeps its w:p in _p/_element"
    assert compat_docx.run_element(run).tag == compat_docx.qn("w:r")
    assert compat_docx.run_element(run).getparent() is p_el
    tbl = compat_docx.table_element(table)
    assert tbl.tag == compat_docx.qn("w:tbl") and tbl.getparent() is doc.element.body
    # proxies for elements the renderer builds itself
    again = compat_docx.paragraph_of(p_el, doc)
    assert again.text == "Prøve mere"
    r_el = compat_docx.new_element("w:r")
    p_el.append(r_el)
    assert compat_docx.run_of(r_el, again).text == ""


def test_element_accessors_fail_loudly_without_the_attribute() -> None:
    class Changed:
        pass

    import pytest

    for accessor in (compat_docx.paragraph_element, compat_docx.table_element,
                     compat_docx.run_element):
        with pytest.raises(RuntimeError, match="reportgen.compat.docx"):
            accessor(Changed())


def test_qn_and_factories() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    assert compat_docx.qn("w:pStyle") == f"{{{w}}}pStyle"
    el = compat_docx.parse_xml(f'<w:p {compat_docx.nsdecls("w")}><w:r/></w:p>')
    assert el.tag == f"{{{w}}}p" and len(el) == 1
    from docx.text.paragraph import Paragraph

    assert Paragraph(compat_docx.new_element("w:p"), None).text == ""  # python-docx's own class


def test_numbering_element_added_when_missing() -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    doc = docx.Document()
    for rel in list(doc.part.rels.values()):
        if rel.reltype == RT.NUMBERING:
            doc.part.drop_rel(rel.rId)
    root = compat_docx.numbering_element(doc)
    assert root.tag == compat_docx.qn("w:numbering") and len(root) == 0
    assert compat_docx.numbering_element(doc) is root  # the same part the second time
    entries = compat_docx.package_entries(doc)
    assert "word/numbering.xml" in entries


def test_set_styles_element_replaces_what_styles_and_the_saved_part_read() -> None:
    import copy

    from reportgen.compat.docx import qn, saved_entries, set_styles_element

    doc = docx.Document()
    element = copy.deepcopy(doc.styles.element)
    element.find(qn("w:style")).set(qn("w:styleId"), "KeptCopy")
    set_styles_element(doc, element)
    assert doc.styles.element is element
    assert b'w:styleId="KeptCopy"' in saved_entries(doc)["word/styles.xml"]
