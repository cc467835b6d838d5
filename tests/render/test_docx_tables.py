"""Tables that fit in Word and LibreOffice: no word of a table is broken across lines.

The column widths come from the content (render/docx/tables.py, measured with Carlito's
metrics); a table whose words cannot fit a portrait page gets a landscape page. Proven on
what LibreOffice makes of the DOCX: the demo's main document and results bilag (with the
9-column table by target group and theme) and a wider made-up table, converted to PDF and
read as word boxes (pdfplumber). A word is broken when a fragment of it ends one line and
the rest starts the line below, under it ("Overordn" / "et"). Skips without LibreOffice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

import pytest

from reportgen.models.document import DocMeta, Document, Section, Table
from reportgen.render.docx import render_docx
from tests.render_cases import keep

WIDE = Table(
    caption="Tabel 1. Score pr. tema og målgruppe",
    columns=("Målgruppe", "Antal besvarelser", "Overordnet tilfredshed", "Mødet med jobcentret",
             "Mål og aktiviteter", "Samarbejde på tværs", "Samtalen", "Progression",
             "Samlet score"),
    rows=(("Uddannelseshjælpsmodtagere", "112", "3,87", "3,62", "3,37", "2,80", "3,46", "2,85", "3,34"),
          ("Sygedagpengemodtagere", "80", "3,97", "3,91", "3,56", "3,10", "3,76", "3,15", "3,59"),
          ("Job- og uddannelsesparate", "71", "3,53", "3,51", "3,27", "2,77", "3,46", "2,96", "3,26"),
          ("Ressourceforløb", "–", "–", "–", "–", "–", "–", "–", "–")),
    note="Gennemsnitlig score pr. tema.",
    align=("left", "right", *["center"] * 7),
)

NARROW = Table(
    caption="Tabel 2. Antal svar",
    columns=("Tema", "Antal svar", "Andel positive, pct."),
    rows=(("Overordnet tilfredshed", "352", "70"), ("Progression", "352", "51")),
    align=("left", "right", "right"),
)


AGES = Table(  # as Tabel 10 of fixtures/shapes/national: "18-29" / "år" broke in both PDF and DOCX
    caption="Tabel 3. Score pr. tema og alder",
    columns=("Alder", "Antal svar", "Overordnet tilfredshed", "Mødet med jobcentret", "Mål og aktiviteter",
             "Samarbejde på tværs", "Samtalen", "Progression", "Samlet score"),
    rows=tuple((age, n, "3,32", "4,15", "3,26", "2,86", "3,61", "2,92", "3,37")
               for age, n in (("18-29 år", "19"), ("30-39 år", "30"), ("40-49 år", "24"), ("50-59 år", "33"),
                              ("60+ år", "15"))),
    note="Gennemsnitlig score pr. tema.",
    align=("left", "right", *["center"] * 7),
)


def age_document() -> Document:
    return Document(meta=wide_document().meta, title_rows=(),
                    sections=(Section("bilag", "Resultater", (AGES,)),))


def broken_age_bands(pdf) -> list[tuple[int, str]]:
    """(page, word) for every 'år' of an age band that does not follow its number range on
    the same line, and every number range cut after its hyphen ('30-' / '39 år')."""
    import re

    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            for i, w in enumerate(words):
                if re.fullmatch(r"\d+[-\u2011]", w["text"]):
                    found.append((number, w["text"]))
                if w["text"] == "år":
                    before = words[i - 1] if i else None
                    same_line = before is not None and abs(before["top"] - w["top"]) < 2
                    if not (same_line and re.fullmatch(r"\d+([-\u2011]\d+|\+)", before["text"])):
                        found.append((number, "år"))
    return found


def wide_document() -> Document:
    meta = DocMeta(title="Brede tabeller", municipality="Norddjurs Kommune",
                   committee="Arbejdsmarkedsudvalget", meeting_date=dt.date(2024, 6, 17),
                   meeting_place="Rådhuset", case_number="24/1370", openness="Åben",
                   sagsgang=("AU",), status="udkast", author="Jobcenter Norddjurs",
                   version="1", created=dt.datetime(2024, 6, 3, 10, 30))
    return Document(meta=meta, title_rows=(),
                    sections=(Section("bilag", "Resultater", (NARROW, WIDE, NARROW)),))


@pytest.fixture(scope="module")
def converted(tmp_path_factory, demo_report):
    """name → (the document model, the PDF LibreOffice made of its DOCX)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret; tabeltesten springes over")
    folder = tmp_path_factory.mktemp("docx-tables")
    documents = {"sag": demo_report.documents[0], "sag-bilag-1": demo_report.documents[-1]}
    sources = []
    for name, document in documents.items():
        (folder / f"{name}.docx").write_bytes(demo_report.render("docx", document))
        sources.append(folder / f"{name}.docx")
    documents["bred"] = wide_document()
    documents["alder"] = age_document()
    documents["to-brede"] = dataclasses.replace(
        wide_document(), sections=(Section("bilag", "Resultater", (NARROW, WIDE, WIDE, NARROW)),))
    for name in ("bred", "alder", "to-brede"):
        (folder / f"{name}.docx").write_bytes(render_docx(documents[name]))
        sources.append(folder / f"{name}.docx")
    result = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(folder / 'lo').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, sources)],
        capture_output=True, text=True, timeout=180)
    out = {}
    for name, document in documents.items():
        pdf = folder / f"{name}.pdf"
        assert pdf.is_file(), (name, result.stderr)  # soffice exits 0 even when it failed
        keep(f"tabeller-{name}-libreoffice.pdf", pdf.read_bytes())
        out[name] = (document, pdf)
    return out


