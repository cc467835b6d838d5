"""The PDF of a case, end to end through ``build(case).render("pdf")``: A4 with running header
and footer, bookmarks, no heading left alone at the bottom of a page, and the PDF/UA-1 and
PDF/A-2b variants chosen in the case file (structure tree, language, alt texts, table
headers, metadata)."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from reportgen.api import build
from reportgen.models.document import Figure
from tests.render_cases import FULL_TEXTS, keep, make_case, pdf_outline, pdf_pages, struct_elements

PROFILES = ("sagsfremstilling", "temadroeftelse", "handleplan")


@pytest.fixture(scope="module", params=["typst", "weasyprint"])
def ua_report(tmp_path_factory, request):
    folder = tmp_path_factory.mktemp("ua")
    return build(make_case(folder, {"tema": "eksempel",
                                    "sag": {"pdf_variant": "pdf/ua-1", "pdf_motor": request.param}}))


@pytest.fixture(scope="module")
def ua_pdf(ua_report) -> bytes:
    data = ua_report.render("pdf", ua_report.documents[-1])  # the results bilag: figures and tables
    keep(f"sag-pdf-ua-1-{ua_report.case.sag.pdf_motor}.pdf", data)
    return data


def test_pdf_ua_structure_language_title_and_alt_texts(ua_report, ua_pdf):
    doc = ua_report.documents[-1]
    figures = [b for s in doc.sections for b in s.blocks if isinstance(b, Figure)]
    assert figures
    with pikepdf.open(io.BytesIO(ua_pdf)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "da-DK"
        assert bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"] == doc.meta.title
        alts = [str(f.Alt) for f in struct_elements(root.StructTreeRoot, "/Figure")]
        assert alts == ["Logo: Norddjurs Kommune", *[f.alt_text for f in figures]]
        headings = list(struct_elements(root.StructTreeRoot, "/H2"))
        assert len(headings) == len(doc.sections)
        assert len(list(struct_elements(root.StructTreeRoot, "/H1"))) == 1


def _attributes(element) -> dict:
    """A structure element's /A as one dictionary (an array of attribute objects, or one)."""
    attrs = element.get("/A")
    if attrs is None:
        return {}
    merged: dict = {}
    for a in (attrs if isinstance(attrs, pikepdf.Array) else [attrs]):
        merged.update({str(k): v for k, v in a.items()})
    return merged


def test_pdf_ua_marks_table_headers(ua_report, ua_pdf):
    with pikepdf.open(io.BytesIO(ua_pdf)) as pdf:
        tree = pdf.Root.StructTreeRoot
        ths = list(struct_elements(tree, "/TH"))
        tds = list(struct_elements(tree, "/TD"))
        assert ths and tds
        header_ids = {str(th.ID) for th in ths}
        heads = list(struct_elements(tree, "/THead"))
        if ua_report.case.sag.pdf_motor == "typst":
            # Typst: the header row's cells are TH with Scope Column; every data cell names
            # the header of its column (Headers/ID)
            assert all(str(_attributes(th)["/Scope"]) == "/Column" for th in ths)
            for td in tds:
                refs = [str(h) for h in _attributes(td).get("/Headers", [])]
                assert refs and set(refs) <= header_ids
            assert len(heads) >= 3
            return
        assert all(str(th.A.O) == "/Table" for th in ths)
        # Every data cell names its headers (PDF/UA's Headers/ID method), but the corner
        # cell of each header row (a td labelling the row headers below it)
        corners = [td for td in tds if not len(td.A.get("/Headers", []))]
        for td in tds:
            refs = [str(h) for h in td.A.get("/Headers", [])]
            assert set(refs) <= header_ids
        heads = list(struct_elements(tree, "/THead"))
        assert len(heads) >= 3 and len(corners) == len(heads)


def test_pdf_metadata_from_the_case(ua_report, ua_pdf):
    meta = PdfReader(io.BytesIO(ua_pdf)).metadata
    assert meta.title == ua_report.documents[-1].meta.title == "Bilag 1: Resultater af undersøgelsen"
    assert meta.author == "Arbejdsmarked og Uddannelse"
    assert meta.subject == "Bilag 1: Resultater af undersøgelsen – Sagsfremstilling til Arbejdsmarkedsudvalget"
    assert "borgerundersøgelse" in meta["/Keywords"]
    assert meta.creation_date.date().isoformat() == "2024-06-03"


