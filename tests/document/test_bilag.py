"""The short sagsfremstilling with the results as a separate bilag document, and marks whose
footnotes are printed only under the tables that hold them."""

from __future__ import annotations

import io

import pytest

from reportgen.document.marks import DASH, NOT_ASKED, marks_in, with_mark_notes
from reportgen.models.document import Figure, ListBlock, Table


def _blocks(doc):
    return [b for s in doc.sections for b in s.blocks]


def test_main_document_and_results_bilag(demo_report):
    main, (bilag,) = demo_report.document, demo_report.attachments
    assert demo_report.documents == (main, bilag)
    assert bilag.meta.title == "Bilag 1: Resultater af undersøgelsen" and bilag.suffix == "bilag-1"
    # the main document: one table, no figures; the bilag is listed first under Bilag
    assert [type(b) for b in _blocks(main) if isinstance(b, (Table, Figure))] == [Table]
    listed = next(b for b in next(s for s in main.sections if s.key == "bilag").blocks if isinstance(b, ListBlock))
    assert [p.text for p in listed.items] == ["Resultater af undersøgelsen", *demo_report.case.tekster.bilag]
    # nothing generated comes after Bilag: it is the main document's last section, and holds no table
    assert main.sections[-1].key == "bilag"
    assert not any(isinstance(b, (Table, Figure)) for b in main.sections[-1].blocks)
    assert "metode" in [s.key for s in bilag.sections]


def test_every_figure_is_printed_in_one_of_the_documents(demo_report):
    printed = [b.png for d in demo_report.documents for b in _blocks(d) if isinstance(b, Figure)]
    assert sorted(printed) == sorted(f.png for f in demo_report.figures.values())
    assert len(printed) == len(demo_report.figures) >= 3


def test_main_pdf_is_at_most_three_pages(demo_pdfs):
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(demo_pdfs[0])).pages) <= 3


def test_write_returns_every_file_of_the_set(demo_report, tmp_path):
    from reportgen.api import write

    paths = write(demo_report, tmp_path, ["html", "docx"])
    assert [p.name for p in paths] == ["sag.html", "sag.docx", "sag-bilag-1.html", "sag-bilag-1.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no temporaries left
    assert paths[2].read_bytes() == demo_report.render("html", demo_report.attachments[0])


def test_a_profile_may_keep_one_document(tmp_path):
    from reportgen.document.profile import load_profile

    for name in ("temadroeftelse", "handleplan"):
        assert load_profile(name).bilag == []


def _table(rows, note="Note."):
    return Table(caption="Tabel 1. X", columns=("A", "B"), rows=rows, note=note, align=("left", "right"))


@pytest.mark.parametrize("rows,marks", [
    ((("a", "1,0"), ("b", "2,0")), set()),
    ((("a", DASH), ("b", "2,0")), {DASH}),
    ((("a", NOT_ASKED), ("b", "3,80–3,98")), {NOT_ASKED}),  # a range's dash is no mark
    ((("a", NOT_ASKED), ("b", DASH)), {DASH, NOT_ASKED}),
])
def test_footnote_only_for_marks_in_the_table(rows, marks):
    t = with_mark_notes(_table(rows), min_n=5)
    assert marks_in(t) == marks
    assert ("ikke vist, fordi færre end 5" in t.note) == (DASH in marks)
    assert ("ikke spurgt" in t.note) == (NOT_ASKED in marks)
    assert t.note.startswith("Note.")


def test_demo_tables_explain_exactly_their_marks(demo_report):
    tables = [b for d in demo_report.documents for b in _blocks(d) if isinstance(b, Table)]
    assert any(DASH in marks_in(t) for t in tables) and any(DASH not in marks_in(t) for t in tables)
    for t in tables:
        assert ("ikke vist, fordi færre end" in t.note) == (DASH in marks_in(t)), t.caption
        assert ("ikke spurgt" in t.note) == (NOT_ASKED in marks_in(t)), t.caption
