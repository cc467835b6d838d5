"""The DOCX of a case, end to end through ``build(case).render("docx")``: page-number fields,
lists that restart, headings for the navigation pane, alt texts, da-DK proofing language,
core properties from the case — and LibreOffice opens and converts it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import docx
import pytest
from lxml import etree

from reportgen.api import build
from reportgen.models.document import Figure, Table
from tests.render_cases import docx_list_items, docx_part, docx_parts, keep, make_case, run_looks

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}

HAND_WRITTEN = (
    "Forvaltningen følger op på tre områder:\n\n"
    "1. samtalerne\n2. planerne\n3. overdragelserne\n\n"
    "Det sker **i 2025** og *efter* drøftelse med [MED-udvalget](https://intra.example/med)."
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    return build(make_case(folder, {"tema": "eksempel", "tekster": {"sagsfremstilling": HAND_WRITTEN}}))


@pytest.fixture(scope="module")
def data(report) -> bytes:
    out = report.render("docx")
    keep("sag-tema.docx", out)
    return out


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(docx_part(data, name).encode("utf-8"))


def test_header_and_footer_with_page_fields(data):
    footers = [n for n in docx_parts(data, "word/footer") if n.endswith(".xml")]
    headers = [n for n in docx_parts(data, "word/header") if n.endswith(".xml")]
    assert footers and headers
    footer = xml(data, footers[0])
    instr = [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert "".join(t.text or "" for t in footer.iter(f"{{{W}}}t")).startswith("Side 1 af 1")
    header_text = "".join(t.text or "" for t in xml(data, headers[0]).iter(f"{{{W}}}t"))
    assert header_text == "UDKAST – version 1 – dannet 3. juni 2024"


def test_numbered_lists_restart_for_every_list(data):
    body = xml(data, "word/document.xml")
    numbering = xml(data, "word/numbering.xml")
    lists: list[tuple[str, list[str]]] = []
    for style_id, num, text in docx_list_items(data):
        if style_id == "ListNumber":
            if lists and lists[-1][0] == num:
                lists[-1][1].append(text)
            else:
                lists.append((num, [text]))
    # Hand-written list (3), Indstilling (1), Bilag (the results bilag + 2): three separate lists, three numIds.
    assert [items for _, items in lists] == [["samtalerne", "planerne", "overdragelserne"],
                                              ["at orienteringen tages til efterretning."],
                                              ["Resultater af undersøgelsen",
                                               "Rapport tværkommunal borgerundersøgelse",
                                               "Tilfredshed med helhedsorienteret sagsbehandling"]]
    assert len({num for num, _ in lists}) == 3
    assert body is not None
    for i, (num, _) in enumerate(lists):  # the first is the style's list, the others restart
        start = numbering.xpath(f"w:num[@w:numId='{num}']/w:lvlOverride/w:startOverride/@w:val",
                                namespaces=NS) or (["1"] if i == 0 else [])
        abstract = numbering.xpath(f"w:num[@w:numId='{num}']/w:abstractNumId/@w:val", namespaces=NS)[0]
        fmt = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val",
                              namespaces=NS)
        assert start == ["1"] and fmt == ["decimal"]


def test_headings_map_to_the_navigation_pane(report, data):
    d = docx.Document(io.BytesIO(data))
    level1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert level1 == [s.heading for s in report.document.sections]
    styles = xml(data, "word/styles.xml")
    for name, level in (("heading 1", "0"), ("heading 2", "1"), ("heading 3", "2")):
        assert styles.xpath(f"w:style[w:name/@w:val='{name}']/w:pPr/w:outlineLvl/@w:val",
                            namespaces=NS) == [level]


def test_proofing_language_da_dk_in_the_styles(data):
    styles = xml(data, "word/styles.xml")
    assert styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val", namespaces=NS) == ["da-DK"]
    assert styles.xpath("w:style[@w:styleId='Normal']/w:rPr/w:lang/@w:val", namespaces=NS) == ["da-DK"]
    settings = xml(data, "word/settings.xml")
    assert settings.xpath("w:themeFontLang/@w:val", namespaces=NS) == ["da-DK"]


def test_figure_and_table_alt_texts(report, data):
    blocks = [b for s in report.document.sections for b in s.blocks]
    figures = [b for b in blocks if isinstance(b, Figure)]
    tables = [b for b in blocks if isinstance(b, Table)]
    body = xml(data, "word/document.xml")
    assert body.xpath("//wp:docPr/@descr", namespaces=NS) == [f.alt_text for f in figures]
    descriptions = body.xpath("//w:tblPr/w:tblDescription/@w:val", namespaces=NS)
    assert descriptions == [t.alt_text or t.caption for t in tables]
    assert all(len(d) > 20 for d in descriptions)


def test_core_properties_from_the_case(report, data):
    cp = docx.Document(io.BytesIO(data)).core_properties
    s = report.case.sag
    assert cp.title == s.titel
    assert cp.author == "Arbejdsmarked og Uddannelse"
    assert cp.subject == "Sagsfremstilling til Arbejdsmarkedsudvalget"
    assert "borgerundersøgelse" in cp.keywords
    assert cp.created.date().isoformat() == "2024-06-03" == cp.modified.date().isoformat()
    assert (cp.identifier, cp.language, cp.version, cp.content_status) == ("24/1370", "da-DK", "1", "Udkast")


def test_markdown_subset_rendered_in_docx(data):
    d = docx.Document(io.BytesIO(data))
    para = next(p for p in d.paragraphs if p.text.startswith("Det sker i 2025"))
    assert para.text == "Det sker i 2025 og efter drøftelse med MED-udvalget (https://intra.example/med)."
    assert [(r.text, *run_looks(r)) for r in para.runs if any(run_looks(r))] == \
        [("i 2025", True, False), ("efter", False, True)]
    assert "<w:hyperlink" not in docx_part(data, "word/document.xml")  # links are text only


def test_libreoffice_opens_and_converts_the_case_docx(tmp_path, report, data):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret; konverteringstesten springes over")
    source = tmp_path / "sag.docx"
    source.write_bytes(data)
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180)
    converted = tmp_path / "sag.pdf"
    assert result.returncode == 0 and converted.is_file(), result.stderr
    keep("sag-tema-libreoffice.pdf", converted.read_bytes())
    import pdfplumber

    with pdfplumber.open(converted) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        has_logo = bool(pdf.pages[0].images)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    at = 0  # every heading, in order (a heading word may also stand earlier in running text)
    for s in report.document.sections:
        found = text.find(s.heading, at)
        assert found >= 0, (s.heading, at)
        at = found + len(s.heading)
    assert f"Side 1 af {len(pages)}" in text
    assert "UDKAST – version 1 – dannet 3. juni 2024" in text
    assert "1. samtalerne 2. planerne 3. overdragelserne" in text
    assert "1. at orienteringen tages til efterretning." in text  # restarts at 1
    assert has_logo  # the PNG fallback of the theme's SVG logo
