"""Themes are data: a municipality's name, logo, colours, font and Word template from a theme
file reach the PDF, the DOCX and the charts; bad values are refused before anything renders."""

from __future__ import annotations

import io
import shutil
import socket

import pikepdf
import pytest
from PIL import Image

from reportgen.api import build
from reportgen.settings.brand import BUNDLED_FONT, load_brand
from reportgen.errors import InputError
from reportgen.render.html import print_html, render_html
from reportgen.render.pdf import ResourceRefused, TemplatesOnlyFetcher, html_to_pdf
from reportgen.core.resources import templates_dir
from tests.render_cases import (
    docx_part, docx_parts, keep, make_case, pdf_pages, solid_png, with_engine, write_yaml,
)

PRIMARY, SECONDARY = "#7A1F3D", "#E8B4C4"  # a wine red and a light rose
LOGO_RGB = (122, 31, 61)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _renamed_font(source, target, family: str, style: str) -> None:
    """A copy of ``source`` whose name table calls it ``family`` (as a municipality's own font would)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    names = font["name"]
    postscript = f"{family.replace(' ', '')}-{style}"
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID == 6:
            record.string = postscript
    font.save(str(target))


def make_theme(folder, **changes):
    """A new municipality theme written as data files only: tema.yaml, a PNG logo, font files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.png").write_bytes(solid_png(40, 20, LOGO_RGB))
    fonts = folder / "skrift"
    fonts.mkdir(exist_ok=True)
    for source, target, style in (("Carlito-Regular.ttf", "Testsans-Regular.ttf", "Regular"),
                                  ("Carlito-Bold.ttf", "Testsans-Bold.ttf", "Bold")):
        _renamed_font(templates_dir() / "fonts" / source, fonts / target, "Testrup Sans", style)
    data = {
        "navn": "Testrup Kommune",
        "logo": "logo.png",
        "farver": {"primaer": PRIMARY, "sekundaer": SECONDARY},
        "skrifttype": {"navn": "Testrup Sans", "normal": "skrift/Testsans-Regular.ttf",
                       "fed": "skrift/Testsans-Bold.ttf"},
    }
    data.update(changes)
    return write_yaml(folder / "tema.yaml", data)


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("themed")
    make_theme(folder / "tema")
    return build(make_case(folder, {"tema": "tema/tema.yaml"}))


def test_bundled_example_theme_loads():
    brand = load_brand("eksempel")
    assert brand.logo is not None and brand.logo.kind == "svg"
    assert brand.logo_png is not None and brand.logo_png.startswith(b"\x89PNG")
    assert brand.font == BUNDLED_FONT and brand.font_files == ()
    assert (brand.primary, brand.secondary) == ("#0B4F6C", "#9CC5D6")


def test_theme_reaches_html_and_pdf(themed, monkeypatch):
    brand = themed.brand
    assert brand.name == "Testrup Kommune" and brand.font == "Testrup Sans"
    html = print_html(themed.document, brand=brand)
    assert f"--blue: {PRIMARY}" in html and '"Testrup Sans", "Reportgen Sans", "Carlito"' in html
    assert brand.logo.path.as_uri() in html and 'alt="Logo: Testrup Kommune"' in html
    preview = render_html(themed.document, brand=brand)
    assert "data:image/png;base64," in preview and "file:" not in preview

    fetched: list[str] = []
    real_fetch = TemplatesOnlyFetcher.fetch
    monkeypatch.setattr(TemplatesOnlyFetcher, "fetch",
                        lambda self, url, headers=None: fetched.append(url) or real_fetch(self, url, headers))
    for engine in ("typst", "weasyprint"):
        data = with_engine(themed, engine).render("pdf")
        keep(f"tema-testrup-{engine}.pdf", data)
        if engine == "weasyprint":
            assert brand.logo.path.as_uri() in fetched
            assert (brand.source.parent / "skrift" / "Testsans-Regular.ttf").as_uri() in fetched
        else:
            assert not fetched  # Typst is handed the logo and the font files (render/pdf_typst.py)
        assert "TESTRUP KOMMUNE" in pdf_pages(data)[0]
        with pikepdf.open(io.BytesIO(data)) as pdf:
            images = list(pdf.pages[0].get_images().values())
            assert any((int(i.Width), int(i.Height)) == (40, 20) for i in images)
            fonts = {str(f.get("/BaseFont", "")) for page in pdf.pages for f in page.Resources.Font.values()}
            assert any("Testrup" in f or "Testsans" in f for f in fonts), fonts  # the theme's own font


def test_theme_reaches_the_docx(themed):
    data = themed.render("docx")
    keep("tema-testrup.docx", data)
    styles = docx_part(data, "word/styles.xml")
    assert 'w:styleId="Heading1"' in styles
    heading1 = styles[styles.index('w:styleId="Heading1"'):]
    heading1 = heading1[:heading1.index("</w:style>")]
    assert 'w:color w:val="7A1F3D"' in heading1
    assert 'w:ascii="Testrup Sans"' in styles
    header = next(docx_part(data, p) for p in docx_parts(data, "word/header") if p.endswith(".xml")
                  and "UDKAST" in docx_part(data, p))
    assert "<w:drawing>" in header and "adec:decorative" in header
    assert docx_parts(data, "word/media/"), "the logo is embedded"


def test_theme_colours_reach_the_charts(themed):
    png = themed.figures["temafigur"].png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    assert LOGO_RGB in colours  # the primary colour fills the municipality's bars