def tables_of(document: Document) -> list[Table]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Table)]


def broken_words(pdf, words: set[str]) -> list[tuple[int, str, str, str]]:
    """(page, word, first part, rest) for every word of ``words`` LibreOffice broke."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            boxes = page.extract_words()
            for a in boxes:
                head = a["text"].rstrip("-\u00ad")
                for word in words:
                    if not (0 < len(head) < len(word) and word.startswith(head)):
                        continue
                    rest = word[len(head):]
                    for b in boxes:
                        below = 0 < b["top"] - a["top"] < 2.5 * (a["bottom"] - a["top"])
                        under = b["x0"] < a["x1"] and b["x1"] > a["x0"]
                        if below and under and b["text"] == rest:
                            found.append((number, word, a["text"], b["text"]))
    return found


def table_words(table: Table, header_only: bool = False) -> set[str]:
    """The words of the table's header (and cells) that hold a letter: a figure column of
    "3" over "6" would otherwise pass for a broken "36" (figures are checked whole)."""
    cells = list(table.columns) + ([] if header_only else [c for r in table.rows for c in r])
    return {w for text in cells for w in text.split() if len(w) > 1 and any(ch.isalpha() for ch in w)}


def figure_cells(table: Table) -> set[str]:
    return {c for r in table.rows for c in r if c and not any(ch.isalpha() for ch in c) and " " not in c}


@pytest.mark.parametrize("name", ["sag", "sag-bilag-1", "bred"])
def test_no_table_word_is_broken_in_libreoffice(converted, name):
    import pdfplumber

    document, pdf = converted[name]
    tables = tables_of(document)
    assert tables
    words = set().union(*(table_words(t) for t in tables))
    assert broken_words(pdf, words) == []
    with pdfplumber.open(pdf) as doc:  # and the header words are all there, whole
        printed = {w["text"] for page in doc.pages for w in page.extract_words()}
    header = set().union(*(table_words(t, header_only=True) for t in tables))
    assert header <= printed, header - printed
    figures = set().union(*(figure_cells(t) for t in tables))  # "3,47–3,62" on one line
    assert figures and figures <= printed, figures - printed


def test_an_age_band_stays_on_one_line_in_libreoffice(converted):
    """'18-29 år' in a narrow first column: no break at the space or the hyphen (a no-break
    space and Word's no-break hyphen, and a column as wide as the whole label)."""
    _, pdf = converted["alder"]
    assert broken_age_bands(pdf) == []


def _orientations(pdf) -> list[tuple[bool, str]]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [(p.width > p.height, p.extract_text() or "") for p in doc.pages]


def test_a_wide_table_is_set_smaller_before_it_gets_a_landscape_page(converted):
    """The demo's 9-column table by target group and theme fits the portrait page in the
    smaller 'Tabel lille' style (as the PDF sets it smaller), so no landscape page is left
    mostly empty around it; the made-up table, wider still, gets a landscape page of its
    own, and the pages around it stay portrait."""
    from docx import Document as Docx

    shapes = _orientations(converted["sag-bilag-1"][1])
    assert not any(wide for wide, _ in shapes)
    assert any("Tabel 5." in text for _, text in shapes)
    docx_path = converted["sag-bilag-1"][1].with_suffix(".docx")
    small = [r for t in Docx(str(docx_path)).tables for row in t.rows for c in row.cells for p in c.paragraphs
             for r in p.runs if r.style is not None and r.style.name == "Tabel lille"]
    assert small, "the wide table's cells are in the smaller character style"
    shapes = _orientations(converted["bred"][1])
    landscape = [text for wide, text in shapes if wide]
    assert len(landscape) == 1 and "Tabel 1." in landscape[0]
    assert not shapes[0][0] and not shapes[-1][0]


def test_wide_tables_in_a_row_share_one_landscape_page(converted):
    """Two wide tables one after the other: one landscape section, no blank portrait page
    between them (each table used to get its own section break back to portrait)."""
    shapes = _orientations(converted["to-brede"][1])
    assert [wide for wide, _ in shapes].count(True) == 1, [w for w, _ in shapes]
    body = [[line for line in text.splitlines() if "UDKAST" not in line and not line.startswith("Side ")]
            for _, text in shapes]  # the page's text without its header and footer
    assert all(body), "a blank page"


def test_broken_word_detection_finds_a_break(tmp_path, monkeypatch):
    """The check above can fail: the same wide table squeezed into a portrait page with the
    proportional widths of old breaks its words in LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret")
    import reportgen.render.docx.blocks as blocks

    monkeypatch.setattr(blocks, "column_widths", lambda block, total, margin, font_pt=10.0: None)
    (tmp_path / "smal.docx").write_bytes(render_docx(wide_document()))
    subprocess.run([soffice, "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "smal.docx")],
                   capture_output=True, text=True, timeout=180)
    assert (tmp_path / "smal.pdf").is_file()
    assert broken_words(tmp_path / "smal.pdf", table_words(WIDE)) != []
