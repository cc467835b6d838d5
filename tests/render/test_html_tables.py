"""Tables that fit in the HTML preview at 1280 px and in the PDF on A4.

``render.html.table_fit`` measures each table (Carlito's metrics) and sets it as it is,
compact, or — the last resort — in a focusable region that scrolls sideways. Checked in
headless Chromium (Debian's chromium through Playwright; skips without it) on the demo's
main document and results bilag (the 9-column table by target group and theme), a made-up
wide table and one too wide for anything but the scroll region; and in the demo bilag's PDF
by the words' boxes against the right margin.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reportgen.models.document import Section, Table
from reportgen.render.html import render_html, table_fit
from tests.render.test_docx_tables import WIDE, wide_document

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]

HUGE = Table(
    caption="Tabel 9. Score pr. spørgsmål og kommune",
    columns=("Spørgsmål", *[f"Kommune{'n' * 3} nr. {i}" for i in range(1, 15)]),
    rows=tuple((f"Spørgsmål {r}", *["3,87 (3,76)"] * 14) for r in range(1, 4)),
    align=("left", *["right"] * 14),
)


def test_table_fit_by_measure(demo_report):
    fits = [table_fit(b) for d in demo_report.documents for s in d.sections for b in s.blocks
            if isinstance(b, Table)]
    assert fits.count("compact") == 1 and set(fits) == {"", "compact"}, fits  # the 9-column one
    assert table_fit(WIDE) == "scroll"  # "Uddannelseshjælpsmodtagere" and eight more on A4
    assert table_fit(HUGE) == "scroll"
    assert table_fit(dataclasses.replace(WIDE, rows=WIDE.rows[1:])) == "compact"


def test_scroll_region_is_focusable_and_named():
    doc = wide_document()
    doc = dataclasses.replace(doc, sections=(Section("bilag", "Resultater", (HUGE,)),))
    html = render_html(doc)
    assert ('<div class="table-scroll" role="region" '
            'aria-label="Tabel 9. Score pr. spørgsmål og kommune" tabindex="0">') in html
    assert html.count('role="region"') == 1


@pytest.fixture(scope="module")
def pages(demo_report, tmp_path_factory):
    """name → HTML file: the demo's two documents, the wide made-up one, the huge one."""
    folder = tmp_path_factory.mktemp("html-tables")
    huge = dataclasses.replace(wide_document(),
                               sections=(Section("bilag", "Resultater", (WIDE, HUGE)),))
    sources = {"sag": demo_report.documents[0], "sag-bilag-1": demo_report.documents[-1],
               "bred": wide_document(), "enorm": huge}
    out = {}
    for name, doc in sources.items():
        path = folder / f"{name}.html"
        path.write_text(render_html(doc), encoding="utf-8")
        scroll = {b.caption for s in doc.sections for b in s.blocks
                  if isinstance(b, Table) and table_fit(b) == "scroll"}
        out[name] = (path, scroll)
    assert not out["sag"][1] and not out["sag-bilag-1"][1] and len(out["enorm"][1]) == 2
    return out


MEASURE = """() => {
  const body = document.body.getBoundingClientRect();
  return [...document.querySelectorAll('table.data')].map(t => {
    const box = t.parentElement;
    const region = t.closest('.table-scroll');
    const r = (region || t).getBoundingClientRect();
    return {caption: t.caption ? t.caption.textContent : '', scroll: t.scrollWidth,
            container: box.clientWidth, inRegion: !!region, right: r.right, bodyRight: body.right,
            regionRole: region ? region.getAttribute('role') : null,
            regionTab: region ? region.tabIndex : null,
            regionLabel: region ? region.getAttribute('aria-label') : null};
  });
}"""


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_every_table_fits_at_1280_px(pages):
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            for name, (path, scroll) in pages.items():
                page.goto(path.as_uri())
                tables = page.evaluate(MEASURE)
                assert tables, name
                for t in tables:
                    assert t["inRegion"] == (t["caption"] in scroll), (name, t)
                    if t["inRegion"]:  # the last resort: scrolls inside a named, focusable region
                        assert (t["regionRole"], t["regionTab"]) == ("region", 0) and t["regionLabel"]
                    else:
                        assert t["scroll"] <= t["container"], (name, t)
                    assert t["right"] <= t["bodyRight"] + 0.5, (name, t)
                assert page.evaluate("document.documentElement.scrollWidth") <= 1280, name
        finally:
            browser.close()


def test_demo_bilag_pdf_stays_inside_the_right_margin(demo_pdfs):
    import io

    import pdfplumber

    data = demo_pdfs[-1]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            margin = page.width - 2.0 / 2.54 * 72  # css/document.css: 2 cm on the right
            body = [w for w in page.extract_words()
                    if 2.4 / 2.54 * 72 < w["top"] < page.height - 2.4 / 2.54 * 72]
            beyond = [(w["text"], round(w["x1"])) for w in body if w["x1"] > margin + 0.5]
            assert beyond == [], (number, beyond)
