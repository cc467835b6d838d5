"""HTML renderer: Document → HTML text (the preview output, and the PDF's source).

One template (``templates/html/document.html.j2``) lays out the document for both
uses. The preview inlines ``css/document.css`` so the file stands alone; images (charts
and the theme's logo) are data URIs. The PDF renderer's HTML refers to the charts by
internal ``reportgen-figure:`` URLs instead (``print_html_and_figures``) and hands
WeasyPrint the PNG bytes through its URL fetcher: a data URI of a few hundred kilobytes
would be tokenised, quoted, hashed and base64-decoded on the way. The bundled fonts are left out of the preview (a
browser falls back to Calibri or a sans-serif); the PDF renderer links ``css/fonts.css``
instead, resolved against the templates folder, and refers to the theme's logo and font
files by ``file:`` URL (its fetcher serves exactly those files and nothing else).

A theme (``reportgen.settings.brand.Brand``) adds its generated stylesheet after document.css and
puts its logo and name in the title block. All model text is autoescaped by the template
environment (see ``reportgen.core.templating``).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reportgen.models.document import KEEP_TOGETHER_ROWS, Document, Figure, Table
from reportgen.render import draft_marking
from reportgen.render.metrics import least_table_width_pt
from reportgen.core.resources import templates_dir
from reportgen.core.templating import render_template

TEMPLATE = "html/document.html.j2"
DOCUMENT_CSS = "css/document.css"
FONTS_CSS = "css/fonts.css"
DRAFT_CSS = "css/udkast.css"  # the PDF's draft watermark: linked by the PDF's HTML only

# A naive ``DocMeta.created`` is taken as Danish local time: the same on every machine.
_LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

# The scheme of the URLs by which the PDF renderer's HTML names chart images.
FIGURE_SCHEME = "reportgen-figure"


def data_uri(figure: Figure) -> str:
    """The chart as a ``data:`` URI (the HTML preview: the file stands alone)."""
    return f"data:image/png;base64,{base64.b64encode(figure.png).decode('ascii')}"


class FigureURLs:
    """Gives each chart an internal ``reportgen-figure:N.png`` URL and keeps its bytes
    (``files``: URL → PNG) for the PDF renderer's URL fetcher. Equal images share a URL,
    as equal data URIs did, so the PDF embeds them once."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._by_png: dict[bytes, str] = {}

    def __call__(self, figure: Figure) -> str:
        url = self._by_png.get(figure.png)
        if url is None:
            url = self._by_png[figure.png] = f"{FIGURE_SCHEME}:{len(self._by_png) + 1}.png"
            self.files[url] = figure.png
        return url


@dataclass(frozen=True)
class _Masthead:
    """What the title block shows above the title: the sender's name and logo."""

    name: str
    logo_src: str | None
    logo_alt: str


def render_html(document: Document, *, standalone: bool = True, brand: object | None = None) -> str:
    """The HTML preview of ``document``.

    ``standalone=True`` gives a complete page with the stylesheets inlined;
    ``standalone=False`` gives only the ``<article>`` element, for embedding in a page
    that brings its own head and styles. ``brand`` is a ``reportgen.settings.brand.Brand``.
    """
    css = (templates_dir() / DOCUMENT_CSS).read_text(encoding="utf-8")
    inline = (css,) if brand is None else (css, _brand_css(brand, embed_fonts=False))
    return _render(document, standalone=standalone, links=(), inline=inline,
                   masthead=_masthead(document, brand, embed=True), figure_src=data_uri)


def print_html(document: Document, *, brand: object | None = None) -> str:
    """The HTML the PDF renderer lays out: stylesheets and fonts linked by relative
    URL (resolved against the templates folder); the theme's stylesheet inline, its
    logo and fonts by ``file:`` URL; charts as data URIs (a page that stands alone —
    the PDF renderer itself uses ``print_html_and_figures``)."""
    inline = () if brand is None else (_brand_css(brand, embed_fonts=True),)
    return _render(document, standalone=True, links=(FONTS_CSS, DOCUMENT_CSS, DRAFT_CSS), inline=inline,
                   masthead=_masthead(document, brand, embed=False), figure_src=data_uri)


