"""compat.weasyprint_refit: pages re-made from the half-empty page on give the very PDF
that laying the changed document out afresh gives; and the internals it uses are there."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import weasyprint

from reportgen.compat import weasyprint_refit
from reportgen.models import KEEP_TOGETHER_ROWS, DocMeta, Document, Paragraph, Section, Table
from reportgen.render import pdf

LOREM = ("Borgerne i kommunen har svaret på spørgsmål om mødet med jobcentret, om samtalerne og "
         "om den indsats, de har fået, og resultaterne er her sammenholdt med alle kommuner. ")


def _meta() -> DocMeta:
    return DocMeta(title="Prøve", municipality="Prøve Kommune", committee="Udvalg", meeting_date=dt.date(2024, 1, 1),
                   meeting_place="", case_number="1", openness="Åben", sagsgang=("U",), status="udkast",
                   author="", version="1", created=dt.datetime(2024, 1, 1))


def _table(n: int) -> Table:
    rows = tuple((f"{i}.", f"Spørgsmål {i} om mødet med jobcentret og om den hjælp, borgeren fik undervejs i forløbet",
                  f"{3 + i / 100:.2f}".replace(".", ",")) for i in range(1, KEEP_TOGETHER_ROWS + 1))
    return Table(caption=f"Tabel {n}. Resultater", columns=("Nr.", "Spørgsmål", "Score"), rows=rows,
                 note="Note.", align=("left", "left", "right"), alt_text="Tabel")


def _document(lead_paragraphs: int, second_lead: int = 1) -> Document:
    """A section whose kept-together table does not fit below its text (the page before is
    left about half empty), then text and a second kept-together table (its computed style
    is the first table's: WeasyPrint shares it), then a second section."""
    first = (tuple(Paragraph.of(LOREM * 4) for _ in range(lead_paragraphs)) + (_table(1),)
             + tuple(Paragraph.of(LOREM) for _ in range(second_lead)) + (_table(2),))
    second = (Paragraph.of(LOREM * 3),)
    return Document(meta=_meta(), title_rows=(("Mødedato", "1. januar 2024"),),
                    sections=(Section("resultater", "Resultater", first), Section("spoergsmaal", "Spørgsmål", second)))


def _pages_text(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [" ".join((p.extract_text() or "").split()) for p in doc.pages]


def test_the_checked_weasyprint_has_the_internals_the_refit_uses():
    """On the WeasyPrint the refit was checked against, every internal it uses is where it
    was; on another, the PDF renderer lays out afresh instead (never a wrong layout)."""
    if weasyprint.__version__.startswith(weasyprint_refit.SUPPORTED):
        assert weasyprint_refit.available()
        import weasyprint.layout as layout

        assert callable(layout.initialize_page_maker) and callable(layout.make_all_pages)
    else:
        assert not weasyprint_refit.available()
        assert not pdf.REFIT


@pytest.mark.parametrize("lead", [3, 4])
def test_refit_gives_the_bytes_of_a_fresh_layout(monkeypatch, lead):
    if not pdf.REFIT:
        pytest.skip("this WeasyPrint is laid out afresh (see the test above)")
    calls: list[object] = []
    original = weasyprint_refit.Refittable.allow_break

    def spy(self, elements, from_page):
        result = original(self, elements, from_page)
        calls.append(result)
        return result

    monkeypatch.setattr(weasyprint_refit.Refittable, "allow_break", spy)
    document = _document(lead)
    fast = pdf.render_pdf(document)
    assert calls and all(r is not None for r in calls), "the table was not let break by re-making pages"
    monkeypatch.setattr(pdf, "REFIT", False)
    fresh = pdf.render_pdf(document)
    assert fast == fresh

    pages = _pages_text(fast)
    first_page = next(i for i, t in enumerate(pages) if "Tabel 1. Resultater" in t)
    assert "Spørgsmål 1 om mødet" in pages[first_page]  # the table starts below the text ...
    assert any(f"Spørgsmål {KEEP_TOGETHER_ROWS} om mødet" in t for t in pages[first_page + 1:])  # ... and breaks
    second = [i for i, t in enumerate(pages) if "Tabel 2. Resultater" in t]
    assert len(second) == 1 and f"{KEEP_TOGETHER_ROWS}. Spørgsmål {KEEP_TOGETHER_ROWS}" in pages[second[0]]  # whole


def test_refit_declines_what_it_cannot_re_make(monkeypatch):
    """An element that is not a kept-together block, or a page outside the layout: None,
    and the layout is left as it was."""
    if not pdf.REFIT:
        pytest.skip("this WeasyPrint is laid out afresh")
    from reportgen.render.html import print_html_and_figures

    html, figures = print_html_and_figures(_document(3))
    layout = pdf._Layout(html, None, _meta(), (), figures)
    before = layout.pages
    assert layout.allow_break((("resultater", 0),), 0) is None  # a paragraph
    assert layout.allow_break((("ingen", 0),), 0) is None  # no such section
    assert layout.allow_break((("resultater", 3),), 99) is None  # no such page
    assert layout.pages is before


def test_only_the_table_let_break_changes():
    """WeasyPrint shares one computed style between elements that cascade alike: letting
    one kept-together table break must leave the other kept together."""
    if not pdf.REFIT:
        pytest.skip("this WeasyPrint is laid out afresh")
    from reportgen.render.html import print_html_and_figures

    html, figures = print_html_and_figures(_document(3))
    layout = pdf._Layout(html, None, _meta(), (), figures)
    refit = layout._refit
    assert refit is not None
    sections = {s.get("id"): [c for c in s if isinstance(c.tag, str)] for s in refit.html.etree_element.iter("section")}
    first, second = sections["resultater"][4], sections["resultater"][-1]
    assert refit._boxes_of(first) and refit._boxes_of(second)
    assert refit._boxes_of(first)[0].style is refit._boxes_of(second)[0].style  # shared: the case in point
    assert layout.allow_break((("resultater", 3),), 0) is layout
    assert "keep-together" not in first.get("class") and "keep-together" in second.get("class")
    assert [b.style["break_inside"] for b in refit._boxes_of(second)] == ["avoid"]


def test_keep_together_sets_only_break_inside():
    """The refit gives a box what dropping the ``keep-together`` class gives it only while
    that class sets nothing but ``break-inside`` (a theme adds no CSS of its own)."""
    import re

    from reportgen.core.resources import templates_dir

    rules = []
    for sheet in (templates_dir() / "css").glob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        rules += re.findall(r"([^{}]*keep-together[^{}]*)\{([^}]*)\}", css)
    assert rules, "the stylesheets no longer name keep-together: update compat/weasyprint_refit.py"
    for selector, body in rules:
        names = {d.split(":")[0].strip() for d in body.split(";") if d.strip()}
        assert names == {"break-inside"}, (selector.strip(), names)
    templates = " ".join(p.read_text(encoding="utf-8") for p in (templates_dir() / "html").glob("*.j2"))
    assert "keep-together" in templates and "style=" not in templates.split("keep-together")[1][:80]
