"""From the demo case to PDF, DOCX and HTML: figures computed independently appear in the text."""

from __future__ import annotations

import re

import numpy as np

from tests.conftest import Expected, da

SECTIONS = ["Resumé", "Sagsfremstilling", "Sammenhæng til andre politikker/strategier og fagområder",
            "Økonomiske konsekvenser", "Lovgrundlag", "Indstilling", "Beslutning i Arbejdsmarkedsudvalget", "Bilag"]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _theme_cells(expected: Expected) -> list[str]:
    everyone = np.ones(len(expected.raw), dtype=bool)
    return [f"{t} {da(expected.theme_score(t, expected.is_focus))} ({da(expected.theme_score(t, everyone))})"
            for t in expected.themes]


def test_theme_table_in_pdf_and_docx(demo_pdf_text, demo_docx_text, expected: Expected):
    pdf, docx = _flat(demo_pdf_text), _flat(demo_docx_text.replace(" | ", " "))
    for cell in _theme_cells(expected):
        assert cell in pdf
        assert cell in docx


def test_benchmark_sentence_in_both(demo_pdf_text, demo_docx_text, expected: Expected):
    everyone = np.ones(len(expected.raw), dtype=bool)
    f, b = da(expected.theme_score(None, expected.is_focus)), da(expected.theme_score(None, everyone))
    sentence = (f"Den samlede score for Norddjurs er {f} på en skala fra 1 til 5, hvor 5 er mest positiv. "
                f"Gennemsnittet for alle kommuner er {b}.")
    assert sentence in _flat(demo_pdf_text)
    assert sentence in _flat(demo_docx_text)
    assert re.search(r"Norddjurs ligger (over|under|på niveau med) gennemsnittet for alle kommuner", _flat(demo_pdf_text))


def test_response_rate_sentence(demo_pdf_text, demo_docx_text, expected: Expected):
    n = int(expected.is_focus.sum())
    rr = da(100 * n / expected.invited["Norddjurs"], 1)
    rr_all = da(100 * len(expected.raw) / sum(expected.invited.values()), 1)
    sentence = f"svarprocent på {rr} pct. ({rr_all} pct. for alle kommuner)"
    assert sentence in _flat(demo_pdf_text)
    assert sentence in _flat(demo_docx_text)
    assert f"{n} borgere i Norddjurs" in _flat(demo_pdf_text)


def test_sections_in_profile_order(demo_pdf_text, demo_docx_text):
    # the main document comes first in both texts; its bilag begins with its own title block
    for text in (_flat(demo_pdf_text), _flat(demo_docx_text)):
        text = text[:text.rfind("Bilag 1: Resultater af undersøgelsen")]
        # "Bilag" also stands in the sentence that points to the bilag: the heading is the last
        positions = [text.rfind(s) if s == "Bilag" else text.find(s) for s in SECTIONS]
        assert all(p >= 0 for p in positions), list(zip(SECTIONS, positions))
        assert positions == sorted(positions)


def test_title_block(demo_pdf_text, demo_docx_text):
    for text in (_flat(demo_pdf_text), _flat(demo_docx_text)):
        assert "Lokale resultater fra KL's tværkommunale borgerundersøgelse" in text
        assert "mandag den 17. juni 2024" in text
        assert "24/1370" in text
        assert "Åben sag" in text


def test_indstilling_is_numbered_list_starting_with_at(demo_report):
    sec = next(s for s in demo_report.document.sections if s.key == "indstilling")
    from reportgen.models.document import ListBlock

    lists = [b for b in sec.blocks if isinstance(b, ListBlock)]
    assert lists and lists[0].ordered
    assert all(item.text.startswith("at ") for item in lists[0].items)


def test_docx_indstilling_uses_word_numbering(demo_report):
    import io
    import zipfile

    from tests.render_cases import docx_list_items

    data = demo_report.render("docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "<w:abstractNum " in z.read("word/numbering.xml").decode()
    items = {text: (style, num) for style, num, text in docx_list_items(data)}
    style, num = items["at orienteringen tages til efterretning."]  # numbered through its style
    assert style == "ListNumber" and num


def test_docx_language_and_properties(demo_report):
    import io

    import docx

    d = docx.Document(io.BytesIO(demo_report.render("docx")))
    assert d.core_properties.title == demo_report.case.sag.titel
    assert d.core_properties.author == "Arbejdsmarked og Uddannelse"
    assert d.core_properties.created.year == 2024
    assert any(p.style.name.startswith("Heading 1") for p in d.paragraphs)


def test_pdf_metadata_and_pages(demo_report, demo_pdfs):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(demo_pdfs[0]))
    assert reader.metadata.title == demo_report.case.sag.titel
    first = reader.pages[0].mediabox
    assert round(float(first.width)) == 595 and round(float(first.height)) == 842
    n = len(reader.pages)
    assert f"Side 1 af {n}" in reader.pages[0].extract_text()


def test_html_has_language_and_title(demo_report):
    html = demo_report.render("html").decode()
    assert '<html lang="da-DK"' in html
    assert "<title>Lokale resultater fra KL&#39;s tværkommunale borgerundersøgelse</title>" in html or \
        "<title>Lokale resultater fra KL's tværkommunale borgerundersøgelse</title>" in html


def test_charts_have_alt_text(demo_report):
    figs = demo_report.figures
    assert {"temafigur", "fordelingsfigur"} <= set(figs)  # + prioriteringsfigur/udviklingsfigur when there is data
    everyone = None
    for f in figs.values():
        assert f.png.startswith(b"\x89PNG")
        assert len(f.alt_text) > 40
    assert "Overordnet tilfredshed" in figs["temafigur"].alt_text


def test_draft_has_empty_beslutning_and_marker(demo_report, demo_pdf_text):
    sec = next(s for s in demo_report.document.sections if s.key == "beslutning")
    assert sec.blocks == ()
    assert "UDKAST" in demo_pdf_text


def test_suppressed_group_not_shown(demo_report, demo_pdf_text, demo_docx_text):
    for text in (demo_pdf_text, demo_docx_text):
        line = next(ln for ln in text.splitlines() if ln.startswith("Ressourceforløb"))
        # focus columns show a dash; only the all-municipality figure may appear
        assert "–" in line


def test_same_bytes_for_same_input(demo_report):
    from reportgen.api import build

    again = build(demo_report.case_path)
    for fmt in ("pdf", "docx", "html"):
        assert again.render(fmt) == demo_report.render(fmt), fmt
