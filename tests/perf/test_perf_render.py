"""The faster rendering paths give the output of the plain ones: chart text drawn line by
line and cached, the PNG writer, placeholder figures laid out before the charts are drawn,
chart PNGs embedded in the PDF as they are, the lean user-agent stylesheet, kept font
configurations, and the DOCX style lookups."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pikepdf
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from reportgen import api

from reportgen.charts import canvas as chart_canvas
from reportgen.charts import figures as charts
from reportgen.render import pdf
from reportgen.render.html import print_html_and_figures
from reportgen.render.pdf_images import own_pngs
from tests.charts.test_charts import make_results
from tests.render_cases import with_engine


@pytest.fixture(scope="module")
def demo_report(demo_report):
    """The demo as a case that asks for WeasyPrint: the paths tested here are WeasyPrint's."""
    return with_engine(demo_report, "weasyprint")


@pytest.fixture(scope="module")
def demo_pdfs(demo_report) -> tuple[bytes, ...]:
    return tuple(demo_report.render("pdf", doc) for doc in demo_report.documents)


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


# --------------------------------------------------------------------------- charts


def test_png_writer_round_trips_and_states_the_dpi() -> None:
    rgba = np.random.default_rng(1).integers(0, 256, (23, 41, 4)).astype(np.uint8)
    png = charts.png_rgb(rgba, 200)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (41, 23)
    assert round(image.info["dpi"][0]) == 200
    assert np.array_equal(np.asarray(image), rgba[..., :3])


def test_chart_text_drawn_per_line_looks_like_matplotlibs_own() -> None:
    """ChartCanvas rasterises a line of text in one FreeType call (as matplotlib ≤ 3.10
    did); the result differs from 3.11's glyph-by-glyph drawing only in sub-pixel
    placement."""
    results = make_results()
    pending = charts.distribution_chart_pending(results)
    fast = _pixels(pending.draw().png)
    plain_canvas = FigureCanvasAgg(pending.canvas.figure)
    with chart_canvas.text_rendering():
        plain_canvas.draw()
    plain = np.asarray(plain_canvas.buffer_rgba())[..., :3].astype(int)
    assert fast.shape == plain.shape
    diff = np.abs(fast - plain).max(axis=2)
    assert (diff > 0).mean() < 0.05  # a few percent of pixels, at glyph edges
    assert np.abs(fast - plain).mean() < 3


def test_cached_text_gives_the_same_png() -> None:
    results = make_results()
    chart_canvas._ChartRenderer._BITMAPS.clear()
    chart_canvas._ChartRenderer._METRICS.clear()
    cold = charts.distribution_chart(results).png
    warm = charts.distribution_chart(results).png
    assert cold == warm and chart_canvas._ChartRenderer._BITMAPS


def test_pending_figure_is_the_chart_and_its_placeholder_has_its_size() -> None:
    results = make_results()
    pending = charts.theme_chart_pending(results)
    figure = pending.draw()
    assert figure == charts.theme_chart(results)
    placeholder = pending.placeholder("temafigur")
    assert placeholder.caption == figure.caption and placeholder.alt_text == figure.alt_text
    assert Image.open(io.BytesIO(placeholder.png)).size == Image.open(io.BytesIO(figure.png)).size
    assert placeholder.png != pending.placeholder("andenfigur").png


def test_theme_chart_without_a_benchmark_names_none() -> None:
    results = replace(make_results(), benchmark_source="ingen")
    fig = charts.theme_chart(results)
    assert fig.alt_text.startswith("Søjlediagram over gennemsnitlig score pr. tema for Norddjurs på en skala")
    assert "sammenlignet" not in fig.alt_text and "Alle kommuner" not in fig.alt_text
    assert "ikke oplyst" not in fig.alt_text and "Tallet i parentes" not in fig.alt_text
    assert "Overordnet tilfredshed: 3,81;" in fig.alt_text
    with_bench = charts.theme_chart(make_results())
    assert "sammenlignet med Alle kommuner" in with_bench.alt_text and fig.png != with_bench.png


# --------------------------------------------------------------------------- PDF


def test_pdf_embeds_the_chart_pixels_unchanged(demo_report, demo_pdfs) -> None:
    embedded = set()
    for data in demo_pdfs:  # the figures stand in the bilag
        with pikepdf.open(io.BytesIO(data)) as doc:
            embedded |= {np.asarray(pikepdf.PdfImage(i).as_pil_image().convert("RGB")).tobytes()
                         for page in doc.pages for i in page.get_images().values()}
    for fig in demo_report.figures.values():
        assert _pixels(fig.png).astype(np.uint8).tobytes() in embedded


