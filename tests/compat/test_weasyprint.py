"""reportgen.compat.weasyprint: the WeasyPrint internals the PDF renderer relies on still hold.

Each test names the assumption it checks; a failure here means WeasyPrint changed and
the renderer has fallen back to the slower (but correct) way, or would misbehave.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image
from weasyprint import HTML
from weasyprint.images import RasterImage
from weasyprint.text.fonts import FontConfiguration

from reportgen.compat import weasyprint as compat
from reportgen.core.png import png_rgb
from reportgen.render import pdf_images


def test_png_hook_is_installed_on_rasterimage() -> None:
    assert isinstance(RasterImage.__dict__.get("_get_png_data"), staticmethod), (
        "weasyprint.images.RasterImage._get_png_data is no longer a static method: chart PNGs are re-encoded")
    assert compat.PNG_HOOK and pdf_images.PASS_THROUGH
    assert hasattr(RasterImage._get_png_data, "__wrapped__")


def test_png_hook_hands_over_our_idat_and_leaves_other_images_alone() -> None:
    rgba = np.random.default_rng(7).integers(0, 256, (6, 9, 4)).astype(np.uint8)
    png = png_rgb(rgba, 200)
    image = Image.open(io.BytesIO(png))
    with pdf_images.own_pngs(frozenset({png})):
        ours = RasterImage._get_png_data(image)
    assert ours == pdf_images.png_idat(png, (9, 6), "RGB")
    plain = RasterImage._get_png_data.__wrapped__(Image.open(io.BytesIO(png)))
    assert RasterImage._get_png_data(Image.open(io.BytesIO(png))) == plain  # not ours: WeasyPrint's way
    # both are zlib streams of the same filtered rows: the same pixels
    import zlib

    raw, theirs = zlib.decompress(ours), zlib.decompress(plain)
    assert len(raw) == len(theirs) == 6 * (1 + 9 * 3)


def test_lean_user_agent_stylesheet_is_found() -> None:
    from weasyprint.html import UA

    assert isinstance(UA, str) and UA.count("\n::marker {") == 1, "weasyprint.html.UA changed (::marker rule)"
    assert compat.lean_ua_stylesheet() is not None, "the footnote/note rules of weasyprint.html.UA changed"
    assert compat.ReportHTML.LEAN_UA is not None
    assert hasattr(HTML, "_ua_stylesheets"), "HTML._ua_stylesheets is gone: the full stylesheet is used"
    html = compat.ReportHTML(string="<p>x</p>")
    assert html._ua_stylesheets() == [compat.ReportHTML.LEAN_UA]
    assert html._ua_stylesheets(forms=True) == HTML(string="<p>x</p>")._ua_stylesheets(forms=True)


def test_lean_stylesheet_gives_the_same_pdf() -> None:
    source = "<html lang='da'><body><h1>Titel</h1><ol><li>en</li><li>to</li></ol><p>Tekst</p></body></html>"
    assert compat.ReportHTML(string=source).write_pdf() == HTML(string=source).write_pdf()


def test_font_configuration_keeps_its_fonts_in_folder(tmp_path: Path) -> None:
    font = Path(__file__).resolve().parents[2] / "templates" / "fonts"
    ttf = next(font.glob("*.ttf"))
    css = f"@font-face {{ font-family: Prøve; src: url('{ttf.as_uri()}'); }} p {{ font-family: Prøve; }}"
    from weasyprint import CSS

    config = FontConfiguration()
    HTML(string="<p>x</p>").render(stylesheets=[CSS(string=css, font_config=config)], font_config=config)
    folder = getattr(config, "_folder", None)
    assert folder is not None and Path(folder).is_dir(), "FontConfiguration._folder is gone or unused"
    child = FontConfiguration()
    child._folder = folder
    compat.forget_font_folder(child)
    assert child._folder is None and Path(folder).is_dir()  # forgotten, not deleted
    compat.release_font_folder(config)
    assert config._folder is None and not os.path.exists(folder)


def test_subset_cache_wraps_the_fonttools_subsetter() -> None:
    from fontTools.ttLib import TTFont
    from weasyprint.pdf.fonts import Font

    import reportgen.render.pdf  # noqa: F401 - installs the cache
    from reportgen.core.resources import templates_dir

    assert compat.SUBSET_CACHE, "weasyprint.pdf.fonts.Font._fonttools_subset is gone: every PDF subsets again"
    assert hasattr(Font._fonttools_subset, "__wrapped__")
    init = Font.__init__.__code__.co_names
    assert {"glyph_count", "index", "missing"} <= set(init), "Font no longer sets what the cache key reads"
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):  # the bundled small fonts are subset whole
        font = TTFont(str(templates_dir() / "fonts" / f"ReportgenSans-{style}.ttf"))
        assert len(font.getGlyphOrder()) <= compat.WHOLE_FONT_GLYPHS


def test_stylesheet_cache_replaces_find_stylesheets() -> None:
    import inspect

    import weasyprint.css as wcss

    import reportgen.render.pdf  # noqa: F401 - installs the replacement

    assert compat.STYLESHEET_CACHE, "weasyprint.css.find_stylesheets changed: every PDF parses the stylesheets again"
    original = wcss.find_stylesheets.__wrapped__
    assert tuple(inspect.signature(original).parameters) == compat._FIND_ARGS
    source = inspect.getsource(original)  # the replacement copies its loop: style and link elements only
    assert "query_all('style', 'link')" in source and source.count("yield") == 2
