"""The PDF's bundled fonts: "Reportgen Sans" is Carlito cut to Latin-script text
(tools/make_fonts.py) so that subsetting it is cheap without HarfBuzz's subsetter; it keeps
Carlito's glyph outlines, metrics and licence, gives up the reserved name, and text outside
it falls back to the full Carlito."""

from __future__ import annotations

import io
import string

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from reportgen.core.resources import templates_dir
from reportgen.render.pdf import html_to_pdf

STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
DANISH = string.printable.strip() + "æøåÆØÅéüöä§½–—‘’“”„…•€≤≥−×"


def _fonts(style: str) -> tuple[TTFont, TTFont]:
    folder = templates_dir() / "fonts"
    return TTFont(str(folder / f"ReportgenSans-{style}.ttf")), TTFont(str(folder / f"Carlito-{style}.ttf"))


@pytest.mark.parametrize("style", STYLES)
def test_the_subset_keeps_carlitos_glyphs_and_widths_for_danish_text(style: str) -> None:
    small, full = _fonts(style)
    small_cmap, full_cmap = small.getBestCmap(), full.getBestCmap()
    for ch in DANISH:
        assert ord(ch) in small_cmap, ch
        a, b = small_cmap[ord(ch)], full_cmap[ord(ch)]
        assert small["hmtx"][a] == full["hmtx"][b], ch
        assert small["glyf"][a].getCoordinates(small["glyf"])[0] == full["glyf"][b].getCoordinates(full["glyf"])[0]
    assert len(small.getGlyphOrder()) < len(full.getGlyphOrder()) / 4
    assert {"kern", "liga"} <= {r.FeatureTag for r in small["GPOS"].table.FeatureList.FeatureRecord} | \
        {r.FeatureTag for r in small["GSUB"].table.FeatureList.FeatureRecord}


@pytest.mark.parametrize("style", STYLES)
def test_the_subset_does_not_use_the_reserved_name_and_keeps_the_licence(style: str) -> None:
    small, full = _fonts(style)
    names = {r.nameID: r.toUnicode() for r in small["name"].names if r.platformID == 3}
    for nid in (1, 3, 4, 6, 16):
        if nid in names:
            assert "Carlito" not in names[nid].split(";")[0], (nid, names[nid])
    assert names[1] == "Reportgen Sans"
    full_names = {r.nameID: r.toUnicode() for r in full["name"].names if r.platformID == 3}
    assert names[0] == full_names[0] and names[13] == full_names[13] and names[14] == full_names[14]
    assert "Reportgen Sans" in (templates_dir() / "fonts" / "OFL.txt").read_text(encoding="utf-8")


def _pdf_fonts(html: str) -> set[str]:
    with pikepdf.open(io.BytesIO(html_to_pdf(html))) as pdf:
        return {str(f.BaseFont).split("+", 1)[1] for p in pdf.pages for f in p.Resources.get("/Font", {}).values()}


def test_text_outside_the_subset_falls_back_to_the_full_carlito() -> None:
    page = ('<html lang="da"><head><link rel="stylesheet" href="css/fonts.css">'
            '<link rel="stylesheet" href="css/document.css"></head><body><p>{}</p></body></html>')
    assert _pdf_fonts(page.format("Rådhuset")) == {"Reportgen-Sans"}
    assert _pdf_fonts(page.format("Rådhuset Ωμέγα")) == {"Reportgen-Sans", "Carlito"}