def test_png_idat_only_for_plain_8bit_rgb() -> None:
    rgba = np.full((4, 5, 4), 200, np.uint8)
    png = charts.png_rgb(rgba, 200)
    assert pdf.png_idat(png, (5, 4), "RGB") is not None
    assert pdf.png_idat(png, (5, 5), "RGB") is None
    assert pdf.png_idat(png, (5, 4), "L") is None
    assert pdf.png_idat(b"not a png", (5, 4), "RGB") is None


def test_pdf_laid_out_on_placeholders_is_the_same_pdf(demo_report, demo_pdfs) -> None:
    results = demo_report.results
    pending = api.plan_figures(results, charts, demo_report.brand)
    placeholders = {k: p.placeholder(k) for k, p in pending.items()}
    real = {placeholders[k].png: demo_report.figures[k].png for k in pending}
    from reportgen.models.document import Figure

    # the document that holds the figures: the bilag of a short sagsfremstilling
    index = next(i for i, d in enumerate(demo_report.documents)
                 if any(isinstance(b, Figure) for s in d.sections for b in s.blocks))
    document = demo_report.documents[index]
    _, variant, brand = demo_report.pdf_arguments()
    early = _with_figures(document, {demo_report.figures[k].png: placeholders[k].png for k in pending})
    late = pdf.render_pdf(early, variant=variant, brand=brand, late_figures=lambda: real)
    assert late == demo_pdfs[index]  # demo_report.render("pdf", document)
    equal_twice = {p: next(iter(real.values())) for p in real}  # two placeholders, one PNG
    with pytest.raises(pdf.LateFiguresUnusable):
        pdf.render_pdf(early, variant=variant, brand=brand, late_figures=lambda: equal_twice)


def _with_figures(document, swap: dict[bytes, bytes]):
    from reportgen.models.document import Figure

    sections = tuple(replace(s, blocks=tuple(replace(b, png=swap.get(b.png, b.png)) if isinstance(b, Figure)
                                             else b for b in s.blocks)) for s in document.sections)
    return replace(document, sections=sections)


def test_lean_user_agent_stylesheet_and_kept_fonts_change_no_byte(demo_report) -> None:
    from weasyprint import HTML

    from reportgen.core.resources import templates_dir

    html, figures = print_html_and_figures(demo_report.document)
    ours = pdf.html_to_pdf(html, meta=demo_report.document.meta, figures=figures)

    fetcher = pdf.TemplatesOnlyFetcher(figures=figures)
    with own_pngs(frozenset(figures.values())), pdf._source_date_epoch(demo_report.document.meta):
        plain = HTML(string=html, base_url=templates_dir().as_uri() + "/",
                     url_fetcher=fetcher).write_pdf(**pdf._OPTIONS)
    assert ours == plain
    assert pdf._LEAN_UA is not None  # the narrowed stylesheet is in use on this WeasyPrint
    assert pdf.html_to_pdf(html, meta=demo_report.document.meta, figures=figures) == ours  # kept fonts


def test_documents_laid_out_together_are_the_documents_alone(demo_report, demo_pdfs) -> None:
    """render_pdfs lays out every document before writing any: the bytes are each one's own
    (``demo_pdfs``: each document rendered alone by ``demo_report.render``)."""
    _, variant, brand = demo_report.pdf_arguments()
    together = pdf.render_pdfs(demo_report.documents, variant=variant, brand=brand)
    assert together == list(demo_pdfs)
    assert len(set(together)) == len(together) == 2


def test_warm_up_changes_no_byte(demo_report) -> None:
    before = demo_report.render("pdf")
    pdf.warm_up()
    assert demo_report.render("pdf") == before


# --------------------------------------------------------------------------- DOCX


def test_docx_style_ids_are_those_python_docx_would_set(demo_report) -> None:
    import docx

    from reportgen.render.docx.styles import StyleIds

    document = docx.Document()
    ids = StyleIds(document)
    for name in ("Normal", "Title", "Heading 1", "Caption", "List Bullet"):
        a = document.add_paragraph(style=name)
        b = ids.add(document, name=name)
        assert a.style.name == b.style.name == name
        if name == "Normal":  # the default paragraph style is left implicit (no w:pStyle), as Word does
            assert b._p.pPr is None or b._p.pPr.pStyle is None
        else:
            assert a._p.pPr.xml == b._p.pPr.xml