def print_html_and_figures(document: Document, *, brand: object | None = None,
                           split_tables: frozenset[int] = frozenset()) -> tuple[str, dict[str, bytes]]:
    """As ``print_html``, with the charts named by ``reportgen-figure:`` URLs; returns
    the HTML and the images those URLs stand for (URL → PNG bytes). ``split_tables``: the
    ``id()`` of short tables that may break across pages all the same (``render.pagefit``)."""
    inline = () if brand is None else (_brand_css(brand, embed_fonts=True),)
    urls = FigureURLs()
    html = _render(document, standalone=True, links=(FONTS_CSS, DOCUMENT_CSS, DRAFT_CSS), inline=inline,
                   masthead=_masthead(document, brand, embed=False), figure_src=urls,
                   may_split=lambda table: id(table) in split_tables)
    return html, urls.files


def aware_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    """``value`` with a time zone: naive times are Danish local time, dates midnight."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=_LOCAL_TZ)
    return value.replace(microsecond=0)


def w3c_datetime(value: dt.datetime | dt.date) -> str:
    """``value`` as a W3C datetime with offset (``2024-06-03T09:00:00+02:00``)."""
    return aware_datetime(value).isoformat()


def html_lang(language: str) -> str:
    """The document's language tag for ``<html lang>`` and the PDF's /Lang: ``'da_DK'`` →
    ``'da-DK'`` (the language in lower case, the region in upper case; ``'da'`` if empty)."""
    parts = [p for p in (language or "da").replace("_", "-").split("-") if p]
    if not parts:
        return "da"
    return "-".join([parts[0].lower(), *[p.upper() if len(p) == 2 else p for p in parts[1:]]])


def _brand_css(brand: object, *, embed_fonts: bool) -> str:
    css = brand.css()  # type: ignore[attr-defined]
    if embed_fonts:
        return css
    # The preview stands alone: it names the family but never links a local font file.
    return "\n".join(line for line in css.splitlines() if not line.startswith("@font-face")) + "\n"


def _masthead(document: Document, brand: object | None, *, embed: bool) -> _Masthead:
    name = getattr(brand, "name", None) or document.meta.municipality
    logo = getattr(brand, "logo", None)
    src = None
    if logo is not None:
        src = (f"data:{logo.media_type};base64,{base64.b64encode(logo.data).decode('ascii')}"
               if embed else logo.path.as_uri())
    return _Masthead(name=name, logo_src=src, logo_alt=f"Logo: {name}")


# How a data table fits the text width (css/document.css, "data tables"): as it is, in
# the compact setting (smaller type, narrower padding), or — the last resort — in a
# focusable scroll region. The narrowest width without a broken word is measured with
# Carlito's metrics against the PDF's A4 text width (21 cm less 2,5 + 2 cm margins), which
# is narrower than the preview's 17 cm page, with 3 % slack.
TEXT_WIDTH_PT = 16.5 / 2.54 * 72

# (font size, padding of a cell in em, of a right-aligned cell) as in the stylesheet
TABLE_SETTINGS = {"": (9.5, 1.0, 1.3), "compact": (8.5, 0.7, 0.85)}


def table_fit(table: Table) -> str:
    """The table's setting: "" (as it is), "compact", or "scroll" (compact, in a region
    that scrolls sideways on screen) when not even the compact setting fits."""
    for setting, (size, pad, figure_pad) in TABLE_SETTINGS.items():
        least = least_table_width_pt(table, size, pad * size, figure_pad * size)
        if least * 1.03 <= TEXT_WIDTH_PT:
            return setting
    return "scroll"


def _render(
    document: Document,
    *,
    standalone: bool,
    links: tuple[str, ...],
    inline: tuple[str, ...],
    masthead: _Masthead,
    figure_src: object,
    may_split: object = lambda table: False,
) -> str:
    return render_template(
        TEMPLATE,
        document=document,
        lang=html_lang(document.meta.language),
        created=w3c_datetime(document.meta.created),
        standalone=standalone,
        stylesheet_links=links,
        inline_styles=inline,
        masthead=masthead,
        draft_marking=draft_marking(document.meta) if document.is_draft else "",
        figure_src=figure_src,
        table_fit=table_fit,
        may_split=may_split,
        keep_together_rows=KEEP_TOGETHER_ROWS,
    )
