"""The DOCX formats through named styles, so a municipality's Word template can restyle it.

Two independent checks on the demo's main document and its results bilag:

- ``docx-plus lint`` (its style cascade) finds no style drift, no bold line posing as a
  heading, and no list override except the documented one: an ordered list after the
  first restarts at 1 through its own ``w:num`` (reportgen/render/docx/named.py);
- our own reading of ``document.xml``: body paragraphs carry nothing but a style (and the
  restart's ``w:numPr``, and the section break of a landscape table), runs nothing but a
  character style (and ``w:b`` beside ``Pladsholder``).
"""

from __future__ import annotations

import io

import pytest
from lxml import etree

from tests.render_cases import docx_part, keep

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

# What a body paragraph's w:pPr and a run's w:rPr may hold (see the module docstring).
PPR_ALLOWED = {"pStyle", "numPr", "sectPr"}
RPR_ALLOWED = {"rStyle"}


@pytest.fixture(scope="module")
def demo_docx(demo_report) -> dict[str, bytes]:
    out = {}
    for i, doc in enumerate(demo_report.documents):
        name = "sag.docx" if i == 0 else f"sag-bilag-{i}.docx"
        out[name] = demo_report.render("docx", doc)
        keep(f"styles-{name}", out[name])
    assert len(out) == 2  # the main document and the results bilag
    return out


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(docx_part(data, name).encode("utf-8"))


def restarted_lists(data: bytes) -> set[str]:
    """The numIds that restart a list on the abstract definition of the List Number style."""
    styles, numbering = xml(data, "word/styles.xml"), xml(data, "word/numbering.xml")
    style_num = styles.xpath("w:style[@w:styleId='ListNumber']/w:pPr/w:numPr/w:numId/@w:val",
                             namespaces=NS)[0]

    def abstract(num_id: str) -> str:
        return numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val",
                               namespaces=NS)[0]

    out = set()
    for num in numbering.xpath("w:num[w:lvlOverride/w:startOverride/@w:val='1']", namespaces=NS):
        num_id = num.get(f"{{{W}}}numId")
        if abstract(num_id) == abstract(style_num):
            out.add(num_id)
    return out


def test_docx_plus_lint_finds_only_restarted_lists(demo_docx):
    lint = pytest.importorskip("docx_plus.lint").lint
    import docx

    for name, data in demo_docx.items():
        findings = lint(docx.Document(io.BytesIO(data)))
        restarts = restarted_lists(data)
        body = xml(data, "word/document.xml")
        paragraphs = body.xpath("//w:p", namespaces=NS)  # the linter counts in document order
        unexplained = []
        for f in findings:
            if f.rule == "direct-numbering-override":
                p = paragraphs[f.location.paragraph_index]
                own = p.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)
                if own and own[0] in restarts:
                    continue
            unexplained.append((f.rule, f.message, f.location.excerpt))
        assert unexplained == [], name
        assert len(findings) <= 5, (name, len(findings))  # a handful: the restarted lists


def text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))