def test_pdf_a2b_chosen_in_the_case(tmp_path):
    report = build(make_case(tmp_path, {"sag": {"pdf_variant": "pdf/a-2b"}}))
    data = report.render("pdf")
    keep("sag-pdf-a-2b.pdf", data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "2"
            assert xmp["pdfaid:conformance"] == "B"
            assert xmp["dc:title"] == report.document.meta.title
            assert xmp["xmp:CreateDate"].startswith("2024-06-03")
        intents = pdf.Root.OutputIntents
        assert str(intents[0].S) == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
        assert len(pdf.trailer.ID) == 2


def test_unknown_pdf_variant_in_the_case_is_an_input_error(tmp_path):
    from reportgen.errors import InputError

    with pytest.raises(InputError, match="pdf_variant"):
        build(make_case(tmp_path, {"sag": {"pdf_variant": "pdf/x-4"}}))


@pytest.fixture(scope="module")
def profile_pdfs(tmp_path_factory):
    out = {}
    for name in PROFILES:
        folder = tmp_path_factory.mktemp(f"pdf-{name}")
        report = build(make_case(folder, {"profil": name, "tema": "eksempel", "tekster": dict(FULL_TEXTS)}))
        out[name] = (report, report.render("pdf"))
    return out


@pytest.mark.parametrize("name", PROFILES)
def test_a4_running_header_footer_and_bookmarks(profile_pdfs, name):
    report, data = profile_pdfs[name]
    pages = pdf_pages(data)
    reader = PdfReader(io.BytesIO(data))
    for number, (page, text) in enumerate(zip(reader.pages, pages), start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"Side {number} af {len(pages)}" in text
        assert "Norddjurs Kommune" in text and "Sagsnr. 24/1370" in text
        assert "UDKAST – version 1 – dannet 3. juni 2024" in text
    outline = pdf_outline(data)
    assert outline[0] == report.document.meta.title
    assert [h for h in outline if h in {s.heading for s in report.document.sections}] == \
        [s.heading for s in report.document.sections]


@pytest.mark.parametrize("name", PROFILES)
def test_no_heading_is_left_alone_at_the_bottom_of_a_page(profile_pdfs, name):
    _, data = profile_pdfs[name]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:-1]:
            heading = _last_line_is_heading(page)
            assert heading is None, f"page {page.page_number} ends with the heading '{heading}'"


def _last_line_is_heading(page) -> str | None:
    body = [c for c in page.chars if 60 < c["top"] < page.height - 70 and c["text"].strip()]
    last_top = max(c["top"] for c in body)
    last_line = [c for c in body if abs(c["top"] - last_top) < 2]
    if all("Bold" in c["fontname"] and c["size"] >= 11.9 for c in last_line):
        return "".join(c["text"] for c in sorted(last_line, key=lambda c: c["x0"]))
    return None


@pytest.mark.parametrize("lines", range(22, 30))
def test_headings_move_with_their_text_whatever_the_page_break(lines):
    """Filler of growing length pushes two headings through the bottom of page 1 (with
    24–27 lines they would otherwise be left there)."""
    import datetime as dt

    from reportgen.models.document import DocMeta, Document, Heading, Paragraph, Section
    from reportgen.render.pdf import render_pdf

    meta = DocMeta(title="Sideskift", municipality="Testby Kommune", committee="Udvalget",
                   meeting_date=None, meeting_place="", case_number="1/1", openness="Åben",
                   sagsgang=(), status="endelig", author="Testby", version="1",
                   created=dt.datetime(2024, 6, 3))
    filler = tuple(Paragraph.of(f"Linje {i}.") for i in range(lines))
    sections = (Section("a", "Første afsnit", filler),
                Section("b", "Andet afsnit", (Heading("Underoverskrift", 3),
                                             Paragraph.of("Tekst under overskriften. " * 8))))
    data = render_pdf(Document(meta=meta, title_rows=(), sections=sections))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        ends = [_last_line_is_heading(p) for p in pdf.pages[:-1]]
        last = pdf.pages[-1].extract_text()
    assert all(e is None for e in ends), ends
    assert "Andet afsnit" in last and "Underoverskrift" in last and "Tekst under" in last
