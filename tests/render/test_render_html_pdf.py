"""HTML and PDF renderers: Document → HTML text / PDF bytes.

Documents are built by hand here, so these tests need nothing from the pipeline before
the renderers. PDFs are checked through their extracted text (pdfplumber), metadata
(pypdf) and structure (pikepdf). Every PDF made is also written to tests/results/
(git-ignored) so a person can look at it when a test fails.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import socket
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader

from reportgen.errors import ReportgenError
from reportgen.models.document import (
    DocMeta,
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Section,
    Table,
)
from reportgen.render.html import render_html
from reportgen.render.pdf import (
    PdfVariantError,
    ResourceRefused,
    TemplatesOnlyFetcher,
    html_to_pdf,
    render_pdf,
)
from reportgen.core.resources import templates_dir
from reportgen.core.templating import environment

RESULTS = Path(__file__).resolve().parents[1] / "results"
EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_JINJA = "{{ 7*7 }}"
ALT_TEXT = "Søjlediagram: Testby ligger over alle kommuner i begge temaer."
CREATED = dt.datetime(2024, 6, 3, 9, 0)


# --------------------------------------------------------------------------- helpers


def _png() -> bytes:
    image = Image.new("RGB", (120, 60), (27, 58, 92))
    for x in range(60, 120):
        for y in range(60):
            image.putpixel((x, y), (160, 180, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def make_document(status: str = "udkast", *, title: str = "Borgerundersøgelse 2024",
                  alt_text: str = ALT_TEXT, caption: str = "Figur 1. Score pr. tema") -> Document:
    meta = DocMeta(
        title=title,
        municipality="Testby Kommune",
        committee="Arbejdsmarkedsudvalget",
        meeting_date=dt.date(2024, 6, 17),
        meeting_place="Rådhuset",
        case_number="24/1370",
        openness="Åben",
        sagsgang=("AU",),
        status=status,  # type: ignore[arg-type]
        author="Jobcenter Testby",
        version="1",
        created=CREATED,
        subject="Sagsfremstilling til Arbejdsmarkedsudvalget",
        keywords=("borgerundersøgelse", "tilfredshed"),
    )
    table = Table(
        caption="Tabel 1. Score pr. tema",
        columns=("Tema", "Testby", "Alle kommuner"),
        rows=(("Overordnet tilfredshed", "3,81", "3,64"), ("Progression", "3,13", "2,97")),
        note="Kilde: KL's tværkommunale borgerundersøgelse.",
        align=("left", "right", "right"),
    )
    filler = tuple(
        Paragraph.of(
            f"Afsnit {i}: Under temaet spørges til, i hvor høj grad borgeren oplever at blive "
            "mødt med tillid, at der bliver lyttet til egne idéer og forslag, når der lægges "
            "plan for forløbet, og at der tages udgangspunkt i egen situation."
        )
        for i in range(1, 13)
    )
    sections = (
        Section("resume", "Resumé", (Paragraph.of("Testby ligger over landsgennemsnittet."),)),
        Section(
            "indstilling",
            "Indstilling",
            (
                Paragraph.of("Forvaltningen indstiller,"),
                ListBlock(
                    (
                        Paragraph.of("at udvalget tager orienteringen til efterretning, og"),
                        Paragraph.of("at udvalget drøfter opfølgningen."),
                    ),
                    ordered=True,
                ),
            ),
        ),
        Section(
            "sagsfremstilling",
            "Sagsfremstilling",
            (
                Paragraph(
                    (
                        Run("Svarprocenten var "),
                        Run("39,4 pct.", bold=True),
                        Run(" og "),
                        Run("tallet i parentes", italic=True),
                        Run(" er landsgennemsnittet."),
                    )
                ),
                Heading("Mødet med jobcentret", 3),
                table,
                Figure(png=_png(), caption=caption, alt_text=alt_text, width_cm=8),
                *filler,
                Paragraph.of("Metode: gyldige svar.", "note"),
            ),
        ),
        Section("oekonomi", "Økonomiske konsekvenser",
                (Paragraph.of("[Mangler: tekst til 'Økonomiske konsekvenser'.]", "placeholder"),)),
        Section("beslutning", "Beslutning", ()),
    )
    rows = (("Udvalg", "Arbejdsmarkedsudvalget"), ("Mødedato", "mandag den 17. juni 2024"),
            ("Sagsnummer", "24/1370"))
    return Document(meta=meta, title_rows=rows, sections=sections)


def evil_document() -> Document:
    """Model text that must come out literally: markup and template syntax."""
    base = make_document(title=f"Titel {EVIL_SCRIPT} {EVIL_JINJA}",
                         alt_text=f"Alt {EVIL_SCRIPT}\" onerror=\"x", caption=f"Figur {EVIL_JINJA}")
    extra = Section(
        "evil",
        f"Afsnit {EVIL_JINJA}",
        (
            Paragraph((Run(f"Tekst {EVIL_SCRIPT} og {EVIL_JINJA}"), Run(" <b>fed</b>", bold=True))),
            Table("Tabel <i>x</i>", ("Navn", "Værdi"), ((EVIL_SCRIPT, EVIL_JINJA),)),
            ListBlock((Paragraph.of(f"Punkt {EVIL_JINJA}"),)),
        ),
    )
    return Document(meta=base.meta, title_rows=(("Udvalg", EVIL_SCRIPT),),
                    sections=(*base.sections, extra))


def keep(name: str, data: bytes) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_bytes(data)


def pdf_pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    data = render_pdf(make_document("udkast"))
    keep("draft.pdf", data)
    return data


@pytest.fixture(scope="module")
def final_pdf() -> bytes:
    data = render_pdf(make_document("endelig"))
    keep("final.pdf", data)
    return data


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --------------------------------------------------------------------------- resources / templating


def test_templates_dir_holds_templates_css_and_fonts() -> None:
    root = templates_dir()
    assert (root / "html" / "document.html.j2").is_file()
    assert (root / "css" / "document.css").is_file()
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert (root / "fonts" / f"Carlito-{style}.ttf").is_file()
        assert (root / "fonts" / f"ReportgenSans-{style}.ttf").is_file()
    assert (root / "fonts" / "OFL.txt").is_file()


def test_one_environment_with_danish_filters_and_strict_undefined() -> None:
    env = environment()
    assert env is environment()
    assert env.from_string("{{ 3.8123 | num }} {{ 0.394 | pct_text }}").render() == "3,81 39,4 pct."
    assert env.from_string("{{ d | date_long }}").render(d=dt.date(2024, 6, 17)) == "17. juni 2024"
    assert env.from_string("{{ xs | join_da }}").render(xs=["a", "b", "c"]) == "a, b og c"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()
    assert env.autoescape("html/document.html.j2") is True
    assert env.autoescape("findings/x.txt.j2") is False


# --------------------------------------------------------------------------- HTML


def test_html_head_language_title_and_metadata() -> None:
    html = render_html(make_document())
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="da-DK">' in html
    assert "<title>Borgerundersøgelse 2024</title>" in html
    assert '<meta name="author" content="Jobcenter Testby">' in html
    assert '<meta name="description" content="Sagsfremstilling til Arbejdsmarkedsudvalget">' in html
    assert '<meta name="keywords" content="borgerundersøgelse, tilfredshed">' in html
    assert '<meta name="generator" content="reportgen">' in html
    assert '<meta name="dcterms.created" content="2024-06-03T09:00:00+02:00">' in html
    assert "<style>" in html and "@page" in html  # the preview stands alone


def test_html_lays_out_every_block_type() -> None:
    html = render_html(make_document())
    assert '<p class="municipality">Testby Kommune</p>' in html
    assert "<h1>Borgerundersøgelse 2024</h1>" in html
    assert '<tr><th scope="row">Mødedato</th><td>mandag den 17. juni 2024</td></tr>' in html
    assert "<h2>Indstilling</h2>" in html and "<h2>Beslutning</h2>" in html
    assert html.count("<section ") == 5
    assert "<h3>Mødet med jobcentret</h3>" in html
    assert re.search(r"<ol>\s*<li>at udvalget tager orienteringen til efterretning, og</li>", html)
    assert "<strong>39,4 pct.</strong>" in html and "<em>tallet i parentes</em>" in html
    assert '<p class="placeholder">' in html and '<p class="note">Metode: gyldige svar.</p>' in html
    # Table: caption, column headers, row headers, right-aligned numbers, note.
    assert "<caption>Tabel 1. Score pr. tema</caption>" in html
    assert '<th scope="col" class="align-right">Testby</th>' in html
    assert '<th scope="row" class="align-left">Overordnet tilfredshed</th>' in html
    assert '<td class="align-right">3,81</td>' in html
    assert '<p class="table-note">Kilde: KL&#39;s tværkommunale borgerundersøgelse.</p>' in html
    # Figure: embedded PNG with alt text and caption.
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="Søjlediagram', html)
    assert "<figcaption>Figur 1. Score pr. tema</figcaption>" in html
    assert "file:" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_html_escapes_all_model_text() -> None:
    html = render_html(evil_document())
    assert EVIL_SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>Titel &lt;script&gt;" in html
    assert EVIL_JINJA in html  # literal, never evaluated
    visible = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    visible = re.sub(r"base64,[A-Za-z0-9+/=]+", "", visible)
    assert "49" not in visible
    assert "&lt;b&gt;fed&lt;/b&gt;" in html and "<b>" not in html
    assert "Tabel &lt;i&gt;x&lt;/i&gt;" in html
    assert 'onerror="x' not in html and "&#34; onerror=&#34;x" in html


def test_html_fragment_is_the_article_only() -> None:
    fragment = render_html(make_document(), standalone=False)
    assert fragment.lstrip().startswith("<article")
    assert fragment.rstrip().endswith("</article>")
    assert "<html" not in fragment and "<style>" not in fragment


def test_html_marks_drafts_only() -> None:
    def body(status: str) -> str:
        return render_html(make_document(status)).split("</head>")[1]

    assert "UDKAST" in body("udkast")
    assert "UDKAST" not in body("endelig")


# --------------------------------------------------------------------------- PDF


def test_pdf_text_has_title_block_sections_tables_and_lists(draft_pdf: bytes) -> None:
    text = "\n".join(pdf_pages_text(draft_pdf))
    for expected in (
        "Testby Kommune",
        "Borgerundersøgelse 2024",
        "Mødedato mandag den 17. juni 2024",
        "Sagsnummer 24/1370",
        "Resumé",
        "Indstilling",
        "1. at udvalget tager orienteringen til efterretning, og",
        "2. at udvalget drøfter opfølgningen.",
        "Mødet med jobcentret",
        "Tabel 1. Score pr. tema",
        "Overordnet tilfredshed 3,81 3,64",
        "Progression 3,13 2,97",
        "Figur 1. Score pr. tema",
        "[Mangler: tekst til 'Økonomiske konsekvenser'.]",
        "Beslutning",
    ):
        assert expected in text, expected


def test_pdf_running_header_and_page_footer(draft_pdf: bytes) -> None:
    pages = pdf_pages_text(draft_pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in text
        assert "Testby Kommune" in text and "Sagsnr. 24/1370" in text


DRAFT_MARKING = "UDKAST – version 1 – dannet 3. juni 2024"


def test_pdf_draft_is_marked_on_every_page_final_is_not(draft_pdf: bytes, final_pdf: bytes) -> None:
    # The header of every page of a draft: UDKAST, the version and the build date.
    assert all(DRAFT_MARKING in page for page in pdf_pages_text(draft_pdf))
    assert not any("UDKAST" in page or "version 1" in page for page in pdf_pages_text(final_pdf))


def test_pdf_watermark_does_not_mix_into_text(draft_pdf: bytes, final_pdf: bytes) -> None:
    # The watermark is drawn as outlines: a draft's body text extracts like the final's.
    def body(data: bytes) -> str:
        text = "\n".join(pdf_pages_text(data)).replace(DRAFT_MARKING, "")
        return re.sub(r" +", " ", text)

    assert body(draft_pdf) == body(final_pdf)


def test_pdf_keeps_model_text_literal() -> None:
    data = render_pdf(evil_document())
    keep("escaping.pdf", data)
    text = "\n".join(pdf_pages_text(data))
    assert EVIL_SCRIPT in text
    assert EVIL_JINJA in text
    assert "<b>fed</b>" in text
    assert "49" not in text


def test_pdf_long_table_repeats_its_header_row() -> None:
    base = make_document("endelig")
    rows = tuple((f"Spørgsmål {i}", f"{3 + i / 100:.2f}".replace(".", ",")) for i in range(70))
    long_table = Table("Tabel 9. Alle spørgsmål", ("Spørgsmål", "Gennemsnit"), rows,
                       align=("left", "right"))
    document = Document(base.meta, base.title_rows,
                        (Section("bilag", "Bilag", (long_table,)),))
    data = render_pdf(document)
    keep("long-table.pdf", data)
    pages = pdf_pages_text(data)
    assert len(pages) >= 2
    assert all("Spørgsmål Gennemsnit" in page for page in pages)
    assert "Spørgsmål 69 3,69" in pages[-1]


def test_pdf_metadata() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(make_document())))
    info = reader.metadata
    assert info.title == "Borgerundersøgelse 2024"
    assert info.author == "Jobcenter Testby"
    assert info.subject == "Sagsfremstilling til Arbejdsmarkedsudvalget"
    assert info["/Keywords"] == "borgerundersøgelse, tilfredshed"
    assert info.creator == "reportgen"
    expected = dt.datetime(2024, 6, 3, 7, 0, tzinfo=dt.timezone.utc)
    assert info.creation_date == expected
    assert info.modification_date == expected


def test_pdf_embeds_the_bundled_font(draft_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(draft_pdf)) as pdf:
        fonts = {
            str(font.BaseFont)
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    # the pre-subset Carlito (tools/make_fonts.py) covers the document's text
    assert fonts and all("Reportgen-Sans" in name for name in fonts), fonts


def test_pdf_is_byte_identical_for_the_same_document() -> None:
    document = make_document()
    assert render_pdf(document) == render_pdf(document)


def test_pdf_is_identical_with_the_fonttools_subsetter(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without libharfbuzz-subset WeasyPrint subsets with fontTools, which stamps fonts
    # with the current time; the renderer pins that clock. A clock jump must not show.
    import fontTools.misc.timeTools as time_tools
    import weasyprint.pdf.fonts as wp_fonts

    from reportgen.compat.weasyprint import clear_subset_cache

    monkeypatch.setattr(wp_fonts, "harfbuzz_subset", None)
    document = make_document()
    clear_subset_cache()
    first = render_pdf(document)
    real_time = time_tools.time.time
    monkeypatch.setattr(time_tools.time, "time", lambda: real_time() + 100_000)
    clear_subset_cache()  # fontTools subsets again, under the jumped clock
    assert render_pdf(document) == first
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_cached_font_subsets_give_the_pdf_a_fresh_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without libharfbuzz-subset each face is subset once per process (compat.install_subset_cache):
    # a PDF written after others (the cache warm, filled by other text) is the one written first.
    import weasyprint.pdf.fonts as wp_fonts

    from reportgen.compat.weasyprint import clear_subset_cache

    monkeypatch.setattr(wp_fonts, "harfbuzz_subset", None)
    document = make_document()
    other = make_document(title="Andet dokument med æøå og Ωμέγα, fed og kursiv")
    clear_subset_cache()
    cold = render_pdf(document)
    render_pdf(other)
    assert render_pdf(document) == cold
    clear_subset_cache()
    render_pdf(other)
    assert render_pdf(document) == cold
    text = " ".join(PdfReader(io.BytesIO(cold)).pages[0].extract_text().split())
    assert "Borgerundersøgelse 2024" in text  # the ToUnicode map is the used glyphs' (ligatures keep their text)


def test_a_cached_subset_restamped_for_another_date_is_the_fresh_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    # A PDF's fonts carry the document's date (head.modified, SOURCE_DATE_EPOCH): a subset
    # cached under another date is restamped, not made again (reportgen build's worker warms
    # up on a document of its own date) — and gives the bytes a fresh subset gives.
    import dataclasses
    import datetime as dt

    import weasyprint.pdf.fonts as wp_fonts

    from reportgen.compat import weasyprint as compat

    monkeypatch.setattr(wp_fonts, "harfbuzz_subset", None)
    first = make_document()
    later = dataclasses.replace(first, meta=dataclasses.replace(first.meta, created=dt.datetime(2025, 3, 4, 5, 6)))
    calls: list[bytes] = []
    real = compat._restamped
    monkeypatch.setattr(compat, "_restamped", lambda b: calls.append(b) or real(b))
    compat.clear_subset_cache()
    one = render_pdf(first)
    restamped = render_pdf(later)
    assert calls, "the later document's faces were subset again, not restamped"
    compat.clear_subset_cache()
    fresh = render_pdf(later)
    assert restamped == fresh != one


def test_pdf_renders_without_weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_pdf(make_document(), variant="pdf/ua-1")
    problems = [
        r.getMessage() for r in caplog.records
        if r.name.startswith("weasyprint") and "HarfBuzz-Subset" not in r.getMessage()
    ]
    assert problems == []


def test_pdf_ua_is_tagged_with_language_title_and_alt_text() -> None:
    data = render_pdf(make_document(), variant="pdf/ua-1")
    keep("pdf-ua-1.pdf", data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == "da-DK"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(pdf.docinfo.Title) == "Borgerundersøgelse 2024"
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == "Borgerundersøgelse 2024"
            assert xmp["pdfuaid:part"] == "1"
        figures = list(_struct_elements(root.StructTreeRoot, "/Figure"))
        assert [str(f.Alt) for f in figures] == [ALT_TEXT]
        tags = {str(e.S) for e in _struct_elements(root.StructTreeRoot)}
        assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI", "/P"} <= tags


def test_pdf_ua_refuses_a_figure_without_any_text_alternative() -> None:
    with pytest.raises(PdfVariantError, match="alt-tekst"):
        render_pdf(make_document(alt_text="", caption=""), variant="pdf/ua-1")
    # The caption stands in when only the alt text is missing.
    data = render_pdf(make_document(alt_text=""), variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        figures = list(_struct_elements(pdf.Root.StructTreeRoot, "/Figure"))
        assert [str(f.Alt) for f in figures] == ["Figur 1. Score pr. tema"]


def test_pdf_a2b_has_pdfa_identification_and_output_intent() -> None:
    data = render_pdf(make_document(), variant="pdf/a-2b")
    keep("pdf-a-2b.pdf", data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "2"
            assert xmp["pdfaid:conformance"] == "B"
            assert xmp["dc:title"] == "Borgerundersøgelse 2024"
        assert "/OutputIntents" in pdf.Root
        assert len(pdf.trailer.ID) == 2
    assert data == render_pdf(make_document(), variant="pdf/a-2b")


def test_unknown_pdf_variant_is_refused() -> None:
    with pytest.raises(PdfVariantError, match="pdf/x-9"):
        render_pdf(make_document(), variant="pdf/x-9")


def _struct_elements(node: object, kind: str | None = None):
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node and (kind is None or node.S == kind):
            yield node
        children = node.get("/K")
        if isinstance(children, pikepdf.Array):
            for child in children:
                yield from _struct_elements(child, kind)
        elif isinstance(children, pikepdf.Dictionary):
            yield from _struct_elements(children, kind)


# --------------------------------------------------------------------------- fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x.png",
        "file://otherhost/share/x.png",
    ],
)
def test_fetcher_refuses_anything_outside_the_templates(url: str, no_network: None) -> None:
    with pytest.raises(ResourceRefused) as info:
        TemplatesOnlyFetcher().fetch(url)
    assert isinstance(info.value, ReportgenError)
    assert url in str(info.value) and "må ikke hentes" in str(info.value)


def test_fetcher_refuses_paths_escaping_the_templates_folder(no_network: None) -> None:
    escaping = templates_dir().as_uri() + "/../pyproject.toml"
    with pytest.raises(ResourceRefused):
        TemplatesOnlyFetcher().fetch(escaping)


def test_fetcher_serves_template_files_and_data_uris(no_network: None) -> None:
    fetcher = TemplatesOnlyFetcher()
    css = fetcher.fetch((templates_dir() / "css" / "document.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    font = fetcher.fetch((templates_dir() / "fonts" / "Carlito-Regular.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    data = fetcher.fetch("data:text/plain;base64,aGVq")
    assert data.read() == b"hej"
    with pytest.raises(ResourceRefused, match="findes ikke"):
        fetcher.fetch((templates_dir() / "css" / "missing.css").as_uri())


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd" alt="x">',
        '<img src="http://example.com/x.png" alt="x">',
        '<img src="../../../../../../etc/passwd" alt="x">',
        '<link rel="stylesheet" href="https://example.com/x.css"><p>x</p>',
        '<style>@import url("http://example.com/x.css");</style><p>x</p>',
        '<p style="background: url(file:///etc/passwd)">x</p>',
    ],
)
def test_rendering_html_with_a_foreign_resource_fails(html: str, no_network: None) -> None:
    page = f'<!DOCTYPE html><html lang="da"><head><title>t</title></head><body>{html}</body></html>'
    with pytest.raises(ResourceRefused, match="må ikke hentes"):
        html_to_pdf(page)


def test_document_text_cannot_smuggle_in_a_resource(no_network: None) -> None:
    document = make_document(caption='<img src="file:///etc/passwd">')
    text = "\n".join(pdf_pages_text(render_pdf(document)))
    assert '<img src="file:///etc/passwd">' in text


def test_bundled_stylesheets_parsed_once_give_the_pdf_weasyprint_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    # compat.install_stylesheet_cache: css/fonts.css and css/document.css are parsed once per
    # process and font configuration; the PDF is the one WeasyPrint's own find_stylesheets gives.
    import weasyprint.css as wcss

    from reportgen.render import pdf as pdf_module

    document = make_document()
    pdf_module._SHARED_CSS.clear()
    cold = render_pdf(document)
    assert all(pdf_module._SHARED_CSS.values()), "the bundled stylesheets were not kept"
    assert render_pdf(document) == cold
    monkeypatch.setattr(wcss, "find_stylesheets", wcss.find_stylesheets.__wrapped__)
    assert render_pdf(document) == cold