def test_body_carries_styles_not_direct_formatting(demo_docx):
    for name, data in demo_docx.items():
        body = xml(data, "word/document.xml").find(f"{{{W}}}body")
        restarts = restarted_lists(data)
        seen_styles = set()
        for p in body.iter(f"{{{W}}}p"):
            ppr = p.find(f"{{{W}}}pPr")
            kids = {etree.QName(c).localname for c in ppr} if ppr is not None else set()
            assert kids <= PPR_ALLOWED, (name, text(p), kids - PPR_ALLOWED)
            own = p.xpath("w:pPr/w:numPr/w:numId/@w:val", namespaces=NS)
            assert not own or own[0] in restarts, (name, text(p))
            seen_styles.update(p.xpath("w:pPr/w:pStyle/@w:val", namespaces=NS))
            if p.find(f"{{{W}}}pPr/{{{W}}}sectPr") is not None:
                assert text(p) == "", "a section break sits in an empty paragraph of its own"
            for r in p.iter(f"{{{W}}}r"):
                rpr = r.find(f"{{{W}}}rPr")
                kids = {etree.QName(c).localname for c in rpr} if rpr is not None else set()
                style = r.xpath("w:rPr/w:rStyle/@w:val", namespaces=NS)
                allowed = RPR_ALLOWED | ({"b"} if style == ["Pladsholder"] else set())
                assert kids <= allowed, (name, text(p), kids - allowed)
        for tc in body.iter(f"{{{W}}}tc"):  # cells: a width, nothing of the look
            kids = {etree.QName(c).localname for c in tc.find(f"{{{W}}}tcPr")}
            assert kids <= {"tcW"}, (name, kids)
        names = {st.get(f"{{{W}}}styleId"): st.find(f"{{{W}}}name").get(f"{{{W}}}val")
                 for st in xml(data, "word/styles.xml").iter(f"{{{W}}}style")}
        used = {names[sid] for sid in seen_styles}
        assert {"Titelblok afsender", "Titelblok etiket", "Tabeltitel", "Tabel hoved",
                "Tabel tal", "Tabel tekst, hold sammen", "Tabelnote"} <= used, used


def test_named_styles_carry_the_look(demo_docx):
    import docx

    d = docx.Document(io.BytesIO(demo_docx["sag-bilag-1.docx"]))
    s = d.styles
    assert s["Tabel tal"].paragraph_format.alignment == 2 and s["Tabel tal"].base_style.name == "Tabel tekst"
    assert s["Tabel midt"].paragraph_format.alignment == 1
    assert s["Tabel hoved"].font.bold and s["Tabel hoved"].paragraph_format.keep_with_next
    assert s["Tabel tekst"].font.size.pt == 10
    assert s["Titelblok afsender"].font.all_caps and s["Titelblok afsender"].font.bold
    assert s["Titelblok etiket"].font.bold and s["Titelblok etiket"].base_style.name == "Titelblok tekst"
    assert s["Tabeltitel"].paragraph_format.keep_with_next and s["Tabeltitel"].base_style.name == "Caption"
    assert s["Tabelnote"].base_style.name == "Notetekst"
    assert s["Strong"].font.bold and s["Emphasis"].font.italic
    table = xml(demo_docx["sag-bilag-1.docx"], "word/styles.xml").xpath(
        "w:style[@w:styleId='Tabel']", namespaces=NS)[0]
    assert table.xpath("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd/@w:fill", namespaces=NS) == ["F2F2F2"]
    assert table.xpath("w:tblPr/w:tblBorders/w:top/@w:val", namespaces=NS) == ["single"]


def test_a_template_restyles_reportgens_styles(tmp_path, demo_report):
    """A template that defines "Tabel tal" keeps its own look for it (only missing styles
    are added), and every figure cell of the demo's tables then looks as the template says."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    from reportgen.render.docx import render_docx

    base = docx.Document()
    style = base.styles.add_style("Tabel tal", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(8)
    style.font.italic = True
    template = tmp_path / "skabelon.docx"
    base.save(template)
    data = render_docx(demo_report.documents[-1], template=template)
    d = docx.Document(io.BytesIO(data))
    assert d.styles["Tabel tal"].font.size.pt == 8 and d.styles["Tabel tal"].font.italic
    cells = [c.paragraphs[0] for t in d.tables for row in t.rows for c in row.cells]
    figures = [p for p in cells if p.style.name in ("Tabel tal", "Tabel tal, hold sammen")]
    assert len(figures) > 20
    keep_style = d.styles["Tabel tal, hold sammen"]  # added, and inheriting the template's look
    assert keep_style.base_style.name == "Tabel tal" and keep_style.font.size is None
    assert all(p.paragraph_format.alignment is None and all(r.font.size is None for r in p.runs)
               for p in figures)