def test_svg_logo_is_vector_in_pdf_and_svg_with_png_fallback_in_docx(tmp_path):
    case = make_case(tmp_path, {"tema": "eksempel"})
    report = build(case)
    data = report.render("docx")
    rels = "".join(docx_part(data, n) for n in docx_parts(data, "word/_rels/header"))
    assert "logo1.svg" in rels
    assert "image/svg+xml" in docx_part(data, "[Content_Types].xml")
    header = "".join(docx_part(data, n) for n in docx_parts(data, "word/header") if n.endswith(".xml"))
    assert "asvg:svgBlip" in header
    pdf = report.render("pdf")
    png = report.brand.logo_png
    size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    with pikepdf.open(io.BytesIO(pdf)) as doc:  # the SVG is drawn as vectors, not as the PNG
        assert all((int(i.Width), int(i.Height)) != size for i in doc.pages[0].get_images().values())


def test_fetcher_serves_the_logo_but_nothing_else_next_to_it(tmp_path, no_network):
    make_theme(tmp_path / "tema")
    brand = load_brand(str(tmp_path / "tema" / "tema.yaml"))
    secret = tmp_path / "tema" / "hemmelig.png"
    secret.write_bytes(solid_png(2, 2, (0, 0, 0)))
    fetcher = TemplatesOnlyFetcher(allowed=brand.allowed_files())
    assert fetcher.fetch(brand.logo.path.as_uri()).read() == brand.logo.data
    for url in (secret.as_uri(), "file:///etc/passwd", "https://example.com/logo.png"):
        with pytest.raises(ResourceRefused, match="må ikke hentes"):
            fetcher.fetch(url)


LINKS = ["file:///etc/passwd", "https://example.com/x.png", "hemmelig.png"]


def _linking_svg(folder, href):
    (folder / "hemmelig.png").write_bytes(solid_png(2, 2, (0, 0, 0)))
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 10 10"><image xlink:href="{href}" width="10" height="10"/></svg>',
        encoding="utf-8")
    return folder / "logo.svg"


@pytest.mark.parametrize("href", LINKS)
def test_svg_logo_linking_elsewhere_is_refused_with_the_theme(tmp_path, no_network, href):
    folder = tmp_path / "tema"
    make_theme(folder, logo="logo.svg")
    _linking_svg(folder, href)
    with pytest.raises(InputError, match="selvstændigt") as info:
        build(make_case(tmp_path, {"tema": "tema/tema.yaml"}))
    assert href in str(info.value) and "tema.yaml" in str(info.value)


@pytest.mark.parametrize("href", LINKS)
def test_pdf_fails_when_an_allowed_svg_links_elsewhere(tmp_path, no_network, href):
    # Behind the theme check, the renderer itself: WeasyPrint only logs a failed fetch
    # inside an SVG, but the build must still fail.
    svg = _linking_svg(tmp_path, href)
    page = (f'<!DOCTYPE html><html lang="da"><head><title>t</title></head><body>'
            f'<img src="{svg.as_uri()}" alt="logo"></body></html>')
    assert html_to_pdf(page.replace(svg.as_uri(), "data:,")) is not None
    with pytest.raises(ResourceRefused, match="må ikke hentes|findes ikke"):
        html_to_pdf(page, allowed=(svg,))


def test_word_template_from_the_theme(tmp_path):
    from tests.render.test_render_docx import make_dotx

    folder = tmp_path / "tema"
    folder.mkdir()
    make_dotx(folder / "skabelon.dotx")
    make_theme(folder, word_skabelon="skabelon.dotx")
    report = build(make_case(tmp_path, {"tema": "tema/tema.yaml"}))
    data = report.render("docx")
    keep("tema-skabelon.docx", data)
    header = "".join(docx_part(data, n) for n in docx_parts(data, "word/header") if n.endswith(".xml"))
    assert "Norddjurs Kommune · Jobcenter" in header and "UDKAST" in header
    styles = docx_part(data, "word/styles.xml")
    for style_id in ("Caption", "ListNumber", "Tabel", "Heading1"):
        assert f'w:styleId="{style_id}"' in styles


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"farver": {"primaer": "red; } body { background: url(http://x) }"}}, "#1B3A5C"),
        ({"farver": {"primaer": "#FFEE00"}}, "for lys"),
        ({"farver": {"primaer": "#0B4F6C", "sekundaer": "#0A0A0A"}}, "lysere"),
        ({"skrifttype": "Arial"}, "Carlito eller stien"),
        ({"skrifttype": {"navn": "Evil\"; } *{", "normal": "skrift/Testsans-Regular.ttf"}}, "bogstaver"),
        ({"logo": "findes_ikke.png"}, "findes ikke"),
        ({"logo": "tema.yaml"}, "SVG- eller PNG"),
        ({"word_skabelon": "skabelon.odt"}, ".dotx"),
        ({"farve": "blå"}, "Ukendt nøgle"),
    ],
)
def test_bad_themes_are_refused(tmp_path, changes, needle):
    path = make_theme(tmp_path / "tema", **changes)
    with pytest.raises(InputError) as info:
        load_brand(str(path))
    assert needle in str(info.value) and "tema.yaml" in str(info.value)


def test_unknown_theme_name_lists_the_bundled_ones():
    with pytest.raises(InputError, match="eksempel"):
        load_brand("findes_ikke")


def test_only_validated_values_reach_the_css(tmp_path):
    brand = load_brand(str(make_theme(tmp_path / "tema")))
    css = brand.css()
    assert "url(http" not in css and "<" not in css
    assert all(url.startswith("url(\"file://") for url in css.split("src: ")[1:])
